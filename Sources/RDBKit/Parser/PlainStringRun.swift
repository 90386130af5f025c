/// Plain string records back to back, as the file has them (``RDBHandler/plainStrings(_:database:)``):
/// string keys with no expiry, eviction data or metadata before them, each name stored as it
/// is after a one-byte length (`00xxxxxx`), each value a string under 64 bytes stored as it is
/// (a one-byte length) or an integer of 1, 2 or 4 bytes (`0xC0`–`0xC2`). Most records of a
/// file of tiny keys.
///
/// The bytes are valid only during the call that hands the run over.
public struct PlainStringRun: @unchecked Sendable {
  /// Every byte of the records, from the first one's type byte to the last one's value.
  let bytes: UnsafeRawBufferPointer
  /// How many records there are.
  public let count: Int

  @unsafe init(bytes: UnsafeRawBufferPointer, count: Int) {
    unsafe self.bytes = bytes
    self.count = count
  }

  /// Where the record that starts at `offset` ends, if the first `limit` bytes from `base`
  /// hold a whole plain string record there; nil for any other record (a type but string,
  /// another length or string form) or one cut short by `limit`.
  @inline(__always)
  @unsafe static func end(ofRecordAt offset: Int, in base: UnsafeRawPointer, limit: Int) -> Int? {
    guard offset &+ 2 < limit, unsafe base.load(fromByteOffset: offset, as: UInt8.self) == 0
    else { return nil }
    let nameLength = Int(unsafe base.load(fromByteOffset: offset &+ 1, as: UInt8.self))
    let valueStart = offset &+ 2 &+ nameLength
    guard nameLength < 0x40, valueStart < limit else { return nil }
    let first = unsafe base.load(fromByteOffset: valueStart, as: UInt8.self)
    let end: Int
    if first < 0x40 {
      end = valueStart &+ 1 &+ Int(first)
    } else if first &- 0xC0 <= 2 {
      end = valueStart &+ 1 &+ 1 &<< Int(first &- 0xC0)
    } else {
      return nil
    }
    return end <= limit ? end : nil
  }

  /// Where the record that starts at `offset` (a record's start in this run) ends.
  @inline(__always)
  func end(ofRecordAt offset: Int) -> Int {
    let base = unsafe bytes.baseAddress.unsafelyUnwrapped
    let valueStart = offset &+ 2 &+ Int(unsafe base.load(fromByteOffset: offset &+ 1, as: UInt8.self))
    let first = unsafe base.load(fromByteOffset: valueStart, as: UInt8.self)
    return first < 0x40
      ? valueStart &+ 1 &+ Int(first) : valueStart &+ 1 &+ 1 &<< Int(first &- 0xC0)
  }

  /// The name of the record that starts at `offset`.
  @inline(__always)
  func name(ofRecordAt offset: Int) -> UnsafeRawBufferPointer {
    let base = unsafe bytes.baseAddress.unsafelyUnwrapped
    let count = Int(unsafe base.load(fromByteOffset: offset &+ 1, as: UInt8.self))
    return unsafe UnsafeRawBufferPointer(start: base + (offset &+ 2), count: count)
  }

  /// The records from the one at byte `start` to the one ending at `end`, `count` of them.
  @inline(__always)
  func records(from start: Int, to end: Int, count: Int) -> PlainStringRun {
    unsafe PlainStringRun(bytes: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), count: count)
  }

  /// The byte length of the first `records` records.
  func byteCount(ofFirst records: Int) -> Int {
    var offset = 0
    for _ in 0..<records { offset = end(ofRecordAt: offset) }
    return offset
  }
}
