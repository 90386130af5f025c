import Foundation
import RDBKit
import Testing

/// Every key of every server-written fixture comes out exactly as the live server returned it.
@Suite struct FixtureTests {
  @Test func fixturesArePresent() {
    #expect(Fixture.all.count >= 50, "testdata/fixtures is missing files")
  }

  @Test(arguments: Fixture.all)
  func keysMatchTheServer(_ fixture: Fixture) throws {
    let expected = try fixture.expectedDocument()
    var collector = RecordCollector()
    let summary = try RDBParser().parse(fixture.bytes(), into: &collector)

    let server = try #require(expected["server"] as? [String: Any])
    #expect(summary.version.number == server["rdb_version"] as? Int)
    #expect(summary.trailingBytes == 0)
    if server["profile"] as? String == "nocompress" {
      #expect(summary.checksum == .notChecked)
    } else {
      guard case .verified = summary.checksum else {
        Issue.record("checksum not verified: \(summary.checksum)")
        return
      }
    }

    let aux = try #require(expected["aux"] as? [String: String])
    #expect(Dictionary(collector.aux, uniquingKeysWith: { $1 }) == aux)
    let functions = expected["functions"] as? [String] ?? []
    #expect(collector.functions.sorted() == functions)

    let records = try #require(expected["keys"] as? [[String: Any]])
    let problems = ExpectedComparison.differences(
      collector.keys, records, server: fixture.server)
    #expect(
      problems.isEmpty,
      "\(problems.count) differences:\n\(problems.prefix(15).joined(separator: "\n"))")
  }
}
