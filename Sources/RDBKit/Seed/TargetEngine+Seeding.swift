extension TargetEngine {
  /// Whether a server of this target loads a file with header `version`.
  ///
  /// A server loads its own format and older ones of the same magic. Valkey (7.2 and later)
  /// also loads Redis files up to RDB 11, but no Redis release loads Valkey 9's
  /// `VALKEY080`, and Valkey refuses Redis's RDB 12 and 13 (field TTLs, key metadata).
  public func loads(_ version: RDBVersion) -> Bool {
    switch (self.version.magic, version.magic) {
    case (.redis, .redis), (.valkey, .valkey): return version.number <= self.version.number
    case (.valkey, .redis): return version.number <= 11
    case (.redis, .valkey): return false
    }
  }

  /// The memory model of this target's server: the profile of the open-source release it
  /// runs (ElastiCache Redis OSS 7.1 is built on Redis 7.0).
  public var memoryModelVersion: MemoryModel.Version {
    var parts = name.split(separator: "-").map(String.init)
    if parts.first == "elasticache" { parts.removeFirst() }
    guard parts.count == 2 else {
      return MemoryModel.detect(redisVersion: nil, valkeyVersion: nil, rdbVersion: version.number)
    }
    let release = name == "elasticache-redis-7.1" ? "7.0" : parts[1]
    return parts[0] == "valkey"
      ? MemoryModel.detect(redisVersion: nil, valkeyVersion: release, rdbVersion: version.number)
      : MemoryModel.detect(redisVersion: release, valkeyVersion: nil, rdbVersion: version.number)
  }
}
