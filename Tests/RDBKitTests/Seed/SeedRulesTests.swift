import RDBKit
import Testing

/// The tables seed-check relies on: which headers a target loads, and node memory.
@Suite struct SeedRulesTests {
  @Test(arguments: [
    ("valkey-8.0", RDBVersion(magic: .redis, number: 11), true),
    ("valkey-8.0", RDBVersion(magic: .redis, number: 12), false),
    ("elasticache-valkey-8.1", RDBVersion(magic: .redis, number: 9), true),
    ("valkey-9.0", RDBVersion(magic: .redis, number: 12), false),
    ("valkey-9.0", RDBVersion(magic: .valkey, number: 80), true),
    ("redis-8.6", RDBVersion(magic: .valkey, number: 80), false),
    ("redis-7.4", RDBVersion(magic: .redis, number: 12), true),
    ("elasticache-redis-7.1", RDBVersion(magic: .redis, number: 11), false),
  ])
  func targetLoadsWhatItsServerLoads(_ name: String, _ version: RDBVersion, _ loads: Bool) throws {
    let target = try #require(TargetEngine.named(name))
    #expect(target.loads(version) == loads)
  }

  @Test func memoryModelIsTheTargetsRelease() throws {
    #expect(TargetEngine.named("elasticache-redis-7.1")?.memoryModelVersion == .redis70)
    #expect(TargetEngine.named("elasticache-valkey-8.0")?.memoryModelVersion == .valkey80)
    #expect(TargetEngine.named("redis-7.4")?.memoryModelVersion == .redis74)
  }

  @Test func nodeTypesKeepTheReservedShare() throws {
    let node = try #require(NodeType.named("cache.r7g.large"))
    #expect(NodeType.named("r7g.large") == node)
    #expect(node.usableBytes == Int(13.07 * 1024 * 1024 * 1024) * 3 / 4)
    #expect(NodeType.smallest(holding: node.usableBytes + 1)?.name == "cache.m6g.2xlarge")
    #expect(NodeType.named("cache.x1.huge") == nil)
  }
}
