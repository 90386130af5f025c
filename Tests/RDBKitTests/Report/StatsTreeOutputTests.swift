import Foundation
import RDBKit
import Testing

/// `stats --format folded` and `stats --tree` on the cluster export: the folded grammar that
/// flamegraph.pl reads (Debian 12 has no `flamegraph` package, so the grammar is checked
/// here), bytes that add up to the total, and tree rows that are the JSON tree's nodes.
@Suite struct StatsTreeOutputTests {
  static func summary(_ paths: [String]) throws -> StatsSummary {
    let result = try RDBToolBinary.run(["stats", "--json"] + paths)
    #expect(result.status == 0, "\(result.stderr)")
    return try JSONDecoder().decode(StatsSummary.self, from: Data(result.stdout.utf8))
  }

  @Test func foldedStacksFollowTheGrammarAndAddUp() throws {
    let paths = try ClusterExport.shared.get().files.map(\.path)
    let result = try RDBToolBinary.run(["stats", "--format", "folded"] + paths)
    #expect(result.status == 0, "\(result.stderr)")
    let summary = try Self.summary(paths)
    // flamegraph.pl's stackcollapse grammar: frames with no ';' joined by ';', one space,
    // a decimal count; every line ends with a newline.
    let line = /^([^;\n]+(?:;[^;\n]+)*) ([0-9]+)$/
    #expect(result.stdout.hasSuffix("\n"))
    var total = 0
    var stacks: [String: Int] = [:]
    for text in result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
      let match = try #require(try line.wholeMatch(in: String(text)), "\(text)")
      let count = try #require(Int(match.2))
      #expect(count > 0)
      total += count
      #expect(stacks[String(match.1)] == nil, "stack listed twice: \(match.1)")
      stacks[String(match.1)] = count
    }
    #expect(total == summary.total.total.bytes)
    // Each stack is a path of the tree whose own bytes (not in a child) are the count.
    func visit(_ node: PrefixTreeNode, path: [String]) {
      if !path.isEmpty, node.own.bytes > 0 {
        #expect(stacks[path.joined(separator: ";")] == node.own.bytes, "\(path)")
      }
      for child in node.children ?? [] { visit(child, path: path + [child.name]) }
    }
    visit(summary.total.tree, path: [])
    #expect(stacks["(no separator)"] == summary.total.tree.own.bytes)
    #expect(stacks["session"] != nil && stacks["cart"] != nil)
    #expect(stacks.keys.contains { $0.hasPrefix("feed;") })
  }

  @Test func treeRowsAreTheJSONTree() throws {
    let paths = try ClusterExport.shared.get().files.map(\.path)
    let result = try RDBToolBinary.run(["stats", "--tree", "--prefixes", "500"] + paths)
    #expect(result.status == 0, "\(result.stderr)")
    let summary = try Self.summary(paths)
    let table = try #require(result.stdout.components(separatedBy: "prefix tree").last)
    let rows = table.split(separator: "\n").dropFirst(2)
    for child in summary.total.tree.children ?? [] {
      let row = try #require(
        rows.first { $0.hasPrefix(child.name + " ") }, "no row for \(child.name)")
      let columns = row.split(separator: " ", omittingEmptySubsequences: true)
      #expect(columns.count >= 2 && columns[1] == Substring(String(child.keys)), "\(row)")
    }
    #expect(rows.contains { $0.hasPrefix("  ") }, "no second level in\n\(table)")
  }
}
