import Foundation
import Testing

/// `--on-duplicate first|last` of `merge`, `split` and `rewrite`, proven on a real
/// redis-7.0: the inputs are files the server wrote, the outputs are loaded by the server,
/// and each key's value and TTL are read from it.
@Suite struct DuplicateKeyMergeTests {
  /// Three dumps written by redis-7.0, in input order a, b, c. Key `shared` is in all three
  /// (and in a's database 1), `list` and `hash` in a and b (b's list with a TTL).
  static func writeInputs(into directory: URL) throws -> [String] {
    let server = try RedisServer()
    defer { server.stop() }
    let client = try server.client()
    let steps: [[[String]]] = [
      [
        ["SET", "shared", "from-a"], ["RPUSH", "list", "a1", "a2"], ["HSET", "hash", "f", "a"],
        ["SET", "only-a", "1"], ["SELECT", "1"], ["SET", "shared", "from-a-db1"],
        ["SELECT", "0"],
      ],
      [
        ["SET", "shared", "from-b"], ["RPUSH", "list", "b1"], ["EXPIRE", "list", "100000"],
        ["HSET", "hash", "f", "b"], ["SET", "only-b", "2"],
      ],
      [["SET", "shared", "from-c"]],
    ]
    var files: [String] = []
    for (index, commands) in steps.enumerated() {
      _ = try client.call("FLUSHALL")
      for command in commands { _ = try client.pipeline([command.map { Array($0.utf8) }]) }
      _ = try client.call("SAVE")
      let file = directory.appendingPathComponent("in-\(["a", "b", "c"][index]).rdb")
      try FileManager.default.copyItem(at: server.dumpURL, to: file)
      files.append(file.path)
    }
    return files
  }

  /// What a server loading `file` holds: `db/key` → value text (list elements and hash
  /// pairs joined), and `db/key` → whether it has a TTL.
  static func loaded(_ file: String) throws -> (values: [String: String], ttl: [String: Bool]) {
    let server = try RedisServer(preloadedRDB: URL(fileURLWithPath: file))
    defer { server.stop() }
    let client = try server.client()
    var values: [String: String] = [:]
    var ttl: [String: Bool] = [:]
    for database in 0..<2 {
      _ = try client.call("SELECT", "\(database)")
      for key in try client.call("KEYS", "*").elements.compactMap(\.text) {
        let type = try client.call("TYPE", key).text ?? ""
        let value: String
        switch type {
        case "list":
          value = try client.call("LRANGE", key, "0", "-1").elements.compactMap(\.text)
            .joined(separator: ",")
        case "hash":
          value = try client.call("HGETALL", key).elements.compactMap(\.text)
            .joined(separator: ",")
        default: value = try client.call("GET", key).text ?? "?"
        }
        values["\(database)/\(key)"] = value
        ttl["\(database)/\(key)"] = (try client.call("TTL", key).integer ?? -1) > 0
      }
    }
    return (values, ttl)
  }

  /// A fresh directory; the caller removes it.
  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("rdbkit-duplicates-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  static let common = ["0/only-a": "1", "0/only-b": "2"]

  @Test func mergeKeepsTheFirstOrTheLastOccurrence() throws {
    let directory = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let inputs = try Self.writeInputs(into: directory)
    let output = directory.appendingPathComponent("merged.rdb").path

    let refused = try RDBToolBinary.run(["merge", "-q"] + inputs + ["-o", output])
    #expect(refused.status == 1)
    // The first repeat in b's file order (the server's hash order), named with b's file.
    #expect(
      ["shared", "list", "hash"].contains { name in
        refused.stderr.contains(
          "in-b.rdb: key \"\(name)\" (input database 0) is already in output database 0")
      }, "\(refused.stderr)")
    #expect(!FileManager.default.fileExists(atPath: output))

    let cases: [([String], [String: String], Bool)] = [
      (
        ["--on-duplicate", "first"],
        ["0/shared": "from-a", "0/list": "a1,a2", "0/hash": "f,a", "1/shared": "from-a-db1"],
        false
      ),
      (
        ["--on-duplicate", "last"],
        ["0/shared": "from-c", "0/list": "b1", "0/hash": "f,b", "1/shared": "from-a-db1"], true
      ),
      (
        ["--single-db", "--on-duplicate", "first"],
        ["0/shared": "from-a", "0/list": "a1,a2", "0/hash": "f,a"], false
      ),
      (
        ["--single-db", "--on-duplicate", "last"],
        ["0/shared": "from-c", "0/list": "b1", "0/hash": "f,b"], true
      ),
    ]
    for (options, expected, listHasTTL) in cases {
      let run = try RDBToolBinary.run(["merge", "-q"] + options + inputs + ["-o", output])
      #expect(run.status == 0, "\(options): \(run.stderr)")
      let held = try Self.loaded(output)
      #expect(held.values == expected.merging(Self.common) { $1 }, "\(options)")
      #expect(held.ttl["0/list"] == listHasTTL, "\(options)")
      #expect(held.ttl["0/shared"] == false, "\(options)")
    }
  }

  @Test func splitAndRewriteKeepTheLastOccurrence() throws {
    let directory = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let inputs = try Self.writeInputs(into: directory)
    let shards = directory.appendingPathComponent("shards")
    let split = try RDBToolBinary.run(
      ["split", "-q", "--shards", "3", "--single-db", "--on-duplicate", "last"] + inputs
        + ["-o", shards.path])
    #expect(split.status == 0, "\(split.stderr)")
    var union: [String: String] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: shards.path).sorted() {
      let held = try Self.loaded(shards.appendingPathComponent(name).path)
      #expect(Set(held.values.keys).isDisjoint(with: union.keys), "a key in two shards")
      union.merge(held.values) { $1 }
    }
    #expect(
      union
        == ["0/shared": "from-c", "0/list": "b1", "0/hash": "f,b"].merging(Self.common) { $1 })

    // One input, databases merged: file order decides.
    let output = directory.appendingPathComponent("rewritten.rdb").path
    for (policy, value) in [("first", "from-a"), ("last", "from-a-db1")] {
      let rewrite = try RDBToolBinary.run(
        ["rewrite", "-q", "--single-db", "--on-duplicate", policy, inputs[0], "-o", output])
      #expect(rewrite.status == 0, "\(rewrite.stderr)")
      let held = try Self.loaded(output)
      #expect(held.values["0/shared"] == value, "\(policy)")
      #expect(held.values.count == 4, "\(policy): \(held.values)")
    }
  }
}
