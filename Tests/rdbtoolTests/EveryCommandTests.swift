import Foundation
import Testing

/// Every reading command on every server-written fixture: exit 0 and output that agrees with
/// the server's own key count.
@Suite struct EveryCommandTests {
  static let fixtures: [String] = {
    let root = RDBToolProcess.testdata.appendingPathComponent("fixtures")
    let servers = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
    return servers.sorted().flatMap { server in
      ((try? FileManager.default.contentsOfDirectory(
        atPath: root.appendingPathComponent(server).path)) ?? [])
        .filter { $0.hasSuffix(".rdb") }.sorted().map { "\(server)/\($0)" }
    }
  }()

  @Test func fixturesArePresent() {
    #expect(Self.fixtures.count >= 50)
  }

  @Test(arguments: fixtures)
  func everyCommandReadsIt(_ fixture: String) throws {
    let path = RDBToolProcess.fixture(fixture)
    let expectedURL = URL(
      fileURLWithPath: path.replacingOccurrences(of: ".rdb", with: ".expected.json"))
    let document = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: expectedURL)) as? [String: Any])
    let keys = try #require(document["keys"] as? [[String: Any]]).count

    let stats = try RDBToolProcess.run(["stats", "--json", path])
    #expect(stats.status == 0, "\(stats.stderr)")
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])
    let total = try #require((report["total"] as? [String: Any])?["total"] as? [String: Any])
    #expect(total["keys"] as? Int == keys)

    let memory = try RDBToolProcess.run(["memory", "--format", "jsonl", path])
    #expect(memory.status == 0, "\(memory.stderr)")
    #expect(memory.stdout.split(separator: "\n").count == keys)

    let jsonl = try RDBToolProcess.run(["dump", "--format", "jsonl", path])
    #expect(jsonl.status == 0, "\(jsonl.stderr)")
    #expect(jsonl.stdout.split(separator: "\n").count == keys)

    let json = try RDBToolProcess.run(["dump", "--format", "json", path])
    #expect(json.status == 0, "\(json.stderr)")
    let databases = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
    #expect(databases.reduce(0) { $0 + $1.count } == keys)

    for format in ["resp", "csv"] {
      let output = try RDBToolProcess.run(["dump", "--format", format, path])
      #expect(output.status == 0, "\(format): \(output.stderr)")
    }
    for command in [["keys"], ["info"], ["verify"]] {
      let output = try RDBToolProcess.run(command + [path])
      #expect(output.status == 0, "\(command): \(output.stderr)")
    }
  }
}
