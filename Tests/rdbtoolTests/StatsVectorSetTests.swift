import Foundation
import Testing

/// Vector sets are their own type in `stats`, text and JSON, with the server's count and
/// memory (`TYPE` says `vectorset`; `MEMORY USAGE` is the module's own figure).
@Suite struct StatsVectorSetTests {
  @Test(arguments: ["redis-8.0.6/default.rdb", "redis-8.6.3/default.rdb"])
  func vectorSetsAreATypeWithTheServersFigures(_ fixture: String) throws {
    let url = URL(
      fileURLWithPath: RDBToolProcess.fixture(
        fixture.replacingOccurrences(of: ".rdb", with: ".expected.json")))
    let document = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    let keys = try #require(document["keys"] as? [[String: Any]])
    let vectorSets = keys.filter { $0["type"] as? String == "vectorset" }
    let serverBytes = vectorSets.reduce(0) { $0 + (($1["memory_usage"] as? Int) ?? 0) }
    #expect(vectorSets.count >= 8)

    let json = try RDBToolProcess.run(["stats", "--json", RDBToolProcess.fixture(fixture)])
    #expect(json.status == 0, "\(json.stderr)")
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    let types = try #require((report["total"] as? [String: Any])?["types"] as? [String: Any])
    let tally = try #require(types["vectorset"] as? [String: Int])
    #expect(tally["keys"] == vectorSets.count)
    let bytes = try #require(tally["bytes"])
    #expect(
      abs(bytes - serverBytes) * 100 <= serverBytes, "\(bytes) vs the server's \(serverBytes)")
    #expect(types["module"] == nil, "no other module values in \(fixture)")

    let text = try RDBToolProcess.run(["stats", RDBToolProcess.fixture(fixture)])
    #expect(text.status == 0, "\(text.stderr)")
    let row = text.stdout.split(separator: "\n").first { $0.hasPrefix("vectorset ") }
    #expect(row?.split(separator: " ").dropFirst().first == "\(vectorSets.count)"[...])
  }
}
