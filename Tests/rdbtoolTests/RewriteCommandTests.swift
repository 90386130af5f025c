import Foundation
import Testing

/// `rdbtool rewrite` through the built binary: the loss policy (exit 1 and nothing written,
/// or `--allow-loss` with a report), usage errors (exit 2), database mapping and merging,
/// exclusions, expired keys, several inputs and standard output.
@Suite struct RewriteCommandTests {
  static let source = RDBToolProcess.fixture("redis-7.4.1/default.rdb")

  /// The fixture's `expected.json` keys: `db`, `key` (hex), `expire_ms`, `field_expire_ms` ….
  static func expectedKeys() throws -> [[String: Any]] {
    let url = URL(fileURLWithPath: RDBToolProcess.fixture("redis-7.4.1/default.expected.json"))
    let document = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
    return try #require(document?["keys"] as? [[String: Any]])
  }

  /// The keys of an RDB file as `rdbtool dump --format jsonl` prints them.
  static func dumpedKeys(_ path: String) throws -> [[String: Any]] {
    let result = try RDBToolProcess.run(["dump", "--format", "jsonl", path])
    #expect(result.status == 0, "\(result.stderr)")
    return try result.stdout.split(separator: "\n").map { line in
      try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }
  }

  /// A dumped key name (a JSON string, or `{"base64": …}`) as lowercase hex.
  static func nameHex(_ key: Any?) -> String {
    var bytes: [UInt8] = []
    if let text = key as? String {
      bytes = Array(text.utf8)
    } else if let wrapped = key as? [String: Any], let base64 = wrapped["base64"] as? String {
      bytes = [UInt8](Data(base64Encoded: base64) ?? Data())
    }
    let digits = Array("0123456789abcdef")
    return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
  }

  /// Lowercase hex of text, as `expected.json` spells key names.
  static func hex(_ text: String) -> String { nameHex(text) }

  /// The example keys and counts of the field-TTL line of a loss report.
  static let fieldTTLLine = "hash field TTLs (need Redis 7.4 / RDB 12 or Valkey 9): "

  @Test func lossesStopTheRewriteAndLeaveNothing() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let output = directory.appendingPathComponent("out.rdb").path
    let result = try RDBToolProcess.run([
      "rewrite", "--target", "redis-6.2", Self.source, "-o", output,
    ])
    #expect(result.status == 1)
    let withTTLs = try Self.expectedKeys().filter {
      ($0["field_expire_ms"] as? [String: Any])?.isEmpty == false
    }
    let fieldCount = withTTLs.reduce(0) {
      $0 + (($1["field_expire_ms"] as? [String: Any])?.count ?? 0)
    }
    let line = try #require(
      result.stderr.split(separator: "\n").first { $0.contains(Self.fieldTTLLine) })
    #expect(line.contains("\(fieldCount) in \(withTTLs.count) keys (e.g. "), "\(line)")
    // Up to 5 examples, each a key that has field TTLs.
    let names = Set(withTTLs.compactMap { $0["key"] as? String })
    let examples = line.split(separator: "\"").enumerated().filter { $0.offset % 2 == 1 }.map {
      String($0.element)
    }
    #expect(examples.count == min(5, withTTLs.count))
    #expect(examples.allSatisfy { names.contains(Self.hex($0)) }, "\(examples)")
    #expect(result.stderr.contains("nothing written"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
  }

  @Test func allowedLossesAreWrittenAndReported() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let output = directory.appendingPathComponent("out.rdb").path
    let report = directory.appendingPathComponent("r.json").path
    let result = try RDBToolProcess.run([
      "rewrite", "--target", "redis-6.2", "--allow-loss", "--report", report, Self.source, "-o",
      output,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.contains(Self.fieldTTLLine))
    let verify = try RDBToolProcess.run(["verify", output])
    #expect(verify.status == 0)
    #expect(verify.stdout.contains("out.rdb: OK, REDIS0009, 123 keys"), "\(verify.stdout)")
    let document = try JSONSerialization.jsonObject(
      with: Data(contentsOf: URL(fileURLWithPath: report)))
    let json = try #require(document as? [String: Any])
    #expect(json["target"] as? String == "redis-6.2")
    #expect(json["rdb_version"] as? String == "REDIS0009")
    #expect(json["written"] as? Bool == true)
    let losses = try #require(json["losses"] as? [[String: Any]])
    let fieldTTLs = try #require(losses.first { $0["kind"] as? String == "fieldTTLs" })
    let withTTLs = try Self.expectedKeys().filter {
      ($0["field_expire_ms"] as? [String: Any])?.isEmpty == false
    }
    #expect(fieldTTLs["keys"] as? Int == withTTLs.count)
    #expect(
      fieldTTLs["items"] as? Int
        == withTTLs.reduce(0) { $0 + (($1["field_expire_ms"] as? [String: Any])?.count ?? 0) })
    #expect((fieldTTLs["examples"] as? [String])?.isEmpty == false)
    // Redis 6.2 has no functions (RDB 10) and no stream metadata (RDB 10) either.
    let kinds = Set(losses.compactMap { $0["kind"] as? String })
    #expect(kinds.isSuperset(of: ["fieldTTLs", "functions", "streamMetadata"]), "\(kinds)")
  }

  @Test func listTargetsNamesEveryTarget() throws {
    let result = try RDBToolProcess.run(["rewrite", "--list-targets"])
    #expect(result.status == 0)
    let names = Set(
      result.stdout.split(separator: "\n").compactMap {
        $0.split(separator: "\t").first.map(String.init)
      })
    let expected = [
      "redis-2.8", "redis-3.0", "redis-3.2", "redis-4.0", "redis-5.0", "redis-6.0", "redis-6.2",
      "redis-7.0", "redis-7.2", "redis-7.4", "valkey-7.2", "valkey-8.0", "valkey-8.1",
      "elasticache-redis-4.0", "elasticache-redis-5.0", "elasticache-redis-6.0",
      "elasticache-redis-6.2", "elasticache-redis-7.0", "elasticache-redis-7.1",
      "elasticache-valkey-7.2", "elasticache-valkey-8.0", "elasticache-valkey-8.1",
    ]
    #expect(
      Set(expected).isSubset(of: names), "missing: \(Set(expected).subtracting(names).sorted())")
    #expect(result.stdout.contains("redis-6.2\tREDIS0009"))
    #expect(result.stdout.contains("redis-7.4\tREDIS0012"))
  }

  @Test(arguments: [
    ["--target", "redis-9.9"], ["--target", "redis-7.2", "--rdb-version", "9"],
    ["--rdb-version", "14"], ["--db-map", "15"],
  ])
  func usageErrorsExitTwo(_ options: [String]) throws {
    let result = try RDBToolProcess.run(
      ["rewrite"] + options + [Self.source, "-o", "/nonexistent/x.rdb"])
    #expect(result.status == 2, "\(result.stderr)")
  }

  /// `shared:name` is in databases 0, 1 and 15 of the fixture.
  @Test func singleDatabaseNamesTheDuplicateKey() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let output = directory.appendingPathComponent("db0.rdb").path
    let result = try RDBToolProcess.run(["rewrite", "--single-db", Self.source, "-o", output])
    #expect(result.status == 1)
    #expect(result.stderr.contains("shared:name"), "\(result.stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
  }

  @Test func singleDatabaseKeepsTheFirstOnRequest() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let output = directory.appendingPathComponent("db0.rdb").path
    let result = try RDBToolProcess.run([
      "rewrite", "--single-db", "--on-duplicate", "first", Self.source, "-o", output,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let keys = try Self.dumpedKeys(output)
    #expect(keys.count == 121)
    #expect(keys.allSatisfy { $0["db"] as? Int == 0 })
    let shared = keys.filter { $0["key"] as? String == "shared:name" }
    #expect(shared.count == 1)
    #expect(shared.first?["value"] as? String == "value in db 0")
  }

  @Test func databaseMapMovesDatabase15To3() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let output = directory.appendingPathComponent("mapped.rdb").path
    let result = try RDBToolProcess.run(["rewrite", "--db-map", "15=3", Self.source, "-o", output])
    #expect(result.status == 0, "\(result.stderr)")
    let keys = try Self.dumpedKeys(output)
    let expected = try Self.expectedKeys()
    func names(_ keys: [[String: Any]], _ database: Int) -> [String] {
      keys.filter { $0["db"] as? Int == database }.map { Self.nameHex($0["key"]) }.sorted()
    }
    let moved = expected.filter { $0["db"] as? Int == 15 }.compactMap { $0["key"] as? String }
      .sorted()
    #expect(!moved.isEmpty)
    #expect(names(keys, 15).isEmpty)
    #expect(names(keys, 3) == moved)
    #expect(names(keys, 0).count == expected.filter { $0["db"] as? Int == 0 }.count)
  }

  @Test func excludedKeysAreLeftOut() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let output = directory.appendingPathComponent("filtered.rdb").path
    let result = try RDBToolProcess.run([
      "rewrite", "--exclude-match", "string:*", Self.source, "-o", output,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let keys = try Self.dumpedKeys(output)
    let excluded = try Self.expectedKeys().filter {
      ($0["key"] as? String)?.hasPrefix(Self.hex("string:")) == true
    }
    #expect(!excluded.isEmpty)
    #expect(keys.count == 123 - excluded.count)
    #expect(!keys.contains { ($0["key"] as? String)?.hasPrefix("string:") == true })
  }

  @Test func expiredKeysAreSkippedAtTheGivenTime() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let output = directory.appendingPathComponent("live.rdb").path
    let now: Int64 = 4_120_000_000_000
    let result = try RDBToolProcess.run([
      "rewrite", "--expired", "skip", "--now", String(now), Self.source, "-o", output,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let live = try Self.expectedKeys().filter {
      (($0["expire_ms"] as? NSNumber)?.int64Value ?? .max) > now
    }
    let keys = try Self.dumpedKeys(output)
    #expect(live.count < 123 - 6, "the time must drop more than the keys expired at ctime")
    #expect(
      keys.map { Self.nameHex($0["key"]) }.sorted()
        == live.compactMap { $0["key"] as? String }.sorted())
  }

  @Test func severalInputsKeepTheirNames() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = try RDBToolProcess.run([
      "rewrite", Self.source, RDBToolProcess.fixture("redis-6.2.16/lfu.rdb"), "-o", directory.path,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == [
        "default.rdb", "lfu.rdb",
      ])
    let verify = try RDBToolProcess.run([
      "verify", directory.appendingPathComponent("default.rdb").path,
      directory.appendingPathComponent("lfu.rdb").path,
    ])
    #expect(verify.status == 0)
    #expect(verify.stdout.contains("default.rdb: OK, REDIS0012"))
    #expect(verify.stdout.contains("lfu.rdb: OK, REDIS0009"))
  }

  /// Two inputs with the same file name (shards of two servers, say) must not end as one file
  /// in the output directory with exit 0: the first rewrite would be lost without a word.
  @Test func inputsWithTheSameNameDoNotOverwriteEachOther() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = try RDBToolProcess.run([
      "rewrite", Self.source, RDBToolProcess.fixture("redis-6.2.16/default.rdb"), "-o",
      directory.path,
    ])
    let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
    #expect(
      result.status != 0 || files.count == 2,
      "exit \(result.status) with \(files): one rewrite replaced the other")
  }

  /// `-o -` streams the file, so losses cannot stop it: it is written, and the exit status
  /// and the report say what it lacks.
  @Test(arguments: [("redis-8.0", "REDIS0012", Int32(0)), ("valkey-8.0", "REDIS0011", Int32(1))])
  func standardOutputIsAParseableFile(_ target: String, _ version: String, _ status: Int32) throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let output = directory.appendingPathComponent("piped.rdb").path
    // Through a shell, so that the bytes reach a file unchanged.
    let command =
      "'\(RDBToolProcess.binary.path)' rewrite -q --target \(target) '\(Self.source)' -o - > '\(output)'"
    let result = try RDBToolProcess.runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", command])
    #expect(result.status == status, "\(result.stderr)")
    #expect(result.stderr.contains(Self.fieldTTLLine) == (status == 1))
    let verify = try RDBToolProcess.run(["verify", output])
    #expect(verify.stdout.contains("piped.rdb: OK, \(version), 123 keys"), "\(verify.stdout)")
  }

  /// The read-back follows the file as it is written and leaves compressed strings to the
  /// checksum; a file written with `--no-checksum` (zero trailer) is parsed again whole once
  /// finished. Both are the same file but for the trailer, and the same keys.
  @Test func aFileWithoutChecksumIsReadBackWhole() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let checked = directory.appendingPathComponent("checked.rdb").path
    let unchecked = directory.appendingPathComponent("unchecked.rdb").path
    let first = try RDBToolProcess.run(["rewrite", Self.source, "-o", checked])
    #expect(first.status == 0, "\(first.stderr)")
    let second = try RDBToolProcess.run(["rewrite", "--no-checksum", Self.source, "-o", unchecked])
    #expect(second.status == 0, "\(second.stderr)")
    let withSum = try [UInt8](Data(contentsOf: URL(fileURLWithPath: checked)))
    let withoutSum = try [UInt8](Data(contentsOf: URL(fileURLWithPath: unchecked)))
    #expect(withSum.count == withoutSum.count && withSum.count > 8)
    #expect(withSum.dropLast(8).elementsEqual(withoutSum.dropLast(8)))
    #expect(withoutSum.suffix(8).allSatisfy { $0 == 0 })
    #expect(!withSum.suffix(8).allSatisfy { $0 == 0 })
    let keys = try Self.dumpedKeys(checked).count
    #expect(keys == 123)
    #expect(try Self.dumpedKeys(unchecked).count == keys)
  }
}
