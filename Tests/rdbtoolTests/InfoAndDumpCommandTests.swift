import Foundation
import Testing

@Suite struct InfoAndDumpCommandTests {
  /// The server's own account of a fixture.
  private func expected(_ path: String) throws -> [String: Any] {
    let url = URL(
      fileURLWithPath: RDBToolProcess.fixture(
        path.replacingOccurrences(of: ".rdb", with: ".expected.json")))
    return try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
  }

  @Test func infoJSONMatchesTheServer() throws {
    let path = "redis-7.4.1/default.rdb"
    let result = try RDBToolProcess.run(["info", "--json", RDBToolProcess.fixture(path)])
    #expect(result.status == 0, "\(result.stderr)")
    let info = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let server = try expected(path)
    let keys = try #require(server["keys"] as? [[String: Any]])
    #expect(info["rdb_version"] as? Int == 12)
    let total = try #require(info["keys"] as? [String: Any])
    #expect(total["keys"] as? Int == keys.count)
    #expect(total["with_expiry"] as? Int == keys.filter { !($0["expire_ms"] is NSNull) }.count)
    #expect(
      total["expired"] as? Int == keys.filter { $0["expired_at_save"] as? Bool == true }.count)
    let aux = try #require(info["aux"] as? [[String: String]])
    let serverAux = try #require(server["aux"] as? [String: String])
    #expect(
      Dictionary(uniqueKeysWithValues: aux.map { ($0["name"] ?? "", $0["value"] ?? "") })
        == serverAux)
    #expect((info["functions"] as? [String])?.sorted() == ["fixturelib", "fixturelib2"])
  }

  @Test func dumpWritesOneValidJSONObjectPerKeyAtomically() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = "valkey-8.0.1/default.rdb"
    let output = directory.appendingPathComponent("out.jsonl")
    let result = try RDBToolProcess.run([
      "dump", "--format", "jsonl", RDBToolProcess.fixture(path), "-o", output.path,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.isEmpty)
    let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n")
    let keys = try #require(try expected(path)["keys"] as? [[String: Any]])
    #expect(lines.count == keys.count)
    for line in lines {
      #expect(throws: Never.self) { try JSONSerialization.jsonObject(with: Data(line.utf8)) }
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["out.jsonl"])
  }

  /// `-o` onto something that is not a regular file (a FIFO here, `/dev/null` for users)
  /// writes into it instead of renaming a file over it.
  @Test func outputToAFIFOKeepsTheFIFO() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let fifo = directory.appendingPathComponent("out.fifo").path
    #expect(mkfifo(fifo, 0o644) == 0)
    let reader = try RDBToolProcess.runProgram(
      URL(fileURLWithPath: "/bin/sh"),
      [
        "-c",
        "cat \(fifo) > \(fifo).copy & \(RDBToolProcess.binary.path) keys \(RDBToolProcess.fixture("redis-7.4.1/default.rdb")) -o \(fifo); wait",
      ])
    #expect(reader.status == 0, "\(reader.stderr)")
    let attributes = try FileManager.default.attributesOfItem(atPath: fifo)
    #expect(attributes[.type] as? FileAttributeType != .typeRegular)
    let copied = try Data(contentsOf: URL(fileURLWithPath: fifo + ".copy"))
    #expect(copied.range(of: Data("hash:small\n".utf8)) != nil)
  }

  @Test func failedDumpLeavesNoOutputFile() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let data = try Data(
      contentsOf: URL(fileURLWithPath: RDBToolProcess.fixture("redis-7.4.1/default.rdb")))
    let cut = directory.appendingPathComponent("cut.rdb")
    try data.prefix(data.count - 100).write(to: cut)
    let output = directory.appendingPathComponent("out.jsonl")
    let result = try RDBToolProcess.run(["dump", "--format", "jsonl", cut.path, "-o", output.path])
    #expect(result.status == 1)
    #expect(result.stderr.contains("rdbtool: \(cut.path): "))
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["cut.rdb"])
  }

  @Test func expiredKeysCanBeSkipped() throws {
    let path = "redis-7.4.1/lfu.rdb"
    let all = try RDBToolProcess.run(["dump", "--format", "jsonl", RDBToolProcess.fixture(path)])
    let live = try RDBToolProcess.run([
      "dump", "--format", "jsonl", "--expired", "skip", RDBToolProcess.fixture(path),
    ])
    let keys = try #require(try expected(path)["keys"] as? [[String: Any]])
    let expired = keys.filter { $0["expired_at_save"] as? Bool == true }.count
    #expect(expired > 0)
    #expect(all.stdout.split(separator: "\n").count == keys.count)
    #expect(live.stdout.split(separator: "\n").count == keys.count - expired)
    #expect(all.stdout.contains("\"freq\":"))
  }

  /// The JSON lines load into DuckDB (a tool data pipelines use) with the right counts.
  @Test func duckDBReadsTheDump() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = "redis-7.4.1/default.rdb"
    let output = directory.appendingPathComponent("out.jsonl")
    let dump = try RDBToolProcess.run([
      "dump", "--format", "jsonl", "--bytes", "base64", RDBToolProcess.fixture(path), "-o",
      output.path,
    ])
    #expect(dump.status == 0)
    let script = """
      import duckdb, json, sys
      con = duckdb.connect()
      rel = "read_json('\(output.path)', format='newline_delimited')"
      counts = dict(con.sql(f"select type, count(*) from {rel} group by type").fetchall())
      key = "aGFzaDpzbWFsbA=="  # base64 of hash:small
      value = con.execute(f"select value from {rel} where key = '{key}'").fetchall()[0][0]
      print(json.dumps({"counts": counts, "hash_small": json.loads(value)}))
      """
    // The python3 on PATH: the one `make setup` installed duckdb into.
    let result = try RDBToolProcess.runProgram(
      URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script])
    #expect(result.status == 0, "\(result.stderr)")
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let keys = try #require(try expected(path)["keys"] as? [[String: Any]])
    var expectedCounts: [String: Int] = [:]
    for key in keys { expectedCounts[key["type"] as? String ?? "", default: 0] += 1 }
    #expect(report["counts"] as? [String: Int] == expectedCounts)
    let hash = try #require(
      keys.first {
        $0["key"] as? String == Data("hash:small".utf8).map { String(format: "%02x", $0) }.joined()
      })
    let pairs = try #require(hash["value"] as? [[String]])
    let decoded = try #require(report["hash_small"] as? [String: String])
    #expect(decoded.count == pairs.count)
    for pair in pairs {
      let field = Data(hex: pair[0]).base64EncodedString()
      #expect(decoded[field] == Data(hex: pair[1]).base64EncodedString())
    }
  }
}

extension Data {
  init(hex: String) {
    var bytes: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
      let next = hex.index(index, offsetBy: 2)
      bytes.append(UInt8(hex[index..<next], radix: 16) ?? 0)
      index = next
    }
    self.init(bytes)
  }
}
