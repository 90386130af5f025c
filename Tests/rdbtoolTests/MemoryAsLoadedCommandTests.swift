import Foundation
import Testing

/// `memory --as-loaded --target`: the loading server's encodings and sizes, and its usage
/// errors.
@Suite struct MemoryAsLoadedCommandTests {
  /// Rows of `memory --format jsonl` by key name.
  static func rows(_ arguments: [String]) throws -> [String: [String: Any]] {
    let result = try RDBToolProcess.run(["memory", "--format", "jsonl"] + arguments)
    #expect(result.status == 0, "\(result.stderr)")
    var rows: [String: [String: Any]] = [:]
    for line in result.stdout.split(separator: "\n") {
      let row = try #require(
        try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      if let key = row["key"] as? String { rows[key] = row }
    }
    return rows
  }

  @Test func aRedis62FileLoadedByRedis70IsConverted() throws {
    // compact-off: every set, hash and sorted set was a hash table on the writing server.
    let file = RDBToolProcess.fixture("redis-6.2.16/compact-off.rdb")
    let written = try Self.rows([file])
    let loaded = try Self.rows(["--as-loaded", "--target", "redis-7.0", file])
    #expect(written["zset:small"]?["encoding"] as? String == "skiplist")
    #expect(loaded["zset:small"]?["encoding"] as? String == "listpack")
    #expect(loaded["set:intset:16"]?["encoding"] as? String == "intset")
    #expect(loaded["hash:big"]?["encoding"] as? String == "hashtable")
    #expect(loaded.count == written.count)
  }

  @Test(arguments: [
    ["--as-loaded", "--target", "redis-99"], ["--target", "redis-7.0", "--model", "7.0"],
  ])
  func badTargetsAreUsageErrors(_ arguments: [String]) throws {
    let result = try RDBToolProcess.run(
      ["memory"] + arguments + [RDBToolProcess.fixture("redis-7.0.15/default.rdb")])
    #expect(result.status == 2, "\(result.stderr)")
  }
}
