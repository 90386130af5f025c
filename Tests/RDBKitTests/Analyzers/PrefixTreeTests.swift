import Testing

@testable import RDBKit

/// The bounded prefix tree against a plain dictionary of every prefix path, computed beside it.
@Suite struct PrefixTreeTests {
  /// Keys of 1–4 segments over a few hundred top-level prefixes, with sizes and TTL classes.
  static func keys(_ count: Int, seed: UInt64) -> [([UInt8], Int, StatsAnalyzer.TTLClass)] {
    var random = SplitMix64(seed: seed)
    return (0..<count).map { index in
      let segments = 1 + Int(random.next() % 4)
      let name = (0..<segments).map { level in
        level == segments - 1 ? "k\(index)" : "p\(random.next() % UInt64(level == 0 ? 300 : 20))"
      }.joined(separator: ":")
      let ttl = StatsAnalyzer.TTLClass.allCases[Int(random.next() % 8)]
      return (Array(name.utf8), 1 + Int(random.next() % 5000), ttl)
    }
  }

  /// Every prefix path (segments before the last separator, at most `depth`) with its tally.
  static func expected(_ keys: [([UInt8], Int, StatsAnalyzer.TTLClass)], depth: Int)
    -> [[String]: StatsAnalyzer.Tally]
  {
    var result: [[String]: StatsAnalyzer.Tally] = [:]
    for (key, bytes, _) in keys {
      let segments = String(decoding: key, as: UTF8.self).split(
        separator: ":", omittingEmptySubsequences: false
      ).map(String.init)
      result[[], default: StatsAnalyzer.Tally()].add(bytes)
      for length in stride(from: 1, through: min(depth, segments.count - 1), by: 1) {
        result[Array(segments.prefix(length)), default: StatsAnalyzer.Tally()].add(bytes)
      }
    }
    return result
  }

  /// Every node of `node` by path, with its tally; checks each node's TTL split adds up.
  static func flatten(
    _ node: PrefixTreeNode, path: [String] = [], into result: inout [[String]: StatsAnalyzer.Tally]
  ) {
    #expect(node.ttl.values.reduce(0) { $0 + $1.keys } == node.keys)
    result[path] = node.tally
    for child in node.children ?? [] {
      flatten(child, path: path + [child.name], into: &result)
    }
  }

  static func tree(_ keys: [([UInt8], Int, StatsAnalyzer.TTLClass)], _ empty: PrefixTree)
    -> PrefixTree
  {
    var tree = empty
    for (key, bytes, ttl) in keys { tree.add(key, bytes: bytes, ttl: ttl) }
    return tree
  }

  static func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

  @Test(arguments: [1, 2, 4])
  func withinTheLimitsEveryPrefixIsExact(depth: Int) {
    let keys = Self.keys(5000, seed: 7)
    let tree = Self.tree(keys, PrefixTree(maxDepth: depth, nodeLimit: 100_000, childLimit: 10_000))
    var found: [[String]: StatsAnalyzer.Tally] = [:]
    Self.flatten(tree.node(naming: Self.text), into: &found)
    #expect(found == Self.expected(keys, depth: depth))
  }

  /// With small limits, nothing is lost: the root holds the exact totals and its children
  /// (with `(other)`) all its keys with a separator, a kept node never holds more than its
  /// prefix's keys (fewer when it was folded once and made again), each node's children never
  /// hold more than it, and the bounds hold.
  @Test func limitsFoldIntoOtherAndKeepTotalsExact() {
    let keys = Self.keys(5000, seed: 11)
    let tree = Self.tree(keys, PrefixTree(maxDepth: 3, nodeLimit: 200, childLimit: 30))
    let expected = Self.expected(keys, depth: 3)
    var found: [[String]: StatsAnalyzer.Tally] = [:]
    let root = tree.node(naming: Self.text)
    Self.flatten(root, into: &found)
    #expect(found[[]] == expected[[]])
    var others = 0
    for (path, tally) in found where !path.contains("(other)") {
      let full = expected[path] ?? StatsAnalyzer.Tally()
      #expect(tally.keys <= full.keys && tally.bytes <= full.bytes, "\(path)")
    }
    let underRoot = (root.children ?? []).reduce(into: StatsAnalyzer.Tally()) { $0.add($1.tally) }
    var withSeparator = StatsAnalyzer.Tally()
    for (key, bytes, _) in keys where key.contains(UInt8(ascii: ":")) { withSeparator.add(bytes) }
    #expect(underRoot == withSeparator)
    func check(_ node: PrefixTreeNode) {
      let children = node.children ?? []
      #expect(children.filter { $0.other != true }.count <= 30)
      #expect(children.reduce(0) { $0 + $1.keys } <= node.keys)
      others += children.filter { $0.other == true }.count
      children.forEach(check)
    }
    var given = 0
    func countNodes(_ node: PrefixTreeNode) {
      given += 1
      (node.children ?? []).forEach(countNodes)
    }
    check(root)
    countNodes(root)
    #expect(others > 0, "the limits were never reached")
    #expect(given - others <= 200)
    // While adding, the tree holds at most twice its limit (plus one key's path and the
    // `(other)` children).
    #expect(tree.count <= 2 * 200 + 3 + 200)
  }

  /// Many small prefixes seen first and a few large ones seen last: the large ones are kept,
  /// in one run and in a merge of parts, with exact totals and the bounds kept.
  @Test func largePrefixesSeenLastAreKept() {
    var keys: [([UInt8], Int, StatsAnalyzer.TTLClass)] = []
    for index in 0..<3000 {
      keys.append((Array("small\(index):sub:k".utf8), 10 + index % 7, .none))
    }
    for index in 0..<300 {
      keys.append((Array("big\(index % 5):sub\(index % 3):k\(index)".utf8), 10_000, .none))
    }
    let empty = PrefixTree(maxDepth: 3, nodeLimit: 200, childLimit: 30)
    let expected = Self.expected(keys, depth: 3)
    var merged = empty
    for part in stride(from: 0, to: keys.count, by: 700) {
      merged.merge(Self.tree(Array(keys[part..<min(part + 700, keys.count)]), empty))
    }
    for (run, tree) in [Self.tree(keys, empty), merged].enumerated() {
      let root = tree.node(naming: Self.text)
      #expect(root.tally == expected[[]])
      let children = root.children ?? []
      #expect(children.filter { $0.other != true }.count == 30)
      let kept = Set(children.map(\.name))
      for index in 0..<5 {
        #expect(kept.contains("big\(index)"), "big\(index) is in (other)")
        for sub in 0..<3 {
          let node = children.first { $0.name == "big\(index)" }?.children?.first {
            $0.name == "sub\(sub)"
          }
          #expect(node?.tally == expected[["big\(index)", "sub\(sub)"]])
        }
      }
      let other = children.first { $0.other == true }
      let small = expected.filter { $0.key.count == 1 && $0.key[0].hasPrefix("small") }
      let keptSmall = children.filter { $0.name.hasPrefix("small") }
      #expect(
        (other?.bytes ?? 0) + keptSmall.reduce(0) { $0 + $1.bytes }
          == small.values.reduce(0) { $0 + $1.bytes })
      // In one run, where each small prefix's bytes come at once, every kept child holds at
      // least as many bytes as any prefix folded into `(other)`. (A merge may fold in one
      // part a prefix larger than one kept from another part.)
      let largestFolded = small.filter { !kept.contains($0.key[0]) }.map(\.value.bytes).max() ?? 0
      if run == 0 {
        #expect(children.filter { $0.other != true }.allSatisfy { $0.bytes >= largestFolded })
      }
      var nodes = 0
      func countNodes(_ node: PrefixTreeNode) {
        if node.other != true { nodes += 1 }
        (node.children ?? []).forEach(countNodes)
      }
      countNodes(root)
      #expect(nodes <= 200)
    }
  }

  /// Two halves merged give the tree of the whole, and a tree rebuilt from its nodes is the same.
  @Test func mergeOfHalvesIsTheWhole() {
    let keys = Self.keys(4000, seed: 3)
    let empty = PrefixTree(maxDepth: 4, nodeLimit: 100_000, childLimit: 10_000)
    var merged = Self.tree(Array(keys.prefix(1500)), empty)
    merged.merge(Self.tree(Array(keys.dropFirst(1500)), empty))
    let whole = Self.tree(keys, empty)
    #expect(merged.node(naming: Self.text) == whole.node(naming: Self.text))
    var rebuilt = empty
    rebuilt.add(whole.node(naming: Self.text))
    #expect(rebuilt.node(naming: Self.text) == whole.node(naming: Self.text))
  }
}
