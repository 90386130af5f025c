/// Ziplist and listpack values walked in place for a handler that does not need their
/// elements (``RDBHandler/needsElements``): every check and warning of reporting them, none
/// of the calls.
extension Decoder {
  /// How a ziplist or listpack value groups its elements.
  enum PackedShape {
    /// List elements (a quicklist node or a whole small list).
    case list
    /// Set members, each at most once.
    case set
    /// Field/value pairs, each field at most once.
    case hash
    /// Member/score pairs, each member at most once, each score a number.
    case sortedSet
    /// Field/value/TTL triplets, each field at most once, TTLs as
    /// ``checkFieldTTL(_:previous:seenNoTTL:origin:)`` requires.
    case hashWithTTLs

    /// The shape of a single-ziplist or single-listpack value type, or nil for another type.
    init?(_ type: ValueType) {
      switch type {
      case .listZiplist: self = .list
      case .setListpack: self = .set
      case .hashListpack, .hashZiplist: self = .hash
      case .sortedSetListpack, .sortedSetZiplist: self = .sortedSet
      default: return nil
      }
    }
  }

  /// Walks `reader` to its end with the same checks, in the same order, as the reporting
  /// path: element structure, pairing, repeats, scores. When `measuring`, returns the byte
  /// length of the longest element the reporting path would give a handler (integers as
  /// decimal text; a sorted set's members, not its scores), else 0.
  /// With `checkingRepeats` false, fields and members are not checked for repeats (a blob
  /// left to the checksum, ``measuresBlobsLightly(_:)``).
  @discardableResult
  mutating func checkPacked<R: PackedReader>(
    _ reader: inout R, as shape: PackedShape, origin: Int, measuring: Bool = false,
    checkingRepeats: Bool = true
  ) throws(RDBError) -> Int {
    var largest = 0
    switch shape {
    case .list:
      while let element = try reader.nextElement() {
        if measuring { largest = max(largest, element.textLength) }
      }
    case .set:
      while let member = try reader.nextElement() {
        guard !checkingRepeats || duplicates.insert(member) else {
          throw Self.duplicate(R.name, origin)
        }
        if measuring { largest = max(largest, member.textLength) }
      }
    case .hash:
      while let field = try reader.nextElement() {
        guard let value = try reader.nextElement() else { throw Self.oddCount(R.name, origin) }
        guard !checkingRepeats || duplicates.insert(field) else {
          throw Self.duplicate(R.name, origin)
        }
        if measuring { largest = max(largest, field.textLength, value.textLength) }
      }
    case .sortedSet:
      var warned = false
      while let member = try reader.nextElement() {
        guard let score = try reader.nextElement() else { throw Self.oddCount(R.name, origin) }
        guard !checkingRepeats || duplicates.insert(member) else {
          throw Self.duplicate(R.name, origin)
        }
        if unsafe !score.isInteger && !DoubleText.isNumber(score.string) {
          _ = unsafe loadedScore(score.string, origin: origin, warned: &warned)
        }
        if measuring { largest = max(largest, member.textLength) }
      }
    case .hashWithTTLs:
      var previous: Int64 = 0
      var seenNoTTL = false
      while let field = try reader.nextElement() {
        guard let value = try reader.nextElement(), let ttl = try reader.nextElement() else {
          throw RDBError(
            .corruptStructure(
              structure: R.name, reason: "element count is not a multiple of 3"),
            at: origin)
        }
        guard !checkingRepeats || duplicates.insert(field) else {
          throw Self.duplicate(R.name, origin)
        }
        try Self.checkFieldTTL(ttl, previous: &previous, seenNoTTL: &seenNoTTL, origin: origin)
        if measuring { largest = max(largest, field.textLength, value.textLength) }
      }
    }
    return largest
  }
}

/// Packed blobs measured lightly: for a handler that measures packed elements but reads none
/// (``RDBHandler/needsPackedElementLengths``), in a mapped file whose CRC-64 will be checked.
extension Decoder {
  /// Whether an LZF-compressed ziplist or listpack value is walked for its elements' lengths
  /// only, its repeated fields or members (a check `verify` leaves to the checksum with the
  /// rest of the compressed bytes, ``leaveBlobToChecksum(_:group:counting:origin:)``) not
  /// looked for: for a handler of `H`'s kind when compressed strings are left to the
  /// checksum (a file with a CRC-64 and a non-zero trailer) and the input is mapped, so that
  /// the trailer was known before the first key. Such a blob counts as left to the checksum:
  /// a parse that fails is run again to name the first damage as a full decode names it
  /// (``RDBParser``), and a blob repeating a member, when the checksum matches, passes as it
  /// passes `verify`. Its structure, pairing, scores and TTLs are checked as the walk goes.
  @inline(__always)
  func measuresBlobsLightly<H: RDBHandler>(_: H.Type) -> Bool {
    !H.needsPackedElements && H.needsPackedElementLengths && leavesStringsToChecksum
      && source.keepsBytes
  }
}

/// Packed blobs left to the checksum: for a handler that reads no packed elements
/// (``RDBHandler/needsPackedElements``), in a file that ends in a CRC-64.
extension Decoder {
  /// When blobs may be left to the checksum (``leavesBlobsToChecksum``) and the one at the
  /// read position is LZF-compressed, checks its compressed and announced lengths (as
  /// ``readString(into:persistent:)`` does) and the header its first literal run shows
  /// (``PackedHeader``), steps over its bytes and returns its announced length and, when
  /// `counting`, its element count (``PackedHeader/elementCount(_:_:group:)``); otherwise
  /// consumes nothing and returns nil, and the caller decodes the blob. A blob whose count
  /// its first bytes do not show is decoded when `counting`.
  @inline(__always)
  mutating func leaveBlobToChecksum(
    _ kind: ValueBlob.Kind, group: Int, counting: Bool, origin: Int
  ) throws(RDBError) -> (length: Int, count: Int?)? {
    guard leavesBlobsToChecksum, unsafe source.peek(upTo: 1).first == 0xC3 else { return nil }
    var count: Int? = nil
    if counting {
      count = unsafe Self.compressedCount(
        source.peek(upTo: 19 + PackedHeader.lookahead), kind, group: group)
      guard count != nil else { return nil }
    }
    _ = try source.takeByte()
    // Counted first: a parse that fails here is run again decoding everything, to name the
    // first damage as a full decode names it (``RDBParser``).
    blobsLeftToChecksum &+= 1
    let (compressedLength, length) = try readLZFLengths(start: origin)
    // The header is copied, then checked once the bytes are passed: a pipe finds that they
    // run past the end of the input only then, and names that first, as a mapped file does.
    var head = SIMD16<UInt8>()
    let headCount = unsafe withUnsafeMutableBytes(of: &head) { room in
      let prefix = unsafe PackedHeader.literalPrefix(
        source.peek(upTo: min(compressedLength, PackedHeader.lookahead)))
      let count = min(prefix.count, room.count)
      unsafe room.copyMemory(from: UnsafeRawBufferPointer(rebasing: prefix[..<count]))
      return count
    }
    try source.skip(UInt64(compressedLength))
    try unsafe withUnsafeBytes(of: head) { (bytes) throws(RDBError) in
      try unsafe PackedHeader(kind, group: group).check(
        UnsafeRawBufferPointer(rebasing: bytes[..<headCount]), length: length, origin: origin)
    }
    lastStringWasCompressed = true
    lastStringStoredBytes = compressedLength
    return (length, count)
  }

  /// The element count of the LZF-compressed blob at the start of `bytes` (its 0xC3 marker,
  /// its two lengths, then its stream) as the header its first literal run shows gives it, or
  /// nil when it does not show it.
  @unsafe static func compressedCount(
    _ bytes: UnsafeRawBufferPointer, _ kind: ValueBlob.Kind, group: Int
  ) -> Int? {
    if kind == .plainNode { return 1 }
    var position = 1
    for _ in 0..<2 {
      guard position < bytes.count else { return nil }
      let first = unsafe bytes[position]
      switch first >> 6 {
      case 0: position &+= 1
      case 1: position &+= 2
      default:
        guard first == 0x80 || first == 0x81 else { return nil }
        position &+= first == 0x80 ? 5 : 9
      }
    }
    guard position < bytes.count else { return nil }
    let stream = unsafe UnsafeRawBufferPointer(rebasing: bytes[position...])
    return unsafe PackedHeader.elementCount(
      PackedHeader.literalPrefix(stream), kind, group: group)
  }

  /// Reports a blob ``leaveBlobToChecksum(_:group:counting:origin:)`` stepped over.
  mutating func reportLeftBlob<H: RDBHandler>(
    _ kind: ValueBlob.Kind, _ left: (length: Int, count: Int?), nodeID: StreamID? = nil,
    to handler: inout H
  ) throws(RDBError) {
    try handler.valueBlob(
      ValueBlob(
        kind: kind, byteCount: left.length, isCompressed: true,
        storedByteCount: lastStringStoredBytes, elementCount: left.count, streamNodeID: nodeID))
  }

  /// The element count of a decoded blob (``ValueBlob/elementCount``): its header's, else a
  /// walk's. A walk that meets damage throws as the blob's own walk would.
  @unsafe func elementCount(
    _ blob: UnsafeRawBufferPointer, _ kind: ValueBlob.Kind, group: Int, origin: Int
  ) throws(RDBError) -> Int? {
    if let count = unsafe PackedHeader.elementCount(blob, kind, group: group) { return count }
    var count = 0
    switch kind {
    case .listpack:
      var reader = unsafe try ListpackReader(blob, origin: origin, checksCount: group != 0)
      if group == 0 {
        guard let first = try reader.next(), first.isInteger, first.integer >= 0 else {
          return nil
        }
        return Int(first.integer)
      }
      while try reader.next() != nil { count &+= 1 }
    case .ziplist:
      var reader = unsafe try ZiplistReader(blob, origin: origin)
      while try reader.next() != nil { count &+= 1 }
    case .zipmap:
      var reader = unsafe try ZipmapReader(blob, origin: origin)
      while try unsafe reader.next() != nil { count &+= 1 }
      return count
    case .intset, .plainNode: return nil
    }
    return group > 0 ? count / group : nil
  }
}
