/// One node of a ``PrefixTree`` as `stats --json` writes it: its name (a key-name segment as
/// text, `\xHH` for bytes that are not UTF-8), keys and estimated bytes at or below it, the
/// same split by TTL class, and its children, largest first.
public struct PrefixTreeNode: Codable, Sendable, Equatable {
  /// The segment's text (empty for the root, `(other)` for what the limits left out).
  public var name: String
  /// Keys at or below this node.
  public var keys: Int
  /// Estimated bytes at or below this node.
  public var bytes: Int
  /// Keys and bytes per TTL class (``StatsAnalyzer/TTLClass`` raw values), classes with keys
  /// only.
  public var ttl: [String: StatsAnalyzer.Tally]
  /// Whether this node holds what the tree's limits left out below its parent.
  public var other: Bool?
  /// The children, most bytes first (equal sizes by name); nil for a leaf.
  public var children: [PrefixTreeNode]?

  /// A node with no children.
  public init(name: String, ttl: [String: StatsAnalyzer.Tally], other: Bool = false) {
    self.name = name
    self.ttl = ttl
    self.other = other ? true : nil
    keys = ttl.values.reduce(0) { $0 + $1.keys }
    bytes = ttl.values.reduce(0) { $0 + $1.bytes }
  }

  /// The keys and bytes counted here and in no child: keys whose prefix ends at this node.
  public var own: StatsAnalyzer.Tally {
    let below = (children ?? []).reduce(into: StatsAnalyzer.Tally()) { $0.add($1.tally) }
    return StatsAnalyzer.Tally(keys: keys - below.keys, bytes: bytes - below.bytes)
  }

  /// Keys and bytes at or below this node.
  public var tally: StatsAnalyzer.Tally { StatsAnalyzer.Tally(keys: keys, bytes: bytes) }
}
