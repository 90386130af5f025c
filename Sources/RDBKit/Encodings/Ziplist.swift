/// Walks a ziplist blob (types 10, 12, 13 and quicklist v1 nodes), applying every check of
/// Redis's `ziplistValidateIntegrity`.
///
/// Layout: `zlbytes` u32 LE, `zltail` u32 LE, `zllen` u16 LE, entries, `0xFF`. Each entry is
/// `prevlen` (1 or 5 bytes), an encoding header, and the data.
@safe struct ZiplistReader {
  private let bytes: UnsafeRawBufferPointer
  private let origin: Int
  private let tail: Int
  private let declaredCount: Int
  private var position = 10
  private var previousEntryLength = 0
  private var lastEntryStart = -1
  /// Entries read so far.
  private(set) var count = 0

  /// Checks the header of `bytes`; `origin` is the file offset reported in errors.
  @unsafe init(_ bytes: UnsafeRawBufferPointer, origin: Int) throws(RDBError) {
    unsafe self.bytes = bytes
    self.origin = origin
    guard bytes.count >= 11 else { throw Self.corrupt("\(bytes.count) bytes is too short", origin) }
    let total = unsafe Int(bytes.littleEndian(at: 0, as: UInt32.self))
    guard total == bytes.count else {
      throw Self.corrupt("header says \(total) bytes, string holds \(bytes.count)", origin)
    }
    guard unsafe bytes[bytes.count &- 1] == 0xFF else {
      throw Self.corrupt("no end marker", origin)
    }
    tail = unsafe Int(bytes.littleEndian(at: 4, as: UInt32.self))
    guard tail <= bytes.count &- 1 else {
      throw Self.corrupt("tail offset \(tail) out of range", origin)
    }
    declaredCount = unsafe Int(bytes.littleEndian(at: 8, as: UInt16.self))
  }

  private static func corrupt(_ reason: String, _ origin: Int) -> RDBError {
    RDBError(.corruptStructure(structure: "ziplist", reason: reason), at: origin)
  }

  private func fail(_ reason: String) -> RDBError {
    Self.corrupt("entry \(count) at blob byte \(position): \(reason)", origin)
  }

  /// Returns the next entry, or nil after the last one (having checked the end, the tail
  /// offset and the entry count).
  mutating func next() throws(RDBError) -> PackedElement? {
    let end = unsafe bytes.count &- 1
    guard position < end else {
      guard position == end else { throw fail("entries run past the end") }
      if count > 0, lastEntryStart != tail {
        throw fail("tail offset \(tail) is not the last entry")
      }
      if declaredCount != 0xFFFF, declaredCount != count {
        throw fail("header counts \(declaredCount) entries, found \(count)")
      }
      return nil
    }
    let start = position
    // prevlen: one byte, or 0xFE and a u32 LE; 0xFF is the end marker, never a prevlen.
    var prevlen = unsafe Int(bytes[position])
    guard prevlen != 0xFF else { throw fail("end marker before the end of the blob") }
    if prevlen == 0xFE {
      guard position &+ 5 <= end else { throw fail("prevlen runs past the end") }
      prevlen = unsafe Int(bytes.littleEndian(at: position &+ 1, as: UInt32.self))
      position &+= 5
    } else {
      position &+= 1
    }
    guard prevlen == previousEntryLength else {
      throw fail("prevlen \(prevlen) does not match the previous entry's \(previousEntryLength)")
    }
    guard position < end else { throw fail("encoding runs past the end") }
    let encoding = unsafe bytes[position]
    let element: PackedElement
    switch encoding >> 6 {
    case 0, 1, 2:
      var length: Int
      var header: Int
      if encoding >> 6 == 0 {
        length = Int(encoding & 0x3F)
        header = 1
      } else if encoding >> 6 == 1 {
        guard position &+ 2 <= end else { throw fail("string header runs past the end") }
        length = unsafe (Int(encoding & 0x3F) << 8) | Int(bytes[position &+ 1])
        header = 2
      } else {
        guard position &+ 5 <= end else { throw fail("string header runs past the end") }
        length = unsafe Int(
          UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: position &+ 1, as: UInt32.self)))
        header = 5
      }
      guard length <= end &- position &- header else {
        throw fail("string of \(length) bytes runs past the end")
      }
      let dataStart = position &+ header
      element = unsafe PackedElement(
        string: UnsafeRawBufferPointer(rebasing: bytes[dataStart..<dataStart &+ length]))
      position = dataStart &+ length
    default:
      let size: Int
      switch encoding {
      case 0xC0: size = 2
      case 0xD0: size = 4
      case 0xE0: size = 8
      case 0xF0: size = 3
      case 0xFE: size = 1
      case 0xF1...0xFD: size = 0
      default: throw fail("invalid encoding byte 0x\(String(encoding, radix: 16))")
      }
      guard size <= end &- position &- 1 else { throw fail("integer runs past the end") }
      let data = position &+ 1
      let value: Int64
      switch size {
      case 0: value = Int64(encoding & 0x0F) &- 1
      case 1: value = Int64(unsafe Int8(bitPattern: bytes[data]))
      case 2: value = Int64(unsafe bytes.littleEndian(at: data, as: Int16.self))
      case 3:
        let raw =
          unsafe UInt32(bytes[data]) | UInt32(bytes[data &+ 1]) << 8 | UInt32(bytes[data &+ 2])
          << 16
        value = Int64(Int32(bitPattern: raw << 8) >> 8)
      case 4: value = Int64(unsafe bytes.littleEndian(at: data, as: Int32.self))
      default: value = unsafe bytes.littleEndian(at: data, as: Int64.self)
      }
      element = PackedElement(integer: value)
      position = data &+ size
    }
    previousEntryLength = position &- start
    lastEntryStart = start
    count &+= 1
    return element
  }
}
