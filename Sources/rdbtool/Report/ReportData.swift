import Foundation
import RDBKit

/// What the report page draws, taken from a ``StatsSummary`` and cut to a bounded size: the
/// prefix tree to its ``treeNodes`` largest nodes, the flat prefixes to 200, slots as three
/// arrays of 16,384 numbers; per-file entries stay whole (a few numbers a file).
struct ReportData: Encodable {
  /// The most prefix-tree nodes the page carries; smaller ones count in their parent.
  static let treeNodes = 3000

  /// One file of the export.
  struct File: Encodable {
    var name: String
    var keys: Int
    var bytes: Int
    var fileBytes: Int
    var rdbVersion: Int?
    var server: String?
  }

  /// A name with keys and bytes.
  struct Row: Encodable {
    var name: String
    var keys: Int
    var bytes: Int
  }

  /// A node of the page's tree: name, keys, bytes, bytes per TTL class, children; `o` marks
  /// an `(other)` node, `h` the bytes of smaller children the page leaves out.
  struct Node: Encodable {
    var n: String
    var k: Int
    var b: Int
    var t: [Int]
    var o: Bool?
    var h: Int?
    var c: [Node]?
  }

  /// Keys and bytes per slot, and the file that holds most of each slot's bytes (−1: none).
  struct Slots: Encodable {
    var keys: [Int]
    var bytes: [Int]
    var owner: [Int]
  }

  var title: String
  var generated: String
  var keys: Int
  var bytes: Int
  var note: String
  var allocator: String
  var separator: String
  var files: [File]
  var types: [Row]
  var encodings: [Row]
  var databases: [Row]
  var ttlClasses: [String]
  var ttl: [Row]
  var elementHistogram: [StatsSummary.Bucket]
  var stringLengthHistogram: [StatsSummary.Bucket]
  var sizeHistogram: [StatsSummary.Bucket]
  var topKeys: [StatsSummary.Key]
  var snapshotTimes: [String: Int64]
  var tree: Node
  var prefixes: [StatsSummary.Prefix]
  var slots: Slots?
  var findings: [ReportFinding]
  var bigKeyThresholds: BigKeyThresholds

  init(_ summary: StatsSummary, title: String, findings: [ReportFinding]) {
    self.title = title
    generated = ISO8601DateFormatter().string(from: Date())
    let total = summary.total
    keys = total.total.keys
    bytes = total.total.bytes
    note = summary.memoryModel.note
    allocator = summary.memoryModel.allocator
    separator = summary.settings.separator
    files = summary.files.map {
      File(
        name: $0.name, keys: $0.keys, bytes: $0.bytes, fileBytes: $0.fileBytes,
        rdbVersion: $0.rdbVersion, server: $0.server)
    }
    func rows(_ tallies: [String: StatsAnalyzer.Tally]) -> [Row] {
      tallies.map { Row(name: $0.key, keys: $0.value.keys, bytes: $0.value.bytes) }.sorted {
        $0.bytes != $1.bytes ? $0.bytes > $1.bytes : $0.name < $1.name
      }
    }
    types = rows(total.types)
    encodings = rows(total.encodings)
    databases = rows(total.databases)
    ttlClasses = StatsAnalyzer.TTLClass.allCases.map(\.rawValue)
    ttl = ttlClasses.map {
      Row(name: $0, keys: total.ttl[$0]?.keys ?? 0, bytes: total.ttl[$0]?.bytes ?? 0)
    }
    elementHistogram = total.elementHistogram
    stringLengthHistogram = total.stringLengthHistogram
    sizeHistogram = total.sizeHistogram
    var keys = total.topKeys
    var seen = Set(keys.map { "\($0.file)\u{0}\($0.db)\u{0}\($0.key)" })
    for key in total.bigKeys.keys
    where seen.insert("\(key.file)\u{0}\(key.db)\u{0}\(key.key)").inserted {
      keys.append(key)
    }
    topKeys = keys
    snapshotTimes = Dictionary(
      summary.files.compactMap { file in file.snapshotTime.map { (file.name, $0) } },
      uniquingKeysWith: { first, _ in first })
    tree = Self.cut(total.tree, classes: ttlClasses)
    prefixes = Array(total.prefixes.prefix(200))
    slots = Self.slots(summary.files)
    self.findings = findings
    bigKeyThresholds = summary.settings.bigKeys
  }

  /// `root` with only its ``treeNodes`` largest nodes (a parent is always larger than its
  /// children, so the kept nodes form a tree); each node says how many bytes it left out.
  private static func cut(_ root: PrefixTreeNode, classes: [String]) -> Node {
    var sizes: [Int] = []
    func collect(_ node: PrefixTreeNode) {
      for child in node.children ?? [] {
        sizes.append(child.bytes)
        collect(child)
      }
    }
    collect(root)
    let floor = sizes.count > treeNodes ? sizes.sorted(by: >)[treeNodes - 1] : Int.min
    var budget = treeNodes
    func build(_ node: PrefixTreeNode) -> Node {
      var result = Node(
        n: node.name, k: node.keys, b: node.bytes, t: classes.map { node.ttl[$0]?.bytes ?? 0 },
        o: node.other)
      var kept: [Node] = []
      var hidden = 0
      for child in node.children ?? [] {
        if child.bytes >= floor, child.bytes > 0, budget > 0 {
          budget -= 1
          kept.append(build(child))
        } else {
          hidden += child.bytes
        }
      }
      if !kept.isEmpty { result.c = kept }
      if hidden > 0 { result.h = hidden }
      return result
    }
    return build(root)
  }

  /// Per slot over all files, or nil when no file has slot figures.
  private static func slots(_ files: [StatsSummary.File]) -> Slots? {
    guard files.contains(where: { !$0.slots.isEmpty }) else { return nil }
    var result = Slots(
      keys: Array(repeating: 0, count: HashSlot.count),
      bytes: Array(repeating: 0, count: HashSlot.count),
      owner: Array(repeating: -1, count: HashSlot.count))
    var ownerBytes = Array(repeating: -1, count: HashSlot.count)
    for (index, file) in files.enumerated() {
      for entry in file.slots where entry.count == 3 && (0..<HashSlot.count).contains(entry[0]) {
        let slot = entry[0]
        result.keys[slot] += entry[1]
        result.bytes[slot] += entry[2]
        if entry[2] > ownerBytes[slot] {
          ownerBytes[slot] = entry[2]
          result.owner[slot] = index
        }
      }
    }
    return result
  }
}
