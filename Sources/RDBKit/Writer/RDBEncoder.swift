/// The byte level of the RDB writer: lengths, strings, fixed-width fields and opcodes, written
/// to an ``OutputBuffer`` with the CRC-64 kept over every byte that leaves it.
///
/// Strings are written as Redis's `rdbSaveRawString` writes them: a canonical decimal of at
/// most 11 characters that fits 32 bits as an integer encoding, anything over 20 bytes
/// LZF-compressed when that saves at least 4 bytes (unless compression is off), the rest raw.
///
///     var encoder = RDBEncoder(output: buffer, compresses: true)
///     encoder.header(RDBVersion(magic: .redis, number: 11))
///     encoder.byte(Opcode.endOfFile.rawValue)
///     try encoder.finish(checksum: true)
struct RDBEncoder {
  /// Where the bytes go: the file's buffer, or the batch being filled while compression runs
  /// in the background (``compressInBackground()``).
  private(set) var output: OutputBuffer
  /// Whether strings over 20 bytes are LZF-compressed when that saves space.
  let compresses: Bool
  /// Whether ``blob(unsafeBytes:)`` writes blobs as they are, compression or not: set for a
  /// value whose blobs the input stored uncompressed (see ``RDBWriter/valueBlob(_:)``).
  var leavesBlobsUncompressed = false
  /// The CRC-64 of the bytes already flushed.
  private var flushedChecksum: UInt64 = 0
  /// The number of bytes already flushed.
  private(set) var flushedBytes = 0
  /// The worker that compresses and writes, once ``compressInBackground()`` started it.
  private var background: BackgroundCompression.Handle?
  /// The batch ``output`` is while compression runs in the background.
  private var batch: BackgroundCompression.Batch?
  /// Whether the strings of the batch being filled are compressed here, on the writing
  /// thread, instead of being marked for the worker: the worker was behind when the batch
  /// was started (see ``BackgroundCompression/submit(_:)``).
  private var compressesHere = false

  /// Writes to `output`; `compresses` as `rdbcompression yes`.
  init(output: OutputBuffer, compresses: Bool) {
    self.output = output
    self.compresses = compresses
  }

  /// The number of bytes written so far (with compression in the background: once finished).
  var byteCount: Int {
    guard background == nil else { return flushedBytes }
    return flushedBytes &+ output.count
  }

  /// The size of a batch handed to the background worker.
  private static let batchBytes = 1 << 18

  /// Compresses strings on a thread of its own from here on (see ``BackgroundCompression``),
  /// when compression is on, sharing the work with this thread as `sharing` says. Call
  /// before anything is written.
  mutating func compressInBackground(sharing: BackgroundCompression.Sharing = .whenBehind) {
    guard compresses, background == nil else { return }
    precondition(byteCount == 0, "compressInBackground() after bytes were written")
    let handle = BackgroundCompression.Handle(
      encoder: RDBEncoder(output: output, compresses: true), sharing: sharing)
    let batch = handle.worker.emptyBatch()
    background = handle
    self.batch = batch
    output = batch.bytes
  }

  /// Hands the batch being filled to the background worker and starts another.
  private mutating func handOver() throws(RDBError) {
    guard let background, let batch, batch.bytes.count > 0 else { return }
    compressesHere = try background.worker.submit(batch)
    let next = background.worker.emptyBatch()
    self.batch = next
    output = next.bytes
  }

  /// Writes the buffered bytes out once a block has built up.
  @inline(__always)
  mutating func flushIfFull() throws(RDBError) {
    if batch != nil {
      if output.count >= Self.batchBytes { try handOver() }
    } else if output.isFull {
      try flushBlock()
    }
  }

  /// As ``flush()``, but an output that writes in the background is not waited for: the next
  /// block fills while the kernel copies this one.
  @inline(never)
  private mutating func flushBlock() throws(RDBError) {
    let pending = try checksumBuffered()
    try output.flushIfFull()
    flushedBytes &+= pending
  }

  /// Writes every buffered byte out, keeping the checksum.
  mutating func flush() throws(RDBError) {
    if batch != nil {
      try handOver()
      return
    }
    let pending = try checksumBuffered()
    try output.flush()
    flushedBytes &+= pending
  }

  /// Folds the buffered bytes into the checksum of the bytes flushed, before they are written
  /// out; returns how many they are.
  private mutating func checksumBuffered() throws(RDBError) -> Int {
    let crc = flushedChecksum
    flushedChecksum = try unsafe output.withUnsafeBufferedBytes { bytes throws(RDBError) in
      unsafe CRC64.update(crc, bytes)
    }
    return output.count
  }

  /// The size from which ``raw(_:)`` writes bytes through instead of buffering them.
  static let writeThroughBytes = 1 << 20

  /// The `count` bytes (at most 16) at `start`, copied as they are without a `memmove` call.
  /// Called on the encoder itself, not through a closure that captures the writer, so that
  /// the output buffer is not retained and released for every string.
  @inline(__always)
  @unsafe mutating func shortRaw(_ start: UnsafeRawPointer, count: Int) {
    unsafe ShortCopy.copy(from: start, to: output.reserve(count), count: count)
    output.advance(by: count)
  }

  /// Bytes copied as they are; a large run is written straight through after what is
  /// buffered, so that copying a value never holds a second copy of it in memory.
  @unsafe mutating func raw(_ bytes: UnsafeRawBufferPointer) throws(RDBError) {
    guard bytes.count >= Self.writeThroughBytes else {
      unsafe output.append(bytes)
      return
    }
    if let background {
      try handOver()
      try background.worker.drain()
      try unsafe background.worker.encoder.raw(bytes)
      return
    }
    let pending = output.count
    let crc = flushedChecksum
    flushedChecksum = try unsafe output.withUnsafeBufferedBytes { buffered throws(RDBError) in
      unsafe CRC64.update(CRC64.update(crc, buffered), bytes)
    }
    try unsafe output.flush(andWrite: bytes)
    flushedBytes &+= pending &+ bytes.count
  }

  /// Writes the EOF opcode, then (RDB 5+) the CRC-64 trailer, or 8 zero bytes when
  /// `checksum` is false, as `rdbchecksum no` does; then flushes.
  mutating func finish(version: RDBVersion, checksum: Bool) throws(RDBError) {
    if let background {
      try handOver()
      try background.worker.drain()
      try background.worker.encoder.finish(version: version, checksum: checksum)
      flushedBytes = background.worker.encoder.byteCount
      background.worker.close()
      return
    }
    byte(Opcode.endOfFile.rawValue)
    if version.hasChecksum {
      try flush()
      littleEndian(checksum ? flushedChecksum : 0, byteCount: 8)
    }
    let pending = output.count
    try output.flush()
    flushedBytes &+= pending
  }

  // MARK: Fixed-width fields

  /// The 9-byte header: `REDIS` and 4 digits, or `VALKEY` and 3.
  mutating func header(_ version: RDBVersion) {
    output.append(version.description)
  }

  /// One byte (a type or an opcode).
  @inline(__always)
  mutating func byte(_ value: UInt8) {
    output.append(value)
  }

  /// The low `byteCount` bytes of `value`, least significant first.
  @inline(__always)
  mutating func littleEndian(_ value: UInt64, byteCount: Int) {
    let room = unsafe output.reserve(byteCount)
    for index in 0..<byteCount {
      unsafe room.storeBytes(
        of: UInt8(truncatingIfNeeded: value >> UInt64(index &* 8)), toByteOffset: index,
        as: UInt8.self)
    }
    output.advance(by: byteCount)
  }

  /// A stream ID as 16 bytes: milliseconds, then sequence, both big-endian.
  mutating func rawStreamID(_ id: StreamID) {
    littleEndian(id.milliseconds.byteSwapped, byteCount: 8)
    littleEndian(id.sequence.byteSwapped, byteCount: 8)
  }

  /// A binary double (sorted-set scores of type 5), little-endian.
  mutating func binaryDouble(_ value: Double) {
    littleEndian(value.bitPattern, byteCount: 8)
  }

  // MARK: Lengths and strings

  /// A length in its shortest form: 6, 14, 32 or 64 bits.
  @inline(__always)
  mutating func length(_ value: UInt64) {
    if value < 1 << 6 {
      output.append(UInt8(value))
    } else if value < 1 << 14 {
      output.append(0x40 | UInt8(value >> 8))
      output.append(UInt8(truncatingIfNeeded: value))
    } else if value <= UInt64(UInt32.max) {
      output.append(0x80)
      littleEndian(UInt64(UInt32(value).byteSwapped), byteCount: 4)
    } else {
      output.append(0x81)
      littleEndian(value.byteSwapped, byteCount: 8)
    }
  }

  /// A string, encoded as the server would encode it (see the type's description).
  mutating func string(_ value: RawSpan) {
    unsafe value.withUnsafeBytes { unsafe string(unsafeBytes: $0) }
  }

  /// A string from a buffer; see ``string(_:)``.
  @unsafe mutating func string(unsafeBytes value: UnsafeRawBufferPointer) {
    // Only text that starts with a digit or `-` is parsed: most strings are told apart here.
    if value.count <= 11, value.count > 0,
      let first = unsafe value.baseAddress?.load(as: UInt8.self),
      first == UInt8(ascii: "-") || first &- 48 <= 9,
      let integer = unsafe IntegerText.canonicalValue(RawSpan(_unsafeBytes: value)),
      let small = Int32(exactly: integer)
    {
      integerString(small)
      return
    }
    unsafe bytes(value, compressing: compresses)
  }

  /// A string that is written as it is: never integer-encoded (a listpack or ziplist blob, a
  /// stream node key), LZF-compressed under the same rule as other strings unless
  /// ``leavesBlobsUncompressed``.
  @unsafe mutating func blob(unsafeBytes value: UnsafeRawBufferPointer) {
    unsafe bytes(value, compressing: compresses && !leavesBlobsUncompressed)
  }

  /// A string's bytes after its length, LZF-compressed when `compressing`, over 20 bytes,
  /// and that saves at least 4 bytes; with compression in the background, put in as it is
  /// and marked for the worker unless this batch is compressed here.
  @unsafe private mutating func bytes(_ value: UnsafeRawBufferPointer, compressing: Bool) {
    if compressing, value.count > 20 {
      if let batch, !compressesHere {
        batch.blobs.append(output.count..<output.count &+ value.count)
        unsafe output.append(value)
        return
      }
      if unsafe compressed(value) { return }
    }
    length(UInt64(value.count))
    unsafe output.append(value)
  }

  /// Writes `value` LZF-compressed (0xC3, the compressed and the full length, the compressed
  /// bytes) when that saves at least 4 bytes, and returns whether it did; writes nothing
  /// otherwise. liblzf compresses straight into the output, after room for the longest
  /// header the result can have; a shorter header moves the result down to meet it.
  @unsafe private mutating func compressed(_ value: UnsafeRawBufferPointer) -> Bool {
    let room = value.count &- 4
    let fullLength = Self.lengthSize(value.count)
    let headerRoom = 1 &+ Self.lengthSize(room) &+ fullLength
    let start = unsafe output.reserve(headerRoom &+ room)
    guard
      let produced = unsafe LZFCompressor.compress(value, into: start + headerRoom, room: room)
    else { return false }
    let header = 1 &+ Self.lengthSize(produced) &+ fullLength
    if header < headerRoom {
      unsafe (start + header).copyMemory(from: start + headerRoom, byteCount: produced)
    }
    // The header's appends land in the room reserved, in front of the compressed bytes.
    output.append(0xC3)
    length(UInt64(produced))
    length(UInt64(value.count))
    output.advance(by: produced)
    return true
  }

  /// The number of bytes ``length(_:)`` writes for `value`.
  @inline(__always)
  private static func lengthSize(_ value: Int) -> Int {
    value < 1 << 6 ? 1 : value < 1 << 14 ? 2 : UInt64(value) <= UInt64(UInt32.max) ? 5 : 9
  }

  /// A blob held in an array; see ``blob(unsafeBytes:)``.
  mutating func blob(_ value: [UInt8]) {
    unsafe value.withUnsafeBytes { unsafe blob(unsafeBytes: $0) }
  }

  /// A string from an array; see ``string(_:)``.
  mutating func string(_ value: [UInt8]) {
    unsafe value.withUnsafeBytes { unsafe string(unsafeBytes: $0) }
  }

  /// An integer-encoded string: INT8, INT16 or INT32, the smallest that holds `value`.
  mutating func integerString(_ value: Int32) {
    if let byte = Int8(exactly: value) {
      output.append(0xC0)
      output.append(UInt8(bitPattern: byte))
    } else if let half = Int16(exactly: value) {
      output.append(0xC1)
      littleEndian(UInt64(UInt16(bitPattern: half)), byteCount: 2)
    } else {
      output.append(0xC2)
      littleEndian(UInt64(UInt32(bitPattern: value)), byteCount: 4)
    }
  }

  /// A score of a type-3 sorted set: a length byte and the decimal text, or 253/254/255 for
  /// NaN, +inf and -inf.
  mutating func textScore(_ score: Double) {
    if score.isNaN {
      output.append(253)
    } else if score.isInfinite {
      output.append(score > 0 ? 254 : 255)
    } else {
      let text = ScoreText.text(of: score)
      output.append(UInt8(text.utf8.count))
      output.append(text)
    }
  }
}
