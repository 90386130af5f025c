/// Builds an intset, the blob of RDB type 11: the width of every member (2, 4 or 8 bytes),
/// the member count, then the members in ascending order, all little-endian.
enum IntsetEncoder {
  /// The intset of `members`, which must be distinct; they are sorted here.
  static func encode(_ members: inout [Int64]) -> [UInt8] {
    members.sort()
    let low = members.first ?? 0
    let high = members.last ?? 0
    let width: Int
    if Int16(exactly: low) != nil, Int16(exactly: high) != nil {
      width = 2
    } else if Int32(exactly: low) != nil, Int32(exactly: high) != nil {
      width = 4
    } else {
      width = 8
    }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(8 &+ members.count &* width)
    appendLittleEndian(UInt64(width), byteCount: 4, to: &bytes)
    appendLittleEndian(UInt64(members.count), byteCount: 4, to: &bytes)
    for member in members {
      appendLittleEndian(UInt64(bitPattern: member), byteCount: width, to: &bytes)
    }
    return bytes
  }

  private static func appendLittleEndian(_ value: UInt64, byteCount: Int, to bytes: inout [UInt8]) {
    for index in 0..<byteCount { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * index))) }
  }
}
