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
  /// path: element structure, pairing, repeats, scores.
  mutating func checkPacked<R: PackedReader>(
    _ reader: inout R, as shape: PackedShape, origin: Int
  ) throws(RDBError) {
    switch shape {
    case .list:
      while try reader.next() != nil {}
    case .set:
      while let member = try reader.next() {
        guard duplicates.insert(member) else { throw Self.duplicate(R.name, origin) }
      }
    case .hash:
      while let field = try reader.next() {
        guard try reader.next() != nil else { throw Self.oddCount(R.name, origin) }
        guard duplicates.insert(field) else { throw Self.duplicate(R.name, origin) }
      }
    case .sortedSet:
      var warned = false
      while let member = try reader.next() {
        guard let score = try reader.next() else { throw Self.oddCount(R.name, origin) }
        guard duplicates.insert(member) else { throw Self.duplicate(R.name, origin) }
        if unsafe !score.isInteger && !DoubleText.isNumber(score.string) {
          _ = unsafe loadedScore(score.string, origin: origin, warned: &warned)
        }
      }
    case .hashWithTTLs:
      var previous: Int64 = 0
      var seenNoTTL = false
      while let field = try reader.next() {
        guard try reader.next() != nil, let ttl = try reader.next() else {
          throw RDBError(
            .corruptStructure(
              structure: R.name, reason: "element count is not a multiple of 3"),
            at: origin)
        }
        guard duplicates.insert(field) else { throw Self.duplicate(R.name, origin) }
        try Self.checkFieldTTL(ttl, previous: &previous, seenNoTTL: &seenNoTTL, origin: origin)
      }
    }
  }
}

/// Packed blobs left to the checksum: for a handler that reads no packed elements
/// (``RDBHandler/needsPackedElements``), in a file that ends in a CRC-64.
extension Decoder {
  /// When blobs may be left to the checksum (``leavesBlobsToChecksum``) and the one at the
  /// read position is LZF-compressed, checks its compressed and announced lengths (as
  /// ``readString(into:persistent:)`` does) and the header its first literal run shows
  /// (``PackedHeader``), steps over its bytes and returns its announced length; otherwise
  /// consumes nothing and returns nil, and the caller decodes the blob.
  @inline(__always)
  mutating func leaveBlobToChecksum(_ header: PackedHeader, origin: Int) throws(RDBError) -> Int? {
    guard leavesBlobsToChecksum, unsafe source.peek(upTo: 1).first == 0xC3 else { return nil }
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
      try unsafe header.check(
        UnsafeRawBufferPointer(rebasing: bytes[..<headCount]), length: length, origin: origin)
    }
    lastStringWasCompressed = true
    lastStringStoredBytes = compressedLength
    return length
  }

  /// Reports a blob ``leaveBlobToChecksum(_:origin:)`` stepped over.
  mutating func reportLeftBlob<H: RDBHandler>(
    _ kind: ValueBlob.Kind, length: Int, to handler: inout H
  ) throws(RDBError) {
    try handler.valueBlob(
      ValueBlob(
        kind: kind, byteCount: length, isCompressed: true, storedByteCount: lastStringStoredBytes))
  }
}
