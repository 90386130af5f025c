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
  let blob = BlobBytes()
  /// The number of elements appended.
  private(set) var count = 0

  /// An empty listpack.
  init() {
    reset()
  }

  /// The size of the listpack once finished.
  var finishedByteCount: Int { blob.count &+ 1 }

  /// A copy of the listpack so far.
  var bytes: [UInt8] { unsafe Array(blob.buffer) }

  /// Empties the listpack, keeping its storage.
  mutating func reset() {
    blob.removeAll()
    blob.append(littleEndian: 0, byteCount: 6)
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
    let start = blob.count
    let length = element.count
    if length < 64 {
      blob.append(0x80 | UInt8(length))
    } else if length < 4096 {
      blob.append(0xE0 | UInt8(length >> 8))
      blob.append(UInt8(truncatingIfNeeded: length))
    } else {
      blob.append(0xF0)
      blob.append(littleEndian: UInt64(length), byteCount: 4)
    }
    unsafe blob.append(element)
    appendBackLength(blob.count &- start)
  }

  /// Appends text, such as a score, as a string element.
  mutating func append(_ text: String) {
    var text = text
    text.withUTF8 { unsafe append(unsafeBytes: UnsafeRawBufferPointer($0)) }
  }

  /// Appends an integer element in the smallest of the 7, 13, 16, 24, 32 and 64-bit forms.
  mutating func append(integer value: Int64) {
    let start = blob.count
    let bits = UInt64(bitPattern: value)
    switch value {
    case 0...127:
      blob.append(UInt8(value))
    case -4096...4095:
      blob.append(0xC0 | UInt8((bits & 0x1FFF) >> 8))
      blob.append(UInt8(truncatingIfNeeded: bits))
    case -32768...32767:
      blob.append(0xF1)
      blob.append(littleEndian: bits, byteCount: 2)
    case -8_388_608...8_388_607:
      blob.append(0xF2)
      blob.append(littleEndian: bits, byteCount: 3)
    case -2_147_483_648...2_147_483_647:
      blob.append(0xF3)
      blob.append(littleEndian: bits, byteCount: 4)
    default:
      blob.append(0xF4)
      blob.append(littleEndian: bits, byteCount: 8)
    }
    appendBackLength(blob.count &- start)
  }

  /// Appends the terminator and fills in the header; the element count saturates at 65535
  /// ("unknown"), as Redis's does.
  mutating func finish() {
    blob.append(0xFF)
    blob.store(littleEndian: UInt64(UInt32(truncatingIfNeeded: blob.count)), byteCount: 4, at: 0)
    blob.store(littleEndian: UInt64(min(count, 65535)), byteCount: 2, at: 4)
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
      blob.append(index == groups - 1 ? group : group | 128)
    }
  }
}
