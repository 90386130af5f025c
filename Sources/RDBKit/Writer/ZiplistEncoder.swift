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
  ///
  /// Only text of at most 20 bytes that starts with a digit or `-` can spell an Int64, so
  /// most elements are told apart by their length and first byte, without a parse.
  @unsafe mutating func append(unsafeBytes element: UnsafeRawBufferPointer) {
    let length = element.count
    if length <= 20, length > 0, let first = unsafe element.baseAddress?.load(as: UInt8.self),
      first == UInt8(ascii: "-") || first &- 48 <= 9,
      let integer = unsafe IntegerText.canonicalValue(RawSpan(_unsafeBytes: element))
    {
      append(integer: integer)
      return
    }
    // At most 5 bytes of previous length and 5 of encoding, then the string.
    let entry = unsafe blob.reserve(10 &+ length)
    var written = unsafe storePreviousLength(entry)
    if length <= 63 {
      unsafe (entry + written).storeBytes(of: UInt8(length), as: UInt8.self)
      written &+= 1
    } else if length <= 16383 {
      unsafe (entry + written).storeBytes(of: 0x40 | UInt8(length >> 8), as: UInt8.self)
      unsafe (entry + (written &+ 1)).storeBytes(
        of: UInt8(truncatingIfNeeded: length), as: UInt8.self)
      written &+= 2
    } else {
      unsafe (entry + written).storeBytes(of: 0x80, as: UInt8.self)
      unsafe (entry + (written &+ 1)).storeBytes(
        of: UInt32(truncatingIfNeeded: length).bigEndian, as: UInt32.self)
      written &+= 5
    }
    if let source = element.baseAddress {
      unsafe (entry + written).copyMemory(from: source, byteCount: length)
    }
    endEntry(byteCount: written &+ length)
  }

  /// Appends a string element of at most 63 bytes (a listpack's short string), as
  /// ``append(unsafeBytes:)`` does, inline and with the bytes moved by word-sized copies
  /// rather than a `memmove` call per element (``ShortCopy``).
  @inline(__always)
  @unsafe mutating func appendShortString(_ element: UnsafeRawBufferPointer) {
    let length = element.count
    guard let source = element.baseAddress, length > 0 else {
      unsafe append(unsafeBytes: element)
      return
    }
    let first = unsafe source.load(as: UInt8.self)
    if length <= 20, first == UInt8(ascii: "-") || first &- 48 <= 9,
      let integer = unsafe IntegerText.canonicalValue(RawSpan(_unsafeBytes: element))
    {
      append(integer: integer)
      return
    }
    // At most 5 bytes of previous length, 1 of encoding, then the string.
    let entry = unsafe blob.reserve(6 &+ 63)
    var written = unsafe storePreviousLength(entry)
    unsafe (entry + written).storeBytes(of: UInt8(length), as: UInt8.self)
    written &+= 1
    unsafe ShortCopy.copy(from: source, to: entry + written, count: length)
    endEntry(byteCount: written &+ length)
  }

  /// Appends text, such as a score, as a string entry.
  mutating func append(_ text: String) {
    var text = text
    text.withUTF8 { unsafe append(unsafeBytes: UnsafeRawBufferPointer($0)) }
  }

  /// Appends an integer entry in the smallest form the format version allows.
  mutating func append(integer value: Int64) {
    // At most 5 bytes of previous length, an encoding byte, and 8 stored for any width.
    let entry = unsafe blob.reserve(14)
    let written = unsafe storePreviousLength(entry)
    let encoding: UInt8
    let width: Int
    if compactIntegers, (0...12).contains(value) {
      (encoding, width) = (0xF1 &+ UInt8(value), 0)
    } else if compactIntegers, Int8(exactly: value) != nil {
      (encoding, width) = (0xFE, 1)
    } else if Int16(exactly: value) != nil {
      (encoding, width) = (0xC0, 2)
    } else if compactIntegers, (-8_388_608...8_388_607).contains(value) {
      (encoding, width) = (0xF0, 3)
    } else if Int32(exactly: value) != nil {
      (encoding, width) = (0xD0, 4)
    } else {
      (encoding, width) = (0xE0, 8)
    }
    unsafe (entry + written).storeBytes(of: encoding, as: UInt8.self)
    // All 8 bytes are stored; those past `width` are overwritten by what comes next.
    unsafe (entry + (written &+ 1)).storeBytes(
      of: UInt64(bitPattern: value).littleEndian, as: UInt64.self)
    endEntry(byteCount: written &+ 1 &+ width)
  }

  /// Appends the terminator and fills in the header; the count saturates at 65535.
  mutating func finish() {
    blob.append(0xFF)
    blob.store(littleEndian: UInt64(blob.count), byteCount: 4, at: 0)
    blob.store(littleEndian: UInt64(lastEntry), byteCount: 4, at: 4)
    blob.store(littleEndian: UInt64(min(count, 65535)), byteCount: 2, at: 8)
  }

  /// Stores the previous entry's length at `entry` (1 byte below 254, else 0xFE and 4 bytes)
  /// and returns the number of bytes stored.
  @inline(__always)
  @unsafe private func storePreviousLength(_ entry: UnsafeMutableRawPointer) -> Int {
    if previousLength < 254 {
      unsafe entry.storeBytes(of: UInt8(truncatingIfNeeded: previousLength), as: UInt8.self)
      return 1
    }
    unsafe entry.storeBytes(of: 0xFE, as: UInt8.self)
    unsafe (entry + 1).storeBytes(
      of: UInt32(truncatingIfNeeded: previousLength).littleEndian, as: UInt32.self)
    return 5
  }

  /// Ends the entry of `byteCount` bytes written at the end of the blob.
  @inline(__always)
  private mutating func endEntry(byteCount: Int) {
    lastEntry = blob.count
    blob.advance(by: byteCount)
    previousLength = byteCount
    count &+= 1
  }
}
