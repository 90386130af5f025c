/// A vector set's module value with its HNSW nodes in serialization version 0, for servers
/// that read no other (Redis 8.0.2): version 1 (Redis 8.0.6, 8.6) adds each layer's worst link,
/// which a version-0 reader takes for the next link and refuses the value ("Vector set node
/// index loading error"). The worst link is a cache that loading recomputes, so dropping it
/// loses nothing. Every other item is copied byte for byte.
///
/// The payload is one the parser has read and checked (see `Decoder+VectorSets.swift` for
/// its layout), so a walk that fails returns nil rather than an error.
enum VectorSetNodeDowngrade {
  /// The payload (module id, items, module EOF) with every node in version 0, or nil when it
  /// does not have the vector-set layout.
  static func downgraded(_ payload: [UInt8]) -> [UInt8]? {
    var walk = Walk(bytes: payload)
    var output: [UInt8] = []
    output.reserveCapacity(payload.count)
    guard let moduleID = walk.lengthBytes(), let header = walk.unsignedItems(4) else { return nil }
    output += moduleID
    output += header.bytes
    let count = header.values[1]
    let flags = header.values[3]
    if flags & 1 != 0 {
      guard let input = walk.unsignedItems(1), let matrix = walk.stringItem() else { return nil }
      output += input.bytes + matrix
    }
    for _ in 0..<count {
      for _ in 0..<(flags & 2 != 0 ? 3 : 2) {
        guard let item = walk.stringItem() else { return nil }
        output += item
      }
      guard let parameters = walk.unsignedValue(), parameters >= 3,
        let values = walk.unsignedValues(Int(parameters)),
        let node = version0(values)
      else { return nil }
      appendUnsigned(UInt64(node.count), to: &output)
      for value in node { appendUnsigned(value, to: &output) }
    }
    output += payload[walk.index...]
    return output
  }

  /// A node's parameters (id, version << 24 | level, per layer the link count, the limit, the
  /// links and in version 1 the worst link, then the scale) in version 0.
  private static func version0(_ values: [UInt64]) -> [UInt64]? {
    let version = values[1] >> 24
    let level = Int(values[1] & 0xFF)
    guard version == 1 else { return version == 0 ? values : nil }
    var node = [values[0], values[1] & 0xFF_FFFF]
    var index = 2
    for _ in 0...level {
      guard index + 1 < values.count else { return nil }
      let links = Int(values[index])
      guard index + 2 + links < values.count else { return nil }
      node += values[index..<(index + 2 + links)]
      index += 2 + links + 1
    }
    guard index == values.count - 1 else { return nil }
    node.append(values[index])
    return node
  }

  /// A module UINT item: opcode 2, then the value as an RDB length.
  private static func appendUnsigned(_ value: UInt64, to output: inout [UInt8]) {
    output.append(2)
    RDBLength.append(value, to: &output)
  }

  /// A reader of RDB lengths and module items over the payload.
  private struct Walk {
    let bytes: [UInt8]
    var index = 0

    /// An RDB length, and whether it is a special string encoding (top bits 11).
    mutating func length() -> (value: UInt64, special: Bool)? {
      guard index < bytes.count else { return nil }
      let first = bytes[index]
      index += 1
      switch first >> 6 {
      case 0: return (UInt64(first & 0x3F), false)
      case 1:
        guard index < bytes.count else { return nil }
        index += 1
        return (UInt64(first & 0x3F) << 8 | UInt64(bytes[index - 1]), false)
      case 2:
        let width = first == 0x80 ? 4 : first == 0x81 ? 8 : 0
        guard width > 0, index + width <= bytes.count else { return nil }
        let value = bytes[index..<(index + width)].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        index += width
        return (value, false)
      default: return (UInt64(first & 0x3F), true)
      }
    }

    /// The bytes of one RDB length.
    mutating func lengthBytes() -> [UInt8]? {
      let start = index
      guard let length = length(), !length.special else { return nil }
      return Array(bytes[start..<index])
    }

    /// One UINT item's value.
    mutating func unsignedValue() -> UInt64? {
      guard let opcode = length(), opcode == (2, false), let value = length(), !value.special
      else { return nil }
      return value.value
    }

    mutating func unsignedValues(_ count: Int) -> [UInt64]? {
      var values: [UInt64] = []
      values.reserveCapacity(count)
      for _ in 0..<count {
        guard let value = unsignedValue() else { return nil }
        values.append(value)
      }
      return values
    }

    /// `count` UINT items: their values and their bytes as they were.
    mutating func unsignedItems(_ count: Int) -> (values: [UInt64], bytes: [UInt8])? {
      let start = index
      guard let values = unsignedValues(count) else { return nil }
      return (values, Array(bytes[start..<index]))
    }

    /// One STRING item's bytes as they were: opcode 5, then an RDB string (plain, integer or
    /// LZF).
    mutating func stringItem() -> [UInt8]? {
      let start = index
      guard let opcode = length(), opcode == (5, false), let length = length() else { return nil }
      var size = Int(clamping: length.value)
      if length.special {
        switch length.value {
        case 0: size = 1
        case 1: size = 2
        case 2: size = 4
        case 3:
          guard let compressed = self.length(), !compressed.special, self.length() != nil else {
            return nil
          }
          size = Int(clamping: compressed.value)
        default: return nil
        }
      }
      guard size <= bytes.count - index else { return nil }
      index += size
      return Array(bytes[start..<index])
    }
  }
}
