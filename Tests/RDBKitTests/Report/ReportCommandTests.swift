import Foundation
import Testing

/// `rdbtool report`'s command line: `-o -` writes the page to standard output, a bad input
/// exits 1 with nothing written, usage errors exit 2.
@Suite struct ReportCommandTests {
  static let fixture = Fixture.all.first { $0.testDescription == "redis-7.0.15/default.rdb" }

  @Test func standardOutput() throws {
    let fixture = try #require(Self.fixture)
    let result = try RDBToolBinary.run(["report", "-o", "-", fixture.rdb.path])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.hasPrefix("<!doctype html>"))
    #expect(result.stdout.hasSuffix("</html>\n"))
    #expect(result.stdout.contains("<title>Memory report: \(fixture.rdb.path)</title>"))
  }

  @Test func badInputWritesNothing() throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("rdbkit-report-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let bad = directory.appendingPathComponent("bad.rdb")
    try Data("REDIS0011garbage".utf8).write(to: bad)
    let page = directory.appendingPathComponent("page.html")
    let result = try RDBToolBinary.run(["report", "-o", page.path, bad.path])
    #expect(result.status == 1)
    #expect(result.stderr.contains("bad.rdb"), "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: page.path))
  }

  @Test(arguments: [
    (["report", "x.rdb"], "missing expected argument '--output"),
    (["report", "-o", "p.html"], "give either inputs or --from-stats documents"),
    (["report", "-o", "p.html", "--from-stats", "a.json", "x.rdb"], "give either inputs"),
    (["report", "-o", "p.html", "--big-elements", "-1", "x.rdb"], "--big-elements"),
  ])
  func usageErrors(_ arguments: [String], _ message: String) throws {
    let result = try RDBToolBinary.run(arguments)
    #expect(result.status == 2)
    #expect(result.stderr.contains(message), "\(result.stderr)")
  }
}
