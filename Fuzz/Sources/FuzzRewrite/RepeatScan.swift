import RDBKit

/// Finds a hash field, set member or sorted-set member that appears twice in one value. The
/// parser refuses that in packed values only; a hash-table value with a repeat parses (a
/// loading server refuses it), and its rewrite packs the repeat, which the parser then
/// refuses (FuzzFindingTests.hashTableHashWithARepeatedField, a known issue). FuzzRewrite
/// leaves such inputs out until the parser refuses them.
struct RepeatScan: RDBHandler {
  static let needsElements = true
  private var seen: Set<[UInt8]> = []
  private(set) var foundRepeat = false

  mutating func beginKey(_ key: RawSpan, info: KeyInfo) throws(RDBError) -> KeyDecision {
    seen = []
    return .decode
  }

  mutating func setMember(_ member: RawSpan) throws(RDBError) { record(member) }

  mutating func sortedSetMember(_ member: RawSpan, score: Double) throws(RDBError) {
    record(member)
  }

  mutating func hashField(_ field: RawSpan, value: RawSpan, expiresAt: Int64?)
    throws(RDBError)
  {
    record(field)
  }

  private mutating func record(_ element: RawSpan) {
    let bytes = element.withUnsafeBytes { Array($0) }
    if !seen.insert(bytes).inserted { foundRepeat = true }
  }
}
