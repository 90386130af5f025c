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
