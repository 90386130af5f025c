/// Builds a ziplist, the blob of RDB types 10, 12, 13 and of quicklist v1 nodes, the way
/// Redis's `ziplistPush` builds one: a 10-byte header (total bytes, offset of the last entry,
/// entry count), entries of previous-length, encoding and data, and a 0xFF terminator.
///
/// A string of fewer than 32 characters that spells an Int64 canonically is stored as an
/// integer. Before RDB 6 (Redis 2.4) ziplists had only the 16, 32 and 64-bit integer forms;
/// `compactIntegers` false keeps to those. ``reset()`` starts the next ziplist.
struct ZiplistEncoder {
  /// The ziplist so far; complete after ``finish()``.
  let blob = BlobBytes()
  /// The number of entries appended.
  private(set) var count = 0
  /// Whether the 4-bit, 8-bit and 24-bit integer forms of RDB 6 may be used.
  let compactIntegers: Bool
  private var previousLength = 0
  private var lastEntry = 10

  /// An empty ziplist.
  init(compactIntegers: Bool) {
    self.compactIntegers = compactIntegers
    reset()
  }

  /// The size of the ziplist once finished.
  var finishedByteCount: Int { blob.count &+ 1 }

  /// A copy of the ziplist so far.
  var bytes: [UInt8] { unsafe Array(blob.buffer) }

  /// Empties the ziplist, keeping its storage.
  mutating func reset() {
    blob.removeAll()
    blob.append(littleEndian: 0, byteCount: 8)
    blob.append(littleEndian: 0, byteCount: 2)
    count = 0
    previousLength = 0
    lastEntry = 10
  }

  /// Appends a string entry, as an integer when it is short and spells one canonically.
  mutating func append(_ element: RawSpan) {
    unsafe element.withUnsafeBytes { unsafe append(unsafeBytes: $0) }
  }

  /// Appends a string element from a buffer; see ``append(_:)``.
  @unsafe mutating func append(unsafeBytes element: UnsafeRawBufferPointer) {
    if element.count < 32,
      let integer = unsafe IntegerText.canonicalValue(RawSpan(_unsafeBytes: element))
    {
      append(integer: integer)
      return
    }
    let start = beginEntry()
    let length = element.count
    if length <= 63 {
      blob.append(UInt8(length))
    } else if length <= 16383 {
      blob.append(0x40 | UInt8(length >> 8))
      blob.append(UInt8(truncatingIfNeeded: length))
    } else {
      blob.append(0x80)
      let bigEndian = UInt32(truncatingIfNeeded: length).byteSwapped
      blob.append(littleEndian: UInt64(bigEndian), byteCount: 4)
    }
    unsafe blob.append(element)
    endEntry(start)
  }

  /// Appends text, such as a score, as a string entry.
  mutating func append(_ text: String) {
    var text = text
    text.withUTF8 { unsafe append(unsafeBytes: UnsafeRawBufferPointer($0)) }
  }

  /// Appends an integer entry in the smallest form the format version allows.
  mutating func append(integer value: Int64) {
    let start = beginEntry()
    let bits = UInt64(bitPattern: value)
    if compactIntegers, (0...12).contains(value) {
      blob.append(0xF1 &+ UInt8(value))
    } else if compactIntegers, let small = Int8(exactly: value) {
      blob.append(0xFE)
      blob.append(UInt8(bitPattern: small))
    } else if Int16(exactly: value) != nil {
      blob.append(0xC0)
      blob.append(littleEndian: bits, byteCount: 2)
    } else if compactIntegers, (-8_388_608...8_388_607).contains(value) {
      blob.append(0xF0)
      blob.append(littleEndian: bits, byteCount: 3)
    } else if Int32(exactly: value) != nil {
      blob.append(0xD0)
      blob.append(littleEndian: bits, byteCount: 4)
    } else {
      blob.append(0xE0)
      blob.append(littleEndian: bits, byteCount: 8)
    }
    endEntry(start)
  }

  /// Appends the terminator and fills in the header; the count saturates at 65535.
  mutating func finish() {
    blob.append(0xFF)
    blob.store(littleEndian: UInt64(blob.count), byteCount: 4, at: 0)
    blob.store(littleEndian: UInt64(lastEntry), byteCount: 4, at: 4)
    blob.store(littleEndian: UInt64(min(count, 65535)), byteCount: 2, at: 8)
  }

  /// Writes the previous entry's length (1 byte below 254, else 0xFE and 4 bytes).
  private mutating func beginEntry() -> Int {
    let start = blob.count
    if previousLength < 254 {
      blob.append(UInt8(previousLength))
    } else {
      blob.append(0xFE)
      blob.append(littleEndian: UInt64(previousLength), byteCount: 4)
    }
    return start
  }

  private mutating func endEntry(_ start: Int) {
    lastEntry = start
    previousLength = blob.count &- start
    count &+= 1
  }
}
