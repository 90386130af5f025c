import Foundation
import Testing

/// `field_expire_ms` as `[{field, expire_ms}]` is one DuckDB column (a list of structs),
/// whatever the field names: unnested, it gives every field TTL the server recorded.
@Suite struct FieldTTLDuckDBTests {
  static let fixture = "redis-7.4.1/default.rdb"

  @Test(arguments: ["utf8", "text"])
  func duckDBReadsFieldTTLs(_ bytes: String) throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let output = directory.appendingPathComponent("dump.jsonl").path
    let dump = try RDBToolProcess.run([
      "dump", "--bytes", bytes, "--type", "hash", RDBToolProcess.fixture(Self.fixture), "-o",
      output,
    ])
    #expect(dump.status == 0, "\(dump.stderr)")
    let script = """
      import duckdb, json
      rel = "read_json('\(output)', format='newline_delimited')"
      kind = duckdb.sql(f"select typeof(field_expire_ms) from {rel} where field_expire_ms is not null limit 1").fetchall()[0][0]
      rows = duckdb.sql(f"select key::varchar, unnest(field_expire_ms, recursive := true) from {rel} where field_expire_ms is not null").fetchall()
      print(json.dumps({"kind": kind, "rows": [list(row) for row in rows]}))
      """
    let result = try RDBToolProcess.runProgram(
      URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script])
    #expect(result.status == 0, "\(result.stderr)")
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(report["kind"] as? String == "STRUCT(field VARCHAR, expire_ms BIGINT)[]")
    let rows = try #require(report["rows"] as? [[Any]])
    var read: Set<String> = []
    for row in rows {
      // Every name in this fixture is UTF-8, so both styles give the key as plain text.
      read.insert("\(row[0])/\(row[1])=\(row[2])")
    }
    let url = URL(
      fileURLWithPath: RDBToolProcess.fixture(
        Self.fixture.replacingOccurrences(of: ".rdb", with: ".expected.json")))
    let document = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    var expected: Set<String> = []
    for key in try #require(document["keys"] as? [[String: Any]]) {
      let name = String(decoding: Data(hex: key["key"] as? String ?? ""), as: UTF8.self)
      for (field, time) in key["field_expire_ms"] as? [String: NSNumber] ?? [:] {
        expected.insert(
          "\(name)/\(String(decoding: Data(hex: field), as: UTF8.self))=\(time.int64Value)")
      }
    }
    #expect(!expected.isEmpty)
    #expect(read == expected)
  }
}
