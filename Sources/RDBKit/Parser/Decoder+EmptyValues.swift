/// Telling, before a value is read, whether it is an aggregate with no elements: a loading
/// server skips such a key (`rdbLoadObject`'s `emptykey`), so handlers are told in
/// ``KeyInfo/isEmptyAggregate`` before they decide to read or skip it.
extension Decoder {
  /// The most bytes looked at: enough for a count, a blob header, and a quicklist of a few
  /// dozen empty nodes (a longer run of empty nodes is judged not empty).
  private static let lookahead = 512

  /// Whether the value of `type` that starts at the read position holds no elements, judged
  /// from its first bytes without consuming them: a zero count (types 1–5, 14, 18, 22, 24),
  /// an empty ziplist (11 bytes) or listpack (7 bytes), or a quicklist whose every node is
  /// an empty packed node. Intsets and zipmaps are never empty in a valid file (the server
  /// rejects an empty one, and so does the parser); streams and module values are not
  /// aggregates a server skips.
  mutating func valueIsEmpty(_ type: ValueType) -> Bool {
    var head = unsafe EmptyValueProbe(bytes: source.peek(upTo: Self.lookahead))
    switch type {
    case .list, .set, .sortedSet, .sortedSet2, .hash, .hashMetadataPreGA:
      return head.length() == 0
    case .hashMetadata:
      return head.skip(8) && head.length() == 0
    case .listZiplist, .sortedSetZiplist, .hashZiplist:
      return head.blobLength() == Self.emptyZiplistBytes
    case .hashListpack, .sortedSetListpack, .setListpack, .hashListpackExPreGA:
      return head.blobLength() == Self.emptyListpackBytes
    case .hashListpackEx:
      return head.skip(8) && head.blobLength() == Self.emptyListpackBytes
    case .listQuicklist, .listQuicklist2:
      guard var nodes = head.length() else { return false }
      while nodes > 0 {
        if type == .listQuicklist2, head.length() != 2 { return false }
        let empty = type == .listQuicklist2 ? Self.emptyListpackBytes : Self.emptyZiplistBytes
        guard head.blobLength() == empty else { return false }
        nodes -= 1
      }
      return true
    default:
      return false
    }
  }

  /// A ziplist of no entries: header (10 bytes) and end marker.
  private static let emptyZiplistBytes: UInt64 = 11
  /// A listpack of no elements: header (6 bytes) and end marker.
  private static let emptyListpackBytes: UInt64 = 7
}

/// Reads RDB lengths and string headers from bytes peeked ahead; every read returns nil once
/// the bytes run out or hold something else.
@safe private struct EmptyValueProbe {
  let bytes: UnsafeRawBufferPointer
  var position = 0

  /// Steps over `count` bytes; false when fewer are there.
  mutating func skip(_ count: Int) -> Bool {
    guard unsafe count <= bytes.count &- position else { return false }
    position &+= count
    return true
  }

  /// An RDB length (not a special string encoding).
  mutating func length() -> UInt64? {
    guard let (value, isEncoding) = lengthOrEncoding(), !isEncoding else { return nil }
    return value
  }

  /// The length of the string that starts here, uncompressed for LZF, and steps over it; nil
  /// for an integer-encoded string (never an empty blob).
  mutating func blobLength() -> UInt64? {
    guard let (value, isEncoding) = lengthOrEncoding() else { return nil }
    if !isEncoding {
      guard value <= UInt64(Int.max), skip(Int(value)) else { return value }
      return value
    }
    guard value == 3, let compressed = length(), let length = length() else { return nil }
    _ = compressed <= UInt64(Int.max) && skip(Int(compressed))
    return length
  }

  private mutating func lengthOrEncoding() -> (UInt64, Bool)? {
    guard unsafe position < bytes.count else { return nil }
    let first = unsafe bytes[position]
    switch first >> 6 {
    case 0:
      position &+= 1
      return (UInt64(first & 0x3F), false)
    case 1:
      guard unsafe position &+ 2 <= bytes.count else { return nil }
      let value = unsafe UInt64(first & 0x3F) << 8 | UInt64(bytes[position &+ 1])
      position &+= 2
      return (value, false)
    case 3:
      position &+= 1
      return (UInt64(first & 0x3F), true)
    default:
      let width = first == 0x80 ? 4 : first == 0x81 ? 8 : 0
      guard width > 0, unsafe position &+ 1 &+ width <= bytes.count else { return nil }
      var value: UInt64 = 0
      for index in 1...width { value = unsafe value << 8 | UInt64(bytes[position &+ index]) }
      position &+= 1 &+ width
      return (value, false)
    }
  }
}
