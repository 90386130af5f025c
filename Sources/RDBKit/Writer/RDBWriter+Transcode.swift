/// Listpack hashes (type 16) for a ziplist format (RDB 4–9), moved element by element from
/// the value's stored bytes instead of being decoded into text and encoded again: the writer
/// asks for the bytes (``KeyDecision/copy``), decompresses the listpack, and appends each
/// element to the ziplist as it is stored, an integer as an integer and a string as a string.
/// The ziplist is the one the decoded path builds, byte for byte.
///
/// As for a copied value, the input's checksum vouches for the elements: the listpack's
/// structure is checked as it is walked, but not the parser's element checks (a field that
/// appears twice). A hash too large for a ziplist, or bytes this does not read, are decoded
/// as before (``decodeCopiedValue(_:_:)``), which also reports any damage.
extension RDBWriter {
  /// Whether a value of `type` is transcoded from its bytes for this format.
  func transcodes(_ type: ValueType) -> Bool {
    type == .hashListpack && format.hasZiplistHashes && !format.hasListpacks
  }

  /// Writes the listpack hash whose stored bytes are `bytes` as a ziplist hash.
  mutating func transcodeHash(_ bytes: RawSpan, _ info: KeyInfo) throws(RDBError) {
    let written = unsafe bytes.withUnsafeBytes { raw in
      guard let (blob, compressed) = unsafe storedString(raw) else { return false }
      return unsafe writeZiplistHash(blob, compressed: compressed, info)
    }
    if !written { try decodeCopiedValue(bytes, info) }
  }

  /// Writes the record when the listpack `blob` is whole and its hash fits a ziplist.
  ///
  /// One walk builds the ziplist and checks the limits as it goes; a listpack that breaks
  /// off or a hash that does not fit leaves nothing written but the scratch blob.
  @unsafe private mutating func writeZiplistHash(
    _ blob: UnsafeRawBufferPointer, compressed: Bool, _ info: KeyInfo
  ) -> Bool {
    let limits = engine.limits
    let (doubled, overflow) = limits.hashEntries.multipliedReportingOverflow(by: 2)
    let mostElements = overflow ? Int.max : doubled
    // An integer's text is at most 20 bytes: only a lower limit needs its length.
    let measuresIntegers = limits.hashValue < 20
    var count = 0
    packed.reset()
    do throws(RDBError) {
      var reader = unsafe try ListpackReader(blob, origin: 0)
      while let element = try reader.next() {
        count &+= 1
        guard count <= mostElements else { return false }
        if element.isInteger {
          if measuresIntegers, IntegerText.length(of: element.integer) > limits.hashValue {
            return false
          }
          packed.append(integer: element.integer)
        } else {
          guard unsafe element.string.count <= limits.hashValue else { return false }
          unsafe packed.append(unsafeBytes: element.string)
        }
      }
    } catch {
      return false
    }
    guard count > 0, count % 2 == 0 else { return false }
    packed.finish()
    writeKeyPrefix(info)
    writeTypeAndKey(.hashZiplist)
    // As ``valueBlob(_:)`` decides for a decoded value.
    encoder.leavesBlobsUncompressed = blob.count > 20 && !compressed
    unsafe encoder.blob(unsafeBytes: packed.blob.buffer)
    encoder.leavesBlobsUncompressed = false
    return true
  }

  /// The string `raw` holds, when it is exactly one RDB string stored raw or LZF-compressed
  /// (decompressed into ``transcodeScratch``), and whether it was compressed; nil for any
  /// other form, or lengths that do not add up (the decoder then says what is wrong).
  @unsafe private func storedString(_ raw: UnsafeRawBufferPointer)
    -> (UnsafeRawBufferPointer, compressed: Bool)?
  {
    var position = 0
    guard let first = raw.first else { return nil }
    if first == 0xC3 {
      position = 1
      guard let stored = unsafe StoredLength.read(raw, at: &position),
        let length = unsafe StoredLength.read(raw, at: &position),
        stored == raw.count &- position, length > 0, length <= stored &* 88
      else { return nil }
      let output = unsafe transcodeScratch.resize(to: length)
      guard
        unsafe LZF.decompress(UnsafeRawBufferPointer(rebasing: raw[position...]), into: output)
          == nil
      else { return nil }
      return unsafe (UnsafeRawBufferPointer(output), true)
    }
    guard let length = unsafe StoredLength.read(raw, at: &position), length == raw.count &- position
    else { return nil }
    return unsafe (UnsafeRawBufferPointer(rebasing: raw[position...]), false)
  }
}
