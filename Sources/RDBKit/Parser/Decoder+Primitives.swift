/// Lengths, strings, doubles and the fixed-width fields the records are made of.
extension Decoder {
  /// Reads a length or a special-encoding marker (`11xxxxxx`).
  @inline(__always)
  mutating func readLengthOrEncoding() throws(RDBError) -> (value: UInt64, isEncoding: Bool) {
    let first = try source.takeByte()
    switch first >> 6 {
    case 0:
      return (UInt64(first & 0x3F), false)
    case 1:
      let second = try source.takeByte()
      return (UInt64(first & 0x3F) << 8 | UInt64(second), false)
    case 2:
      if first == 0x80 {
        return unsafe (
          UInt64(UInt32(bigEndian: try source.take(4).loadUnaligned(as: UInt32.self))), false
        )
      }
      if first == 0x81 {
        return unsafe (UInt64(bigEndian: try source.take(8).loadUnaligned(as: UInt64.self)), false)
      }
      throw RDBError(.invalidLengthEncoding(first), at: source.offset &- 1)
    default:
      return (UInt64(first & 0x3F), true)
    }
  }

  /// Reads a plain length; a special-encoding marker is an error here.
  @inline(__always)
  mutating func readLength() throws(RDBError) -> UInt64 {
    let (value, isEncoding) = try readLengthOrEncoding()
    guard !isEncoding else {
      throw RDBError(.invalidLengthEncoding(0xC0 | UInt8(value)), at: source.offset &- 1)
    }
    return value
  }

  /// Reads an RDB string: raw, integer-encoded (as decimal text) or LZF-compressed.
  ///
  /// The result points into the input or into `scratch`. With `persistent`, it stays valid
  /// while more bytes are read (a stream source copies it); otherwise only until the next read.
  @inline(__always)
  mutating func readString(into slot: ScratchSlot, persistent: Bool)
    throws(RDBError) -> UnsafeRawBufferPointer
  {
    let start = source.offset
    let (length, isEncoding) = try readLengthOrEncoding()
    lastStringWasCompressed = isEncoding && length == 3
    lastStringWasEncoded = isEncoding
    if !isEncoding {
      let bytes = unsafe try source.take(length: length)
      lastStringStoredBytes = bytes.count
      if persistent && !source.keepsBytes { return unsafe self[scratch: slot].copy(bytes) }
      return unsafe bytes
    }
    switch length {
    case 0:
      let value = Int64(Int8(bitPattern: try source.takeByte()))
      return unsafe self[scratch: slot].text(of: value)
    case 1:
      let value = Int64(unsafe try source.take(2).littleEndian(at: 0, as: Int16.self))
      return unsafe self[scratch: slot].text(of: value)
    case 2:
      let value = Int64(unsafe try source.take(4).littleEndian(at: 0, as: Int32.self))
      return unsafe self[scratch: slot].text(of: value)
    case 3:
      return unsafe try readLZF(into: slot, start: start)
    default:
      throw RDBError(.invalidStringEncoding(0xC0 | UInt8(length)), at: start)
    }
  }

  private mutating func readLZF(into slot: ScratchSlot, start: Int)
    throws(RDBError) -> UnsafeRawBufferPointer
  {
    let (compressedLength, length) = try readLZFLengths(start: start)
    let compressed = unsafe try source.take(compressedLength)
    lastStringStoredBytes = compressedLength
    let room = unsafe self[scratch: slot].reserve(length)
    let output = unsafe UnsafeMutableRawBufferPointer(rebasing: room[..<length])
    if let problem = unsafe LZF.decompress(compressed, into: output) {
      throw RDBError(.corruptLZF(problem), at: start)
    }
    return UnsafeRawBufferPointer(output)
  }

  /// Reads an LZF string's compressed and decompressed lengths and checks them before
  /// anything is sized by them: the compressed bytes must remain, both must fit in 4 GiB, and
  /// LZF cannot expand more than ``LZF/maximumExpansion`` times.
  mutating func readLZFLengths(start: Int) throws(RDBError) -> (
    compressed: Int, length: Int
  ) {
    let compressedLength = try readLength()
    let length = try readLength()
    guard compressedLength <= UInt64(UInt32.max), length <= UInt64(UInt32.max) else {
      throw RDBError(.corruptLZF("lengths \(compressedLength)/\(length) exceed 4 GiB"), at: start)
    }
    guard length <= compressedLength * LZF.maximumExpansion else {
      throw RDBError(
        .corruptLZF("\(compressedLength) bytes cannot decompress to \(length)"), at: start)
    }
    // Last: a pipe cannot make this check, and finds out only when it reads the bytes, after
    // the two above; so both paths name the same first problem and byte.
    try source.check(length: compressedLength)
    return (Int(compressedLength), Int(length))
  }

  /// Reports the blob just read with ``readString(into:persistent:)``.
  mutating func reportBlob<H: RDBHandler>(
    _ kind: ValueBlob.Kind, _ blob: UnsafeRawBufferPointer, group: Int, origin: Int,
    nodeID: StreamID? = nil, quicklistNodeCount: UInt64? = nil, to handler: inout H
  ) throws(RDBError) {
    let count =
      H.needsPackedElementCounts
      ? unsafe try elementCount(blob, kind, group: group, origin: origin) : nil
    try handler.valueBlob(
      ValueBlob(
        kind: kind, byteCount: blob.count, isCompressed: lastStringWasCompressed,
        storedByteCount: lastStringWasCompressed ? lastStringStoredBytes : blob.count,
        elementCount: count, streamNodeID: nodeID, quicklistNodeCount: quicklistNodeCount))
  }

  /// Reads a string value for its encoding only: raw and integer strings are read, an LZF
  /// string's sizes are checked and its bytes skipped (LZF is used only above 20 bytes, so
  /// its length alone says `embstr` or `raw`). Only for a mapped file whose checksum will
  /// cover the skipped bytes.
  @inline(__always)
  mutating func readStringEncodingOnly() throws(RDBError) -> (Encoding, length: Int) {
    let start = source.offset
    let (marker, isEncoding) = try readLengthOrEncoding()
    if !isEncoding {
      // Taken before the call: a mutation of `source` inside the call's arguments made the
      // compiler copy the whole decoder for `stringEncoding`'s receiver, per string.
      let bytes = unsafe try source.take(length: marker)
      return unsafe (stringEncoding(of: bytes), bytes.count)
    }
    switch marker {
    case 0, 1, 2:
      let bytes = unsafe try source.take(1 &<< marker)
      return unsafe (.int, IntegerText.length(of: bytes.encodedInteger(marker: Int(marker), at: 0)))
    case 3:
      break
    default:
      throw RDBError(.invalidStringEncoding(0xC0 | UInt8(marker)), at: start)
    }
    let (compressedLength, length) = try readLZFLengths(start: start)
    try source.skip(UInt64(compressedLength))
    stringsLeftToChecksum &+= 1
    return (length <= embeddedStringLimit ? .embstr : .raw, length)
  }

  /// Passes over an element string of a handler that does not read elements
  /// (``RDBHandler/needsElements``) with the checks of a string value: read for its encoding
  /// only when compressed bytes may be left to the checksum (``readStringEncodingOnly()``),
  /// else decoded.
  @inline(__always)
  mutating func passElementString() throws(RDBError) {
    if leavesStringsToChecksum {
      // Most elements are stepped over at once (a raw string the window holds, an integer).
      guard !source.skipPlainString() else { return }
      try passStringLeftToChecksum()
    } else {
      _ = unsafe try readString(into: .second, persistent: false)
    }
  }

  /// Passes over a string with the checks of ``readStringEncodingOnly()`` (lengths within the
  /// input, LZF sizes), without classifying it: an element's encoding is its value's.
  @inline(__always)
  mutating func passStringLeftToChecksum() throws(RDBError) {
    if try passUndecodedString() { stringsLeftToChecksum &+= 1 }
  }

  /// Passes over a string with the checks of ``readStringEncodingOnly()`` and without
  /// decompressing it; returns whether it is LZF-compressed.
  @inline(__always)
  mutating func passUndecodedString() throws(RDBError) -> Bool {
    let start = source.offset
    let (marker, isEncoding) = try readLengthOrEncoding()
    if !isEncoding {
      try source.skip(checkedLength: marker)
      return false
    }
    switch marker {
    case 0: try source.skip(1)
    case 1: try source.skip(2)
    case 2: try source.skip(4)
    case 3:
      let (compressedLength, _) = try readLZFLengths(start: start)
      try source.skip(UInt64(compressedLength))
      return true
    default:
      throw RDBError(.invalidStringEncoding(0xC0 | UInt8(marker)), at: start)
    }
    return false
  }

  /// Passes over an RDB string without decoding it.
  mutating func skipString() throws(RDBError) {
    let start = source.offset
    let (length, isEncoding) = try readLengthOrEncoding()
    if !isEncoding { return try source.skip(checkedLength: length) }
    switch length {
    case 0: try source.skip(1)
    case 1: try source.skip(2)
    case 2: try source.skip(4)
    case 3:
      let compressedLength = try readLength()
      _ = try readLength()
      try source.check(length: compressedLength)
      try source.skip(compressedLength)
    default:
      throw RDBError(.invalidStringEncoding(0xC0 | UInt8(length)), at: start)
    }
  }

  /// Reads a zset type-3 score: a length byte (253 NaN, 254 +inf, 255 -inf) and text. Text
  /// that is not a number as a whole but starts with one is read as the server reads it,
  /// with a warning (once per value: `warned`).
  mutating func readTextScore(warned: inout Bool) throws(RDBError) -> Double {
    let start = source.offset
    let length = try source.takeByte()
    let score: Double
    switch length {
    case 253: score = .nan
    case 254: score = .infinity
    case 255: score = -.infinity
    default:
      let text = unsafe try source.take(Int(length))
      if let value = unsafe DoubleText.parse(text) {
        score = value
      } else if let value = unsafe DoubleText.scannedScore(text) {
        score = value
        if !warned, !value.isNaN {
          warned = true
          let shown = unsafe String(decoding: text.prefix(40), as: UTF8.self)
          warn(.sortedSetScore(text: shown, loadedAs: value), at: start)
        }
      } else {
        throw RDBError(.invalidValue("score is not a number"), at: start)
      }
    }
    guard !score.isNaN else { throw RDBError(.invalidValue("score is NaN"), at: start) }
    return score
  }

  /// Reads a zset type-5 score: an IEEE 754 double, little-endian. Inlined: a skip list reads
  /// one per member.
  @inline(__always)
  mutating func readBinaryScore() throws(RDBError) -> Double {
    let start = source.offset
    let bits = unsafe try source.take(8).littleEndian(at: 0, as: UInt64.self)
    let score = Double(bitPattern: bits)
    guard !score.isNaN else { throw RDBError(.invalidValue("score is NaN"), at: start) }
    return score
  }

  /// Reads a 16-byte stream ID: milliseconds and sequence, both big-endian.
  mutating func readRawStreamID() throws(RDBError) -> StreamID {
    let bytes = unsafe try source.take(16)
    return unsafe Self.streamID(bytes)
  }

  /// Decodes a 16-byte big-endian stream ID.
  @unsafe static func streamID(_ bytes: UnsafeRawBufferPointer) -> StreamID {
    unsafe StreamID(
      milliseconds: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
      sequence: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
  }

  /// Reads a stream ID stored as two lengths.
  mutating func readLengthStreamID() throws(RDBError) -> StreamID {
    StreamID(milliseconds: try readLength(), sequence: try readLength())
  }

  /// Reads a little-endian Int64 (times in stream groups and consumers, hash TTL minimums).
  mutating func readInt64() throws(RDBError) -> Int64 {
    unsafe try source.take(8).littleEndian(at: 0, as: Int64.self)
  }
}
