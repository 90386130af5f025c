import Testing

@testable import RDBKit

/// `stats` counts a key's prefixes through ``StatsAnalyzer/FirstSegments`` (one lookup of the
/// first segment for the flat report and the tree): the figures must be those of the report
/// and the tree fed every key on their own, misses, line conflicts, prunes and overflow
/// included.
@Suite struct StatsAnalyzerPrefixTests {
  /// Keys over many first segments (more than the lines), with names that have no separator,
  /// an empty first segment, or one longer than a line holds.
  static func keys(_ count: Int, seed: UInt64) -> [([UInt8], Int, Int64?)] {
    var random = SplitMix64(seed: seed)
    return (0..<count).map { index in
      let name: String
      switch random.next() % 10 {
      case 0: name = "plain\(index)"
      case 1: name = ":empty:\(index)"
      case 2: name = "a-first-segment-of-\(random.next() % 30)-bytes:\(index)"
      case 3: name = "s\(random.next() % 1000):x:\(index)"
      default:
        let segments = 1 + Int(random.next() % 4)
        name = (0..<segments).map { level in
          level == segments - 1 ? "k\(index)" : "p\(random.next() % UInt64(level == 0 ? 300 : 20))"
        }.joined(separator: ":")
      }
      let expiry: Int64? = random.next() % 3 == 0 ? 1_700_000_000_000 : nil
      return (Array(name.utf8), 1 + Int(random.next() % 5000), expiry)
    }
  }

  static func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

  @Test(arguments: [
    (100_000, 20_000, 500, 1), (60, 40, 8, 1), (0, 30, 5, 1), (100_000, 20_000, 500, 2),
  ])
  func sharedLookupCountsAsTheReportAndTreeAlone(
    limits: (report: Int, nodes: Int, children: Int, depth: Int)
  ) throws {
    let keys = Self.keys(30_000, seed: 11)
    let emptyReport = PrefixReport(depth: limits.depth, limit: limits.report)
    let emptyTree = PrefixTree(nodeLimit: limits.nodes, childLimit: limits.children)
    var analyzer = StatsAnalyzer(prefixes: emptyReport, tree: emptyTree)
    var report = emptyReport
    var tree = emptyTree
    for (key, bytes, expiry) in keys {
      try analyzer.consume(
        KeyMemoryReport(
          database: 0, key: key, type: .string, encoding: .embstr, sizeInBytes: bytes,
          elementCount: 1, largestElementLength: 1, expiresAt: expiry))
      report.add(key, bytes: bytes)
      tree.add(key, bytes: bytes, ttl: StatsAnalyzer.ttlClass(expiry, snapshot: nil))
    }
    let counted = analyzer.prefixes.byMemory()
    let expected = report.byMemory()
    #expect(counted.map(\.prefix) == expected.map(\.prefix))
    #expect(counted.map(\.tally) == expected.map(\.tally))
    #expect(analyzer.prefixes.overflow == report.overflow)
    #expect(analyzer.tree.node(naming: Self.text) == tree.node(naming: Self.text))
  }
}
