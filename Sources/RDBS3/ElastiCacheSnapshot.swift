import RDBKit

/// What ElastiCache says about a snapshot: its name, status and shard count.
public struct ElastiCacheSnapshot: Sendable, Equatable {
  /// `SnapshotName`.
  public var name: String
  /// `SnapshotStatus` (`creating`, `available`, `copying`, …).
  public var status: String
  /// The number of shards: `NumNodeGroups`, else the count of `NodeSnapshot` entries; an
  /// export writes one `<target>-NNNN.rdb` object per shard.
  public var shardCount: Int

  /// Creates a description.
  public init(name: String, status: String, shardCount: Int) {
    self.name = name
    self.status = status
    self.shardCount = shardCount
  }

  /// Reads the first `Snapshot` element below `node`.
  init?(in node: XMLNode) {
    guard let snapshot = Self.first("Snapshot", in: node) else { return nil }
    name = snapshot.text(of: "SnapshotName") ?? ""
    status = snapshot.text(of: "SnapshotStatus") ?? ""
    let nodes = snapshot.child("NodeSnapshots")?.children("NodeSnapshot").count ?? 0
    shardCount = snapshot.text(of: "NumNodeGroups").flatMap { Int($0) } ?? max(nodes, 1)
  }

  private static func first(_ name: String, in node: XMLNode) -> XMLNode? {
    if node.name == name { return node }
    for child in node.children {
      if let found = first(name, in: child) { return found }
    }
    return nil
  }
}
