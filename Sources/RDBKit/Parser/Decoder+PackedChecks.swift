/// Listpack values walked in place for a handler that does not need their elements
/// (``RDBHandler/needsElements``): every check of reporting them, none of the calls.
extension Decoder {
  /// How a listpack value groups its elements.
  enum ListpackShape {
    /// List elements (a quicklist node or a whole small list).
    case list
    /// Set members, each at most once.
    case set
    /// Field/value pairs, each field at most once.
    case hash
    /// Member/score pairs, each member at most once, each score a number.
    case sortedSet

    /// The shape of a single-listpack value type, or nil for another type.
    init?(_ type: ValueType) {
      switch type {
      case .setListpack: self = .set
      case .hashListpack: self = .hash
      case .sortedSetListpack: self = .sortedSet
      default: return nil
      }
    }
  }

  /// Walks `reader` to its end with the same checks, in the same order, as the reporting
  /// path: element structure, pairing, repeats, scores.
  mutating func checkListpack(
    _ reader: inout ListpackReader, as shape: ListpackShape, origin: Int
  ) throws(RDBError) {
    switch shape {
    case .list:
      while try reader.next() != nil {}
    case .set:
      while let member = try reader.next() {
        guard duplicates.insert(member) else { throw Self.duplicate("listpack", origin) }
      }
    case .hash:
      while let field = try reader.next() {
        guard try reader.next() != nil else { throw Self.oddCount("listpack", origin) }
        guard duplicates.insert(field) else { throw Self.duplicate("listpack", origin) }
      }
    case .sortedSet:
      while let member = try reader.next() {
        guard let score = try reader.next() else { throw Self.oddCount("listpack", origin) }
        guard duplicates.insert(member) else { throw Self.duplicate("listpack", origin) }
        guard unsafe score.isInteger || DoubleText.isNumber(score.string) else {
          throw Self.notAScore(origin)
        }
      }
    }
  }
}
