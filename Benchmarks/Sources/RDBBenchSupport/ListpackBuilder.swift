/// Builds a listpack: a 6-byte header (total bytes, element count), entries each followed by
/// their back-length, and a 0xFF terminator. Strings that are canonical integers are stored as
/// integers, as Redis stores them.
public struct ListpackBuilder {
  private var body: [UInt8] = []
  private var count = 0

  public init() {}

  /// Appends a string element (integer-encoded when it is a canonical integer).
  public mutating func append(_ element: [UInt8]) {
    if let integer = RDBImageWriter.canonicalInteger(element) {
      append(integer: integer)
      return
    }
    let start = body.count
    switch element.count {
    case ..<64:
      body.append(0x80 | UInt8(element.count))
    case ..<4096:
      body.append(0xE0 | UInt8(element.count >> 8))
      body.append(UInt8(element.count & 0xFF))
    default:
      body.append(0xF0)
      RDBImageWriter.appendLittleEndian(UInt64(element.count), byteCount: 4, to: &body)
    }
    body += element
    appendBackLength(body.count - start)
  }

  /// Appends an integer element in its smallest encoding.
  public mutating func append(integer value: Int64) {
    let start = body.count
    if value >= 0 && value <= 127 {
      body.append(UInt8(value))
    } else if value >= -4096 && value <= 4095 {
      let bits = UInt64(bitPattern: value) & 0x1FFF
      body.append(0xC0 | UInt8(bits >> 8))
      body.append(UInt8(bits & 0xFF))
    } else if let small = Int16(exactly: value) {
      body.append(0xF1)
      RDBImageWriter.appendLittleEndian(UInt64(UInt16(bitPattern: small)), byteCount: 2, to: &body)
    } else if value >= -(1 << 23) && value < (1 << 23) {
      body.append(0xF2)
      RDBImageWriter.appendLittleEndian(UInt64(bitPattern: value) & 0xFFFFFF, byteCount: 3, to: &body)
    } else if let word = Int32(exactly: value) {
      body.append(0xF3)
      RDBImageWriter.appendLittleEndian(UInt64(UInt32(bitPattern: word)), byteCount: 4, to: &body)
    } else {
      body.append(0xF4)
      RDBImageWriter.appendLittleEndian(UInt64(bitPattern: value), byteCount: 8, to: &body)
    }
    appendBackLength(body.count - start)
  }

  /// The finished listpack.
  public func finish() -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(body.count + 7)
    RDBImageWriter.appendLittleEndian(UInt64(body.count + 7), byteCount: 4, to: &out)
    RDBImageWriter.appendLittleEndian(UInt64(min(count, 65535)), byteCount: 2, to: &out)
    out += body
    out.append(0xFF)
    return out
  }

  /// The entry length, 7 bits per byte, most significant first, continuation bit on all but
  /// the first byte, so that it can be read from its last byte backwards.
  private mutating func appendBackLength(_ entryLength: Int) {
    count += 1
    var groups: [UInt8] = []
    var rest = entryLength
    repeat {
      groups.append(UInt8(rest & 127))
      rest >>= 7
    } while rest > 0
    for (index, group) in groups.reversed().enumerated() {
      body.append(index == 0 ? group : group | 128)
    }
  }
}
