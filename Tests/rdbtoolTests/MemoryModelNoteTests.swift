import Foundation
import Testing

/// `stats` and `memory` name the memory model (the server version from the file's
/// `redis-ver`/`valkey-ver`, or the option that chose it) and the allocator, with the hint
/// for Debian's and Ubuntu's packaged servers while the bundled jemalloc is assumed.
@Suite struct MemoryModelNoteTests {
  static let hint = "Debian or Ubuntu packages use the system jemalloc: --allocator system"

  /// The server version the fixture's own AUX field names, as `Redis 7.0` or `Valkey 8.0`.
  private func serverName(_ fixture: String) throws -> String {
    let url = URL(
      fileURLWithPath: RDBToolProcess.fixture(
        fixture.replacingOccurrences(of: ".rdb", with: ".expected.json")))
    let document = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    let aux = try #require(document["aux"] as? [String: String])
    if let valkey = aux["valkey-ver"] {
      return "Valkey " + valkey.split(separator: ".").prefix(2).joined(separator: ".")
    }
    let redis = try #require(aux["redis-ver"])
    return "Redis " + redis.split(separator: ".").prefix(2).joined(separator: ".")
  }

  @Test(arguments: ["redis-7.0.15/default.rdb", "valkey-8.0.1/default.rdb"])
  func memoryNamesTheModelOnStderr(_ fixture: String) throws {
    let path = RDBToolProcess.fixture(fixture)
    let result = try RDBToolProcess.run(["memory", path])
    #expect(result.status == 0, "\(result.stderr)")
    let name = try serverName(fixture)
    #expect(
      result.stderr.contains("memory model: \(name) (from the file), bundled jemalloc"),
      "\(result.stderr)")
    #expect(result.stderr.contains(Self.hint))
    #expect(!result.stdout.contains("memory model"))

    let system = try RDBToolProcess.run(["memory", "--allocator", "system", path])
    #expect(system.stderr.contains("memory model: \(name) (from the file), system jemalloc"))
    #expect(!system.stderr.contains(Self.hint))
    #expect(system.stdout != result.stdout, "--allocator system changes the estimates")

    let chosen = try RDBToolProcess.run(["memory", "--model", "6.2", path])
    #expect(chosen.stderr.contains("memory model: Redis 6.2 (--model)"))
    let quiet = try RDBToolProcess.run(["memory", "-q", path])
    #expect(!quiet.stderr.contains("memory model"))
  }

  @Test func statsReportsTheModel() throws {
    let fixture = "redis-7.0.15/default.rdb"
    let path = RDBToolProcess.fixture(fixture)
    let name = try serverName(fixture)
    let text = try RDBToolProcess.run(["stats", path])
    #expect(text.status == 0, "\(text.stderr)")
    let second = text.stdout.split(separator: "\n").dropFirst().first.map(String.init) ?? ""
    #expect(second.hasPrefix("memory model: \(name) (from the file), bundled jemalloc"))
    #expect(second.contains(Self.hint))

    let json = try RDBToolProcess.run(["stats", "--json", "--allocator", "system", path])
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    let model = try #require(report["memory_model"] as? [String: String])
    #expect(model["allocator"] == "system")
    #expect(model["note"]?.contains("system jemalloc") == true)
    let files = try #require(report["files"] as? [[String: Any]])
    #expect(files.first?["memory_model"] as? String == name)
  }
}
