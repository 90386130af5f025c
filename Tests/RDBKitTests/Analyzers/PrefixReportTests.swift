import Testing

@testable import RDBKit

/// Key-name prefixes and their tallies, against a plain dictionary computed beside them.
@Suite struct PrefixReportTests {
  /// Keys over `prefixes` distinct prefixes, some without a separator, with sizes.
  static func keys(_ count: Int, prefixes: Int, seed: UInt64) -> [([UInt8], Int)] {
    var random = SplitMix64(seed: seed)
    return (0..<count).map { index in
      let group = random.below(prefixes)
      let name = group % 7 == 0 ? "bare\(group)" : "group\(group):\(index):tail"
      return (Array(name.utf8), 1 + random.below(10_000))
    }
  }

  static func expected(_ keys: [([UInt8], Int)], depth: Int) -> [[UInt8]: StatsAnalyzer.Tally] {
    var expected: [[UInt8]: StatsAnalyzer.Tally] = [:]
    for (key, bytes) in keys {
      var prefix = key
      var seen = 0
      for (index, byte) in key.enumerated() where byte == UInt8(ascii: ":") {
        seen += 1
        if seen == depth {
          prefix = Array(key[..<index])
          break
        }
      }
      expected[prefix, default: StatsAnalyzer.Tally()].add(bytes)
    }
    return expected
  }

  static func tallies(_ report: PrefixReport) -> [[UInt8]: StatsAnalyzer.Tally] {
    Dictionary(uniqueKeysWithValues: report.byMemory().map { ($0.prefix, $0.tally) })
  }

  @Test(arguments: [1, 2])
  func talliesMatchADictionary(depth: Int) {
    let keys = Self.keys(20_000, prefixes: 3_000, seed: UInt64(depth))
    var report = PrefixReport(depth: depth)
    for (key, bytes) in keys { report.add(key, bytes: bytes) }
    let expected = Self.expected(keys, depth: depth)
    #expect(report.count == expected.count)
    #expect(Self.tallies(report) == expected)
    let order = report.byMemory().map(\.tally.bytes)
    #expect(order == order.sorted(by: >))
  }

  /// Two shards' reports merged equal one report over all their keys.
  @Test func mergeEqualsOneReport() {
    let first = Self.keys(5_000, prefixes: 800, seed: 7)
    let second = Self.keys(5_000, prefixes: 800, seed: 8)
    var left = PrefixReport()
    var right = PrefixReport()
    var whole = PrefixReport()
    for (key, bytes) in first {
      left.add(key, bytes: bytes)
      whole.add(key, bytes: bytes)
    }
    for (key, bytes) in second {
      right.add(key, bytes: bytes)
      whole.add(key, bytes: bytes)
    }
    left.merge(right)
    #expect(Self.tallies(left) == Self.tallies(whole))
    #expect(left.byMemory().map(\.prefix) == whole.byMemory().map(\.prefix))
  }

  /// Past the limit, new prefixes are counted as overflow and known ones still grow.
  @Test func limitSendsNewPrefixesToOverflow() {
    var report = PrefixReport(limit: 3)
    for name in ["a:1", "b:1", "c:1", "d:1", "a:2", "e:1"] {
      report.add(Array(name.utf8), bytes: 10)
    }
    #expect(report.count == 3)
    #expect(report.overflow == StatsAnalyzer.Tally(keys: 2, bytes: 20))
    #expect(Self.tallies(report)[Array("a".utf8)] == StatsAnalyzer.Tally(keys: 2, bytes: 20))
  }
}
