import Foundation
import Testing

/// `stats` and `info`: `-o`, what a failed input leaves on stdout, a filter that matches
/// nothing, and `info --json`'s one shape.
@Suite struct StatsAndInfoOutputTests {
  static let fixture = "redis-7.4.1/default.rdb"
  static var path: String { RDBToolProcess.fixture(fixture) }

  private func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  /// `-o FILE` writes the report to the file and nothing to stdout; `-o -` is stdout. So for
  /// every command that prints a report: verify and seed-check too.
  @Test(arguments: [
    ["stats"], ["stats", "--json"], ["info"], ["info", "--json"], ["verify"], ["verify", "--json"],
    ["seed-check", "--target", "redis-7.4"], ["seed-check", "--target", "redis-7.4", "--json"],
  ])
  func outputOption(_ command: [String]) throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("report")
    let toFile = try RDBToolProcess.run(command + ["-o", file.path, Self.path])
    #expect(toFile.status == 0, "\(toFile.stderr)")
    #expect(toFile.stdout.isEmpty)
    let toStdout = try RDBToolProcess.run(command + ["-o", "-", Self.path])
    #expect(toStdout.status == 0)
    #expect(try String(contentsOf: file, encoding: .utf8) == toStdout.stdout)
    #expect(!toStdout.stdout.isEmpty)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["report"])
  }

  /// An input that cannot be read leaves nothing on stdout; with another input the report
  /// covers that one, and stderr names the one skipped. Exit 1 either way.
  @Test(arguments: [["stats"], ["stats", "--json"], ["info"], ["info", "--json"]])
  func failedInputPrintsNothing(_ command: [String]) throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let data = try Data(contentsOf: URL(fileURLWithPath: Self.path))
    let cut = directory.appendingPathComponent("cut.rdb")
    try data.prefix(data.count / 2).write(to: cut)
    let alone = try RDBToolProcess.run(command + [cut.path])
    #expect(alone.status == 1)
    #expect(alone.stdout.isEmpty, "\(alone.stdout)")
    #expect(alone.stderr.contains(cut.path))
    let withGood = try RDBToolProcess.run(command + [cut.path, Self.path])
    #expect(withGood.status == 1)
    let good = try RDBToolProcess.run(command + [Self.path])
    #expect(!withGood.stdout.isEmpty)
    #expect(!withGood.stdout.contains(cut.path))
    #expect(withGood.stderr.contains(cut.path))
    if command.count == 2 {
      let report = try json(withGood.stdout)
      let single = try json(good.stdout)
      if command[0] == "stats" {
        #expect(
          ((report["total"] as? [String: Any])?["total"] as? [String: Int])
            == ((single["total"] as? [String: Any])?["total"] as? [String: Int]))
      } else {
        #expect((report["files"] as? [Any])?.count == 1)
      }
    }
  }

  /// A filter that keeps nothing says so once on stderr; the text report is one line.
  @Test func statsFilterMatchingNothing() throws {
    let result = try RDBToolProcess.run(["stats", "--match", "no-such-key:*", Self.path])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.split(separator: "\n").count == 1)
    #expect(result.stdout.hasPrefix("0 keys"))
    #expect(result.stderr.components(separatedBy: "no key matches").count == 2)
  }

  /// `info --json` has one shape for one input and for several: `files`, and `keys` and
  /// `databases` totalled, so `jq .keys` reads the same field either way. The totals and each
  /// file's counts are the server's.
  @Test func infoJSONHasOneShape() throws {
    let one = try json(try RDBToolProcess.run(["info", "--json", Self.path]).stdout)
    let two = try json(try RDBToolProcess.run(["info", "--json", Self.path, Self.path]).stdout)
    #expect(Set(one.keys) == ["files", "keys", "databases"])
    #expect(Set(two.keys) == Set(one.keys))
    let expected = try ExpectedKey.all(Self.fixture)
    #expect((one["keys"] as? [String: Any])?["keys"] as? Int == expected.count)
    #expect((two["keys"] as? [String: Any])?["keys"] as? Int == 2 * expected.count)
    let databases = try #require(two["databases"] as? [String: [String: Any]])
    #expect(databases["1"]?["keys"] as? Int == 2 * expected.filter { $0.database == 1 }.count)
    let files = try #require(two["files"] as? [[String: Any]])
    #expect(files.count == 2)
    #expect(files.allSatisfy { ($0["keys"] as? [String: Any])?["keys"] as? Int == expected.count })
  }

  /// `checksum` is `{status, stored, computed}`: the stored value is the file's last 8 bytes
  /// (little-endian), and equals the computed one when the status is ok.
  @Test func infoChecksumObject() throws {
    let info = try json(try RDBToolProcess.run(["info", "--json", Self.path]).stdout)
    let file = try #require((info["files"] as? [[String: Any]])?.first)
    let checksum = try #require(file["checksum"] as? [String: Any])
    let data = try Data(contentsOf: URL(fileURLWithPath: Self.path))
    let trailer = data.suffix(8).reversed().map { String(format: "%02x", $0) }.joined()
    #expect(checksum["status"] as? String == "ok")
    #expect(checksum["stored"] as? String == "0x" + trailer)
    #expect(checksum["computed"] as? String == "0x" + trailer)
  }
}
