/// An ElastiCache node type and the memory it has for data, for `rdbtool seed-check`.
///
/// The memory figures are the "Memory (GiB)" column of AWS's published node-type table
/// (Amazon ElastiCache User Guide, "Supported node types", and the node-type-specific
/// `maxmemory` parameters, which give the same figures in bytes). ElastiCache keeps
/// ``reservedMemoryPercent`` of that for backups and replication by default
/// (`reserved-memory-percent`), so a seed must fit in ``usableBytes``.
///
///     NodeType.named("cache.r7g.large")?.usableBytes   // 75 % of 13.07 GiB
public struct NodeType: Sendable, Equatable {
  /// The node type, such as `cache.r7g.large`.
  public var name: String
  /// The node's memory in GiB, as AWS's table gives it.
  public var memoryGiB: Double

  /// The share of memory ElastiCache reserves by default (`reserved-memory-percent` 25).
  public static let reservedMemoryPercent = 25

  /// A node type with `memoryGiB` of memory.
  public init(name: String, memoryGiB: Double) {
    self.name = name
    self.memoryGiB = memoryGiB
  }

  /// The node's memory in bytes.
  public var memoryBytes: Int { Int(memoryGiB * 1024 * 1024 * 1024) }

  /// The memory left for data once the default reserved share is set aside.
  public var usableBytes: Int { memoryBytes * (100 - Self.reservedMemoryPercent) / 100 }

  /// The type called `name` (`cache.` may be left off), or nil.
  public static func named(_ name: String) -> NodeType? {
    let full =
      name.lowercased().hasPrefix("cache.") ? name.lowercased() : "cache." + name.lowercased()
    return elastiCache.first { $0.name == full }
  }

  /// The smallest type of ``elastiCache`` whose ``usableBytes`` hold `bytes`, or nil.
  public static func smallest(holding bytes: Int) -> NodeType? {
    elastiCache.filter { $0.usableBytes >= bytes }.min { $0.memoryGiB < $1.memoryGiB }
  }

  /// Common ElastiCache node types (Valkey and Redis OSS), from AWS's published table.
  public static let elastiCache: [NodeType] = [
    ("cache.t3.micro", 0.5), ("cache.t3.small", 1.37), ("cache.t3.medium", 3.09),
    ("cache.t4g.micro", 0.5), ("cache.t4g.small", 1.37), ("cache.t4g.medium", 3.09),
    ("cache.m6g.large", 6.38), ("cache.m6g.xlarge", 12.93), ("cache.m6g.2xlarge", 26.04),
    ("cache.m6g.4xlarge", 52.26), ("cache.m6g.8xlarge", 103.68),
    ("cache.m6g.12xlarge", 157.12), ("cache.m6g.16xlarge", 209.55),
    ("cache.m7g.large", 6.38), ("cache.m7g.xlarge", 12.93), ("cache.m7g.2xlarge", 26.04),
    ("cache.m7g.4xlarge", 52.26), ("cache.m7g.8xlarge", 103.68),
    ("cache.m7g.12xlarge", 157.12), ("cache.m7g.16xlarge", 209.55),
    ("cache.r6g.large", 13.07), ("cache.r6g.xlarge", 26.32), ("cache.r6g.2xlarge", 52.82),
    ("cache.r6g.4xlarge", 105.81), ("cache.r6g.8xlarge", 209.55),
    ("cache.r6g.12xlarge", 317.77), ("cache.r6g.16xlarge", 419.09),
    ("cache.r7g.large", 13.07), ("cache.r7g.xlarge", 26.32), ("cache.r7g.2xlarge", 52.82),
    ("cache.r7g.4xlarge", 105.81), ("cache.r7g.8xlarge", 209.55),
    ("cache.r7g.12xlarge", 317.77), ("cache.r7g.16xlarge", 419.09),
  ].map { NodeType(name: $0.0, memoryGiB: $0.1) }
}
