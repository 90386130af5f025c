import RDBKit

/// The elements a parse reports, in order, as the decoders' direct walk lists them: list
/// elements, set members, hash fields then values (a hash's field TTLs and a sorted set's
/// scores are left to the parser's own checks), sorted-set members, a string's bytes.
struct ElementCollector: RDBHandler {
  private(set) var elements: [[UInt8]] = []

  mutating func stringValue(_ value: RawSpan) throws(RDBError) {
    elements.append(Self.bytes(value))
  }

  mutating func listElement(_ element: RawSpan) throws(RDBError) {
    elements.append(Self.bytes(element))
  }

  mutating func setMember(_ member: RawSpan) throws(RDBError) {
    elements.append(Self.bytes(member))
  }

  mutating func sortedSetMember(_ member: RawSpan, score: Double) throws(RDBError) {
    elements.append(Self.bytes(member))
  }

  mutating func hashField(_ field: RawSpan, value: RawSpan, expiresAt: Int64?) throws(RDBError) {
    elements.append(Self.bytes(field))
    elements.append(Self.bytes(value))
  }

  /// What ``elements`` must be for a blob of `kind` whose decoder read `direct`; nil for a
  /// stream node, whose entries the parser reports in another shape.
  func expected(from direct: [[UInt8]], _ kind: DecoderKind) -> [[UInt8]]? {
    switch kind {
    case .streamNode: nil
    case .sortedSetZiplist, .sortedSetListpack:
      direct.enumerated().filter { $0.offset.isMultiple(of: 2) }.map(\.element)
    case .hashListpackEx:
      direct.enumerated().filter { $0.offset % 3 != 2 }.map(\.element)
    default: direct
    }
  }

  private static func bytes(_ span: RawSpan) -> [UInt8] {
    span.withUnsafeBytes { unsafe Array($0) }
  }
}
