import Foundation
import Testing

/// `rdbtool seed-check` through the built binary: a passing and a failing case for each rule,
/// the suggested fix run and checked again, and the exit statuses 0, 1 and 2.
@Suite struct SeedCheckCommandTests {
  static let redis70 = RDBToolProcess.fixture("redis-7.0.15/default.rdb")

  /// The run's exit status and its findings (rule, status, command) from `--json`.
  struct Check {
    var status: Int32
    var findings: [[String: Any]]

    func statuses(_ rule: String) -> [String] {
      findings.filter { $0["rule"] as? String == rule }.compactMap { $0["status"] as? String }
    }

    func failing(_ rule: String) -> [String: Any]? {
      findings.first { $0["rule"] as? String == rule && $0["status"] as? String == "fail" }
    }
  }

  static func seedCheck(_ arguments: [String]) throws -> Check {
    let run = try RDBToolProcess.run(["seed-check", "--json", "-q"] + arguments)
    let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8))
    let document = try #require(object as? [String: Any], "\(run.stderr)")
    let findings = try #require(document["findings"] as? [[String: Any]])
    #expect((document["passed"] as? Bool) == (run.status == 0))
    return Check(status: run.status, findings: findings)
  }

  /// Runs a finding's command (`rdbtool …`) through the binary.
  static func runFix(_ finding: [String: Any]) throws {
    let command = try #require(finding["command"] as? [String])
    #expect(command.first == "rdbtool")
    let run = try RDBToolProcess.run(Array(command.dropFirst()) + ["-q"])
    #expect(run.status == 0, "\(command): \(run.stderr)")
  }

  static func copy(_ fixture: String, into directory: URL) throws -> String {
    let path = directory.appendingPathComponent("default.rdb").path
    try FileManager.default.copyItem(atPath: RDBToolProcess.fixture(fixture), toPath: path)
    return path
  }

  @Test func rdb12AgainstValkey80FailsAndTheSuggestedRewritePasses() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let input = try Self.copy("redis-7.4.1/default.rdb", into: directory)
    let before = try Self.seedCheck(["--target", "elasticache-valkey-8.0", input])
    #expect(before.status == 1)
    let engine = try #require(before.failing("engine"))
    #expect((engine["message"] as? String)?.contains("REDIS0012") == true)
    let losses = try #require(engine["losses"] as? [[String: Any]])
    #expect(losses.contains { $0["kind"] as? String == "fieldTTLs" && $0["items"] as? Int == 79 })
    let command = try #require(engine["command"] as? [String])
    #expect(command.contains("--allow-loss"))
    try Self.runFix(engine)
    let output = directory.appendingPathComponent("default-elasticache-valkey-8.0.rdb").path
    #expect(command.last == output)
    let after = try Self.seedCheck(["--target", "elasticache-valkey-8.0", output])
    #expect(after.status == 0)
    #expect(after.statuses("engine") == ["pass"])
  }

  @Test func databaseOneFailsWithClusterModeEnabled() throws {
    let check = try Self.seedCheck([
      "--target", "valkey-8.0", "--cluster-mode", "enabled", Self.redis70,
    ])
    #expect(check.status == 1)
    let finding = try #require(check.failing("cluster"))
    #expect((finding["message"] as? String)?.contains("database 1") == true)
    #expect((finding["command"] as? [String])?.contains("--single-db") == true)
  }

  /// The split of a fixture passes the slot rule as an export of 3 shards; with two files
  /// swapped, keys are outside their file's slots.
  @Test func splitOutputsPassTheSlotRuleAndSwappedFilesFail() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let split = try RDBToolProcess.run([
      "split", "-q", "--shards", "3", "--db", "0", Self.redis70, "-o", directory.path,
    ])
    #expect(split.status == 0, "\(split.stderr)")
    let files = (1...3).map { directory.appendingPathComponent("default-000\($0).rdb").path }
    let arguments = ["--target", "elasticache-valkey-8.0", "--cluster-mode", "enabled"]
    let good = try Self.seedCheck(arguments + files)
    #expect(good.status == 0)
    #expect(good.statuses("cluster") == ["pass", "pass", "pass"])
    let swapped = try Self.seedCheck(arguments + [files[1], files[0], files[2]])
    #expect(swapped.status == 1)
    let finding = try #require(swapped.failing("cluster"))
    #expect((finding["message"] as? String)?.contains("outside the slots") == true)
    #expect((finding["command"] as? [String])?.prefix(4) == ["rdbtool", "split", "--shards", "3"])
    // The same file twice: every key is in two files.
    let twice = try Self.seedCheck(arguments + [files[0], files[0]])
    #expect(
      twice.findings.contains { ($0["message"] as? String)?.contains("more than one file") == true }
    )
  }

  @Test func severalFilesFailWithClusterModeDisabled() throws {
    let check = try Self.seedCheck(["--target", "redis-7.2", Self.redis70, Self.redis70])
    #expect(check.status == 1)
    let finding = try #require(check.failing("cluster"))
    #expect((finding["command"] as? [String])?.prefix(2) == ["rdbtool", "merge"])
  }

  @Test func memoryBeyondTheLimitFails() throws {
    let small = try Self.seedCheck(["--target", "redis-7.0", "--max-memory", "64KB", Self.redis70])
    #expect(small.status == 1)
    #expect(small.statuses("memory") == ["fail"])
    let node = try Self.seedCheck([
      "--target", "redis-7.0", "--node-type", "cache.t4g.micro", Self.redis70,
    ])
    #expect(node.status == 0)
    #expect(node.statuses("memory") == ["pass"])
    // Cluster mode: the fix is a split over enough shards.
    let split = try Self.seedCheck([
      "--target", "redis-7.0", "--shards", "2", "--max-memory", "512KB", Self.redis70,
    ])
    let finding = try #require(split.failing("memory"))
    #expect((finding["command"] as? [String])?.prefix(2) == ["rdbtool", "split"])
  }

  @Test func vectorSetsFailAgainstValkey80AndPassAgainstRedis80() throws {
    let fixture = RDBToolProcess.fixture("redis-8.0.6/default.rdb")
    let valkey = try Self.seedCheck(["--target", "valkey-8.0", fixture])
    #expect(valkey.status == 1)
    let finding = try #require(valkey.failing("functions-modules"))
    #expect((finding["message"] as? String)?.contains("vector set") == true)
    let redis = try Self.seedCheck(["--target", "redis-8.0", fixture])
    #expect(redis.statuses("functions-modules") == ["pass"])
    #expect(redis.statuses("engine") == ["pass"])
  }

  @Test func textReportEndsWithASummaryLine() throws {
    let run = try RDBToolProcess.run([
      "seed-check", "-q", "--target", "redis-7.2", "--node-type", "cache.r7g.large", Self.redis70,
    ])
    #expect(run.status == 0, "\(run.stderr)")
    let lines = run.stdout.split(separator: "\n")
    #expect(lines.first?.hasPrefix("PASS engine: ") == true)
    #expect(lines.last?.hasPrefix("seed would load: 0 failed") == true, "\(run.stdout)")
  }

  @Test(arguments: [
    ["--target", "valkey-99", "x.rdb"],
    ["x.rdb"],
    ["--target", "redis-7.2", "--shards", "3", "--cluster-mode", "disabled", "x.rdb"],
    ["--target", "redis-7.2", "--node-type", "cache.x1.huge", "x.rdb"],
    ["--target", "redis-7.2", "--node-type", "cache.r7g.large", "--max-memory", "1GB", "x.rdb"],
  ])
  func usageErrorsExit2(_ arguments: [String]) throws {
    let run = try RDBToolProcess.run(["seed-check"] + arguments)
    #expect(run.status == 2, "\(arguments): \(run.stderr)")
  }
}
