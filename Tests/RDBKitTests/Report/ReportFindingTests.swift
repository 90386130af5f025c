import Foundation
import Testing

/// The report's findings on keys a real server holds: big keys by the thresholds given (the
/// server's own LLEN, HLEN and STRLEN say which are over), and prefixes none of whose keys
/// has a TTL (a prefix with TTLs on all keys is not named).
@Suite struct ReportFindingTests {
  @Test func bigKeysAndPrefixesWithoutTTL() throws {
    let server = try RedisServer()
    defer { server.stop() }
    let client = try server.client()
    var commands: [[String]] = [["SET", "blob:big", String(repeating: "x", count: 2000)]]
    commands.append(["SET", "blob:small", "x"])
    commands.append(["RPUSH", "queue:long"] + (0..<40).map { "item\($0)" })
    commands.append(["HSET", "cart:wide"] + (0..<31).flatMap { ["f\($0)", "v"] })
    commands.append(["SADD", "tags:few"] + (0..<10).map { "t\($0)" })
    for index in 0..<20 {
      commands.append(["SET", "session:\(index)", "s"])
      commands.append(["EXPIRE", "session:\(index)", "3600"])
    }
    for reply in try client.pipeline(commands.map { $0.map { Array($0.utf8) } }) {
      if case .error(let message) = reply { throw RESPError(description: message) }
    }
    let big = [
      try client.call("STRLEN", "blob:big").integer.map { $0 > 1000 },
      try client.call("LLEN", "queue:long").integer.map { $0 > 30 },
      try client.call("HLEN", "cart:wide").integer.map { $0 > 30 },
      try client.call("SCARD", "tags:few").integer.map { $0 > 30 },
    ].filter { $0 == true }.count
    #expect(big == 3)
    #expect(try client.call("SAVE") == .simple("OK"))
    let result = try RDBToolBinary.run([
      "report", "-o", "-", "--big-string", "1000", "--big-elements", "30",
      server.dumpURL.path,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let element = try #require(
      result.stdout.firstMatch(
        of: /<script type="application\/json" id="report-data">(.*?)<\/script>/))
    let data = try #require(
      try JSONSerialization.jsonObject(with: Data(String(element.1).utf8)) as? [String: Any])
    let findings = try #require(data["findings"] as? [[String: String]]).compactMap { $0["title"] }
    #expect(findings.contains { $0.hasPrefix("\(big) big keys hold ") }, "\(findings)")
    for prefix in ["blob", "queue", "cart", "tags"] {
      #expect(findings.contains("No key under \u{201C}\(prefix):\u{201D} has a TTL"), "\(findings)")
    }
    #expect(!findings.contains { $0.contains("session") }, "\(findings)")
  }
}
