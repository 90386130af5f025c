import RDBKit

extension StatsReport {
  /// The frame or row name for keys with no separator, which count in the tree's root only.
  static let unprefixed = "(no separator)"

  /// The prefix tree as a table: each prefix indented under its parent, largest first, with
  /// its keys, memory and share; a prefix's keys that go no deeper are its own row,
  /// `(keys)`. Rows stop at `prefixLimit` (default 50); prefixes under 0.1 % of the memory
  /// are left out and counted in the last row.
  func treeText() -> String {
    let limit = prefixLimit ?? 50
    let floor = max(1, total.total.bytes / 1000)
    var rows: [[String]] = []
    var hidden = 0
    func visit(_ node: PrefixTreeNode, depth: Int) {
      let indent = String(repeating: "  ", count: max(0, depth - 1))
      if depth > 0 {
        guard rows.count < limit, node.bytes >= floor else {
          hidden += 1
          return
        }
        rows.append(row(indent + Self.segment(node.name), node.tally))
      }
      let own = node.own
      if own.keys > 0, depth == 0 || node.children != nil {
        if rows.count < limit, own.bytes >= floor {
          rows.append(row(depth == 0 ? Self.unprefixed : indent + "  (keys)", own))
        } else {
          hidden += 1
        }
      }
      for child in node.children ?? [] { visit(child, depth: depth + 1) }
    }
    visit(total.tree, depth: 0)
    if hidden > 0 { rows.append(["(\(hidden) smaller prefixes)", "", "", ""]) }
    return Table(["prefix tree", "keys", "memory", "share"], rows).render()
  }

  private func row(_ name: String, _ tally: StatsAnalyzer.Tally) -> [String] {
    [name, String(tally.keys), Self.bytes(tally.bytes), percent(tally.bytes)]
  }

  /// A segment as a frame or row: `(empty)` for an empty one.
  static func segment(_ name: String) -> String { name.isEmpty ? "(empty)" : name }

  /// Folded stacks, the text `flamegraph.pl` and speedscope read: one line per prefix that
  /// holds keys of its own, its segments joined by `;` (a `;` inside a segment is written
  /// `\x3b`), a space, and the estimated bytes of those keys. Keys with no separator are the
  /// one frame `(no separator)`.
  func foldedText() -> String {
    var lines: [String] = []
    func frame(_ name: String) -> String {
      segment(name).replacingOccurrences(of: ";", with: "\\x3b")
    }
    func visit(_ node: PrefixTreeNode, path: String) {
      let own = node.own
      if own.bytes > 0 { lines.append((path.isEmpty ? Self.unprefixed : path) + " \(own.bytes)") }
      for child in node.children ?? [] {
        visit(child, path: path.isEmpty ? frame(child.name) : path + ";" + frame(child.name))
      }
    }
    func segment(_ name: String) -> String { Self.segment(name) }
    visit(total.tree, path: "")
    return lines.map { $0 + "\n" }.joined()
  }
}
