import Foundation
import Testing

/// `memory`'s output: the same names as `dump` in JSON lines, and a `file` column when
/// several inputs are read.
@Suite struct MemoryOutputTests {
  static let first = "redis-7.4.1/default.rdb"
  static let second = "redis-7.0.15/default.rdb"

  private func objects(_ text: String) throws -> [[String: Any]] {
    try text.split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
  }

  /// `memory --format jsonl` and `dump --format jsonl` name `db`, `key`, `type`, `encoding`
  /// and `expire_ms` alike, with the same values for every key.
  @Test func jsonLinesShareDumpNames() throws {
    let path = RDBToolProcess.fixture(Self.first)
    let memory = try objects(try RDBToolProcess.run(["memory", "--format", "jsonl", path]).stdout)
    let dump = try objects(try RDBToolProcess.run(["dump", "--format", "jsonl", path]).stdout)
    #expect(memory.count == (try ExpectedKey.all(Self.first)).count)
    #expect(memory.count == dump.count)
    for (ours, dumped) in zip(memory, dump) {
      for name in ["db", "key", "type", "encoding", "expire_ms"] {
        #expect(
          "\(ours[name] ?? "absent")" == "\(dumped[name] ?? "absent")", "\(name) of \(dumped)")
      }
      #expect(ours["database"] == nil && ours["expiry"] == nil && ours["file"] == nil)
    }
  }

  /// Each row's type is the server's `TYPE` reply: `vectorset` for Redis 8's vector sets, in
  /// JSON lines and CSV alike.
  @Test func typesAreTheServersTypeReplies() throws {
    let fixture = "redis-8.0.6/default.rdb"
    let path = RDBToolProcess.fixture(fixture)
    let expected = Dictionary(
      try ExpectedKey.all(fixture).map {
        ("\($0.database)/\($0.name.base64EncodedString())", $0.type)
      },
      uniquingKeysWith: { first, _ in first })
    let rows = try objects(
      try RDBToolProcess.run(["memory", "--format", "jsonl", "--bytes", "base64", path]).stdout)
    #expect(rows.count == expected.count)
    #expect(rows.contains { $0["type"] as? String == "vectorset" })
    for row in rows {
      let name = "\(row["db"] ?? "?")/\(row["key"] ?? "?")"
      #expect(row["type"] as? String == expected[name], "\(name)")
    }
    let csv = try RDBToolProcess.run(["memory", path]).stdout.split(separator: "\n")
    let vectorSets = expected.values.filter { $0 == "vectorset" }.count
    #expect(csv.filter { $0.contains(",vectorset,") }.count == vectorSets)
  }

  /// With two inputs every row names its input: as many rows per file as its server wrote
  /// keys, in CSV (a last `file` column) and JSON lines (`file`); `--top` keeps the column.
  @Test func severalInputsAddAFileColumn() throws {
    let paths = [Self.first, Self.second].map(RDBToolProcess.fixture)
    let counts = try [Self.first, Self.second].map { try ExpectedKey.all($0).count }
    let jsonl = try objects(
      try RDBToolProcess.run(["memory", "--format", "jsonl"] + paths).stdout)
    #expect(jsonl.filter { $0["file"] as? String == paths[0] }.count == counts[0])
    #expect(jsonl.filter { $0["file"] as? String == paths[1] }.count == counts[1])
    #expect(jsonl.count == counts[0] + counts[1])

    let csv = try RDBToolProcess.run(["memory", "--db", "1"] + paths)
    #expect(csv.status == 0, "\(csv.stderr)")
    let rows = csv.stdout.split(separator: "\n")
    #expect(rows.first?.hasSuffix(",expiry,file") == true)
    let databaseOne = try [Self.first, Self.second].map {
      try ExpectedKey.all($0).filter { $0.database == 1 }.count
    }
    #expect(rows.dropFirst().filter { $0.hasSuffix("," + paths[0]) }.count == databaseOne[0])
    #expect(rows.dropFirst().filter { $0.hasSuffix("," + paths[1]) }.count == databaseOne[1])

    let top = try RDBToolProcess.run(["memory", "--top", "3"] + paths)
    let topRows = top.stdout.split(separator: "\n").dropFirst()
    #expect(topRows.count == 3)
    #expect(topRows.allSatisfy { row in paths.contains { row.hasSuffix("," + $0) } })

    let single = try RDBToolProcess.run(["memory", paths[0]])
    #expect(single.stdout.split(separator: "\n").first?.hasSuffix(",expiry") == true)
  }
}
