import RDBKit
import Testing

/// A rewrite for a named target keeps the input's `redis-ver` / `valkey-ver` only where that
/// server could have written a file for the target (else Valkey 8.1's string rule and memory
/// model would be applied to a file meant for another server).
struct TargetServerVersionTests {
  static let cases: [(target: String, key: String, value: String, kept: Bool)] = [
    ("redis-7.0", "valkey-ver", "9.1.2", false),
    ("valkey-8.0", "valkey-ver", "9.1.2", false),
    ("valkey-8.0", "valkey-ver", "8.0.1", true),
    ("valkey-9.1", "valkey-ver", "8.1.1", true),
    ("elasticache-valkey-8.1", "valkey-ver", "8.1.1", true),
    ("redis-7.0", "redis-ver", "7.4.1", false),
    ("redis-7.0", "redis-ver", "7.0.15", true),
    ("redis-8.6", "redis-ver", "7.0.15", true),
    ("elasticache-redis-7.1", "redis-ver", "7.2.4", false),
    ("valkey-8.0", "redis-ver", "7.2.4", true),
    ("valkey-8.0", "redis-ver", "7.4.1", false),
    ("redis-7.0", "redis-ver", "not a version", false),
    ("redis-7.0", "ctime", "1733000000", true),
  ]

  @Test(arguments: cases.indices)
  func versionFieldsFollowTheTarget(_ index: Int) throws {
    let entry = Self.cases[index]
    let engine = try #require(TargetEngine.named(entry.target))
    let key = Array(entry.key.utf8)
    let value = Array(entry.value.utf8)
    let kept = engine.keepsServerVersion(key: key.span.bytes, value: value.span.bytes)
    #expect(kept == entry.kept)
  }

  @Test func aBareFormatKeepsBoth() {
    let engine = TargetEngine.format(RDBVersion(magic: .redis, number: 9))
    let key = Array("valkey-ver".utf8)
    let value = Array("9.1.2".utf8)
    let kept = engine.keepsServerVersion(key: key.span.bytes, value: value.span.bytes)
    #expect(kept)
  }
}
