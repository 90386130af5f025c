/// A server a rewritten file is meant for: the RDB version it loads and writes, and the
/// encodings its default configuration builds.
///
/// `rdbtool rewrite --target NAME` takes the ``name``; ElastiCache's engine versions map to
/// the open-source release each is built on.
public struct TargetEngine: Sendable, Equatable {
  /// The name `--target` takes, such as `redis-7.2` or `elasticache-valkey-8.0`.
  public var name: String
  /// The server it stands for, such as `Redis 7.2`.
  public var server: String
  /// The RDB header the file gets.
  public var version: RDBVersion
  /// The encoding thresholds of its default configuration.
  public var limits: EncodingLimits
  /// Module types the server has built in (Redis 8's `vectorset`).
  public var builtInModules: Set<String> = []
  /// How its cluster nodes carry per-slot size hints, which the writer keeps in that form.
  public var slotHints: SlotHintForm = .none
  /// The newest serialization version of a vector set's HNSW nodes its server reads: 0 for
  /// Redis 8.0 (8.0.2 refuses version 1, which 8.0.6 and 8.6 write), 1 otherwise.
  public var vectorSetNodeVersion = 1

  /// Every known target, oldest first.
  public static let all: [TargetEngine] = {
    let before70 = EncodingLimits()
    var from70 = EncodingLimits()
    from70.setListpackEntries = 0
    var from72 = EncodingLimits()
    from72.setListpackEntries = 128
    var from74 = from72
    from74.largestPackedElement = 8192
    var olderSets = before70
    olderSets.setListpackEntries = 0
    func redis(
      _ name: String, _ server: String, _ number: Int, _ limits: EncodingLimits,
      modules: Set<String> = [], slotHints: SlotHintForm = .none, vectorSetNodeVersion: Int = 1
    ) -> TargetEngine {
      TargetEngine(
        name: name, server: server, version: RDBVersion(magic: .redis, number: number),
        limits: limits, builtInModules: modules, slotHints: slotHints,
        vectorSetNodeVersion: vectorSetNodeVersion)
    }
    let open: [TargetEngine] = [
      redis("redis-2.8", "Redis 2.8", 6, olderSets),
      redis("redis-3.0", "Redis 3.0", 6, olderSets),
      redis("redis-3.2", "Redis 3.2", 7, olderSets),
      redis("redis-4.0", "Redis 4.0", 8, olderSets),
      redis("redis-5.0", "Redis 5.0", 9, olderSets),
      redis("redis-6.0", "Redis 6.0", 9, olderSets),
      redis("redis-6.2", "Redis 6.2", 9, olderSets),
      redis("redis-7.0", "Redis 7.0", 10, from70),
      redis("redis-7.2", "Redis 7.2", 11, from72),
      redis("redis-7.4", "Redis 7.4", 12, from74, slotHints: .opcode),
      redis(
        "redis-8.0", "Redis 8.0", 12, from74, modules: ["vectorset"], slotHints: .opcode,
        vectorSetNodeVersion: 0),
      redis("redis-8.6", "Redis 8.6", 13, from74, modules: ["vectorset"], slotHints: .opcode),
      redis("valkey-7.2", "Valkey 7.2", 11, from72),
      redis("valkey-8.0", "Valkey 8.0", 11, from74, slotHints: .auxField),
      redis("valkey-8.1", "Valkey 8.1", 11, from74, slotHints: .auxField),
      TargetEngine(
        name: "valkey-9.0", server: "Valkey 9.0", version: RDBVersion(magic: .valkey, number: 80),
        limits: from74, slotHints: .auxField),
      TargetEngine(
        name: "valkey-9.1", server: "Valkey 9.1", version: RDBVersion(magic: .valkey, number: 80),
        limits: from74, slotHints: .auxField),
    ]
    // ElastiCache's engine versions and the open-source release each loads files of.
    let elastiCache: [(name: String, server: String, base: String)] = [
      ("elasticache-redis-4.0", "ElastiCache Redis OSS 4.0", "redis-4.0"),
      ("elasticache-redis-5.0", "ElastiCache Redis OSS 5.0", "redis-5.0"),
      ("elasticache-redis-6.0", "ElastiCache Redis OSS 6.0", "redis-6.0"),
      ("elasticache-redis-6.2", "ElastiCache Redis OSS 6.2", "redis-6.2"),
      ("elasticache-redis-7.0", "ElastiCache Redis OSS 7.0", "redis-7.0"),
      ("elasticache-redis-7.1", "ElastiCache Redis OSS 7.1", "redis-7.0"),
      ("elasticache-valkey-7.2", "ElastiCache Valkey 7.2", "valkey-7.2"),
      ("elasticache-valkey-8.0", "ElastiCache Valkey 8.0", "valkey-8.0"),
      ("elasticache-valkey-8.1", "ElastiCache Valkey 8.1", "valkey-8.1"),
    ]
    return open
      + elastiCache.compactMap { entry in
        guard var engine = open.first(where: { $0.name == entry.base }) else { return nil }
        engine.name = entry.name
        engine.server = entry.server
        return engine
      }
  }()

  /// The target called `name`, or nil.
  public static func named(_ name: String) -> TargetEngine? {
    all.first { $0.name == name.lowercased() }
  }

  /// A bare format with the newest defaults that format can hold, for `--rdb-version N`
  /// or a rewrite that keeps the input's version. Slot hints take the form the format's
  /// newest server writes (in RDB 11, Valkey 8's AUX field, which Redis 7.2 skips).
  public static func format(_ version: RDBVersion) -> TargetEngine {
    let best =
      all.last { $0.version == version && !$0.name.hasPrefix("elasticache") }
      ?? all.last { $0.version.magic == version.magic && $0.version.number <= version.number }
    return TargetEngine(
      name: version.description, server: "RDB \(version.number)", version: version,
      limits: best?.limits ?? EncodingLimits(), builtInModules: best?.builtInModules ?? [],
      slotHints: best?.slotHints ?? .none)
  }
}
