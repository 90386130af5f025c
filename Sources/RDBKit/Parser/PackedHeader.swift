/// The header checks of a packed blob whose bytes are left to the file's CRC-64 (see
/// ``RDBHandler/needsPackedElements``): what can be checked without decompressing it.
///
/// An LZF stream starts with a literal run (a first control byte below 32 copies the next
/// `control + 1` bytes as they are), so a blob's first bytes, its header, can usually be read
/// in the clear. Those that can are checked as the blob's reader checks them when it decodes
/// the blob: the size it declares against the announced length, a ziplist's tail offset, an
/// intset's width and member count, and an element count that pairs or triplets must divide.
/// A header field the literal run does not reach is not checked.
///
///     // A hash listpack of 4 elements (2 pairs) announced as 300 bytes:
///     try PackedHeader.listpack(group: 2).check([44, 1, 0, 0, 4, 0], length: 300, origin: 0)
enum PackedHeader {
  /// A listpack whose elements come in groups of `group` (1 for a list or a set, 2 for
  /// pairs, 3 for field/value/TTL triplets); 0 when the header's count is not the elements'
  /// (a stream node, whose entries are walked by their own counts).
  case listpack(group: Int)
  /// A ziplist whose entries come in groups of `group` (1 or 2).
  case ziplist(group: Int)
  /// An intset.
  case intset
  /// A zipmap or a quicklist PLAIN node: nothing but the length is checked.
  case opaque

  /// The header of a blob of `kind` whose elements come in groups of `group` (see
  /// ``listpack(group:)``; ignored for intsets, zipmaps and PLAIN nodes).
  init(_ kind: ValueBlob.Kind, group: Int) {
    switch kind {
    case .listpack: self = .listpack(group: group)
    case .ziplist: self = .ziplist(group: group)
    case .intset: self = .intset
    case .zipmap, .plainNode: self = .opaque
    }
  }

  /// Checks the header bytes in `head` (as many of the first bytes as are known, maybe none)
  /// against `length`, the blob's announced size; `origin` is the blob's file offset.
  @unsafe func check(_ head: UnsafeRawBufferPointer, length: Int, origin: Int) throws(RDBError) {
    switch self {
    case .listpack(let group):
      try unsafe Self.checkSize(head, length: length, minimum: 7, "listpack", origin)
      if head.count >= 6, group > 1 {
        let count = unsafe Int(head.littleEndian(at: 4, as: UInt16.self))
        try Self.checkGroups(count, group: group, unknown: 0xFFFF, "listpack", origin)
      }
    case .ziplist(let group):
      try unsafe Self.checkSize(head, length: length, minimum: 11, "ziplist", origin)
      if head.count >= 8 {
        let tail = unsafe Int(head.littleEndian(at: 4, as: UInt32.self))
        guard tail <= length &- 1 else {
          throw Self.corrupt("ziplist", "tail offset \(tail) out of range", origin)
        }
      }
      if head.count >= 10, group > 1 {
        let count = unsafe Int(head.littleEndian(at: 8, as: UInt16.self))
        try Self.checkGroups(count, group: group, unknown: 0xFFFF, "ziplist", origin)
      }
    case .intset:
      guard length >= 8 else {
        throw Self.corrupt("intset", "\(length) bytes is too short", origin)
      }
      guard head.count >= 8 else { return }
      let width = unsafe Int(head.littleEndian(at: 0, as: UInt32.self))
      guard width == 2 || width == 4 || width == 8 else {
        throw Self.corrupt("intset", "member width \(width) is not 2, 4 or 8", origin)
      }
      let declared = unsafe UInt64(head.littleEndian(at: 4, as: UInt32.self))
      guard declared > 0 else { throw Self.corrupt("intset", "no members", origin) }
      guard 8 + declared * UInt64(width) == UInt64(length) else {
        throw Self.corrupt(
          "intset", "\(declared) members of \(width) bytes do not fill \(length) bytes", origin)
      }
    case .opaque:
      guard length > 0 else {
        throw RDBError(
          .corruptStructure(structure: "quicklist", reason: "empty plain node"), at: origin)
      }
    }
  }

  /// The first bytes of the data an LZF stream decompresses to, as far as its first literal
  /// run reaches: `compressed` is the stream's start (it may be cut short).
  @unsafe static func literalPrefix(_ compressed: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer
  {
    guard compressed.count > 1, unsafe compressed[0] < 32 else {
      return unsafe UnsafeRawBufferPointer(rebasing: compressed[0..<0])
    }
    let end = unsafe min(compressed.count, Int(compressed[0]) &+ 2)
    return unsafe UnsafeRawBufferPointer(rebasing: compressed[1..<end])
  }

  /// The most compressed bytes ``literalPrefix(_:)`` looks at.
  static let lookahead = 33

  /// A listpack's or ziplist's size: at least `minimum` bytes, and the total its first four
  /// header bytes declare (when known) equal to `length`.
  @unsafe private static func checkSize(
    _ head: UnsafeRawBufferPointer, length: Int, minimum: Int, _ structure: String, _ origin: Int
  ) throws(RDBError) {
    guard length >= minimum else {
      throw corrupt(structure, "\(length) bytes is too short", origin)
    }
    guard head.count >= 4 else { return }
    let total = unsafe Int(head.littleEndian(at: 0, as: UInt32.self))
    guard total == length else {
      throw corrupt(structure, "header says \(total) bytes, string holds \(length)", origin)
    }
  }

  private static func checkGroups(
    _ count: Int, group: Int, unknown: Int, _ structure: String, _ origin: Int
  ) throws(RDBError) {
    guard count != unknown, count % group != 0 else { return }
    throw corrupt(
      structure,
      group == 2 ? "odd number of elements for pairs" : "element count is not a multiple of 3",
      origin)
  }

  private static func corrupt(_ structure: String, _ reason: String, _ origin: Int) -> RDBError {
    RDBError(.corruptStructure(structure: structure, reason: reason), at: origin)
  }
}

/// Element counts from a blob's first bytes (``ValueBlob/elementCount``).
extension PackedHeader {
  /// The elements of a blob of `kind` grouped by `group` (see ``listpack(group:)``) as the
  /// header in `head` gives them: the header's count over `group`; for a stream node
  /// (`group` 0), the live entries its master entry counts first. Nil when `head` is too
  /// short, the header says the count is unknown (0xFFFF, or 254 for a zipmap), or a stream
  /// node's first element is not a small integer: the blob is then walked.
  @unsafe static func elementCount(
    _ head: UnsafeRawBufferPointer, _ kind: ValueBlob.Kind, group: Int
  ) -> Int? {
    switch kind {
    case .plainNode: return 1
    case .zipmap:
      guard head.count >= 1, unsafe head[0] < 254 else { return nil }
      return unsafe Int(head[0])
    case .intset:
      guard head.count >= 8 else { return nil }
      return unsafe Int(head.littleEndian(at: 4, as: UInt32.self))
    case .ziplist:
      guard head.count >= 10, group > 0 else { return nil }
      let count = unsafe Int(head.littleEndian(at: 8, as: UInt16.self))
      return count == 0xFFFF ? nil : count / group
    case .listpack:
      if group == 0 { return unsafe streamLiveCount(head) }
      guard head.count >= 6 else { return nil }
      let count = unsafe Int(head.littleEndian(at: 4, as: UInt16.self))
      return count == 0xFFFF ? nil : count / group
    }
  }

  /// A stream node's first element, its live entry count, when `head` holds it as a
  /// non-negative integer of 7, 13, 16, 24 or 32 bits.
  @unsafe private static func streamLiveCount(_ head: UnsafeRawBufferPointer) -> Int? {
    guard head.count >= 7 else { return nil }
    let first = unsafe head[6]
    if first < 0x80 { return Int(first) }
    if first & 0xE0 == 0xC0 {
      guard head.count >= 8 else { return nil }
      let low = unsafe Int(head[7])
      let value = Int(first & 0x1F) << 8 | low
      return value < 4096 ? value : nil
    }
    let width: Int
    switch first {
    case 0xF1: width = 2
    case 0xF2: width = 3
    case 0xF3: width = 4
    default: return nil
    }
    guard head.count >= 7 + width else { return nil }
    var value = 0
    for index in 0..<width {
      let byte = unsafe Int(head[7 + index])
      value |= byte << (8 * index)
    }
    // The top bit is the sign: a negative count is no count.
    return value >> (8 * width - 1) == 0 ? value : nil
  }
}
