/// Builds a listpack, the blob of RDB types 16, 17, 18, 20 and 25 and of stream nodes, the
/// way Redis's `lpAppend` builds one: a 6-byte header (total bytes, element count), each
/// element in its smallest encoding followed by its back-length, and a 0xFF terminator.
///
/// A string that is the canonical decimal of an Int64 is stored as an integer, as Redis
/// stores it. The storage is reused: ``reset()`` starts the next listpack.
///
///     var pack = ListpackEncoder()
///     pack.append(Array("field".utf8).span.bytes)
///     pack.append(integer: 42)
///     pack.finish()  // pack.bytes is the listpack
struct ListpackEncoder {
  /// The listpack so far; complete after ``finish()``.
  private(set) var bytes: [UInt8] = [0, 0, 0, 0, 0, 0]
  /// The number of elements appended.
  private(set) var count = 0

  /// The size of the listpack once finished.
  var finishedByteCount: Int { bytes.count &+ 1 }

  /// Empties the listpack, keeping its storage.
  mutating func reset() {
    bytes.removeAll(keepingCapacity: true)
    bytes.append(contentsOf: [0, 0, 0, 0, 0, 0])
    count = 0
  }

  /// Appends a string element, as an integer when it spells one canonically.
  mutating func append(_ element: RawSpan) {
    unsafe element.withUnsafeBytes { unsafe append(unsafeBytes: $0) }
  }

  /// Appends a string element from a buffer; see ``append(_:)``.
  @unsafe mutating func append(unsafeBytes element: UnsafeRawBufferPointer) {
    if let integer = unsafe IntegerText.canonicalValue(RawSpan(_unsafeBytes: element)) {
      append(integer: integer)
      return
    }
    let start = bytes.count
    let length = element.count
    if length < 64 {
      bytes.append(0x80 | UInt8(length))
    } else if length < 4096 {
      bytes.append(0xE0 | UInt8(length >> 8))
      bytes.append(UInt8(truncatingIfNeeded: length))
    } else {
      bytes.append(0xF0)
      appendLittleEndian(UInt64(length), byteCount: 4)
    }
    unsafe bytes.append(contentsOf: element)
    appendBackLength(bytes.count &- start)
  }

  /// Appends text, such as a score, as a string element.
  mutating func append(_ text: String) {
    var text = text
    text.withUTF8 { unsafe append(unsafeBytes: UnsafeRawBufferPointer($0)) }
  }

  /// Appends an integer element in the smallest of the 7, 13, 16, 24, 32 and 64-bit forms.
  mutating func append(integer value: Int64) {
    let start = bytes.count
    switch value {
    case 0...127:
      bytes.append(UInt8(value))
    case -4096...4095:
      let bits = UInt64(bitPattern: value) & 0x1FFF
      bytes.append(0xC0 | UInt8(bits >> 8))
      bytes.append(UInt8(truncatingIfNeeded: bits))
    case -32768...32767:
      bytes.append(0xF1)
      appendLittleEndian(UInt64(bitPattern: value), byteCount: 2)
    case -8_388_608...8_388_607:
      bytes.append(0xF2)
      appendLittleEndian(UInt64(bitPattern: value), byteCount: 3)
    case -2_147_483_648...2_147_483_647:
      bytes.append(0xF3)
      appendLittleEndian(UInt64(bitPattern: value), byteCount: 4)
    default:
      bytes.append(0xF4)
      appendLittleEndian(UInt64(bitPattern: value), byteCount: 8)
    }
    appendBackLength(bytes.count &- start)
  }

  /// Appends the terminator and fills in the header; the element count saturates at 65535
  /// ("unknown"), as Redis's does.
  mutating func finish() {
    bytes.append(0xFF)
    let total = UInt32(truncatingIfNeeded: bytes.count)
    let elements = UInt16(min(count, 65535))
    for index in 0..<4 { bytes[index] = UInt8(truncatingIfNeeded: total >> UInt32(index * 8)) }
    bytes[4] = UInt8(truncatingIfNeeded: elements)
    bytes[5] = UInt8(truncatingIfNeeded: elements >> 8)
  }

  /// The entry length in 1 to 5 bytes that read backwards from the last (`lpEncodeBacklen`).
  private mutating func appendBackLength(_ length: Int) {
    count &+= 1
    let groups: Int
    switch length {
    case ...127: groups = 1
    case ..<16383: groups = 2
    case ..<2_097_151: groups = 3
    case ..<268_435_455: groups = 4
    default: groups = 5
    }
    for index in stride(from: groups - 1, through: 0, by: -1) {
      let group = UInt8(truncatingIfNeeded: length >> (7 * index)) & 127
      bytes.append(index == groups - 1 ? group : group | 128)
    }
  }

  private mutating func appendLittleEndian(_ value: UInt64, byteCount: Int) {
    for index in 0..<byteCount { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * index))) }
  }
}
