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
    let document = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let info = try #require((document["files"] as? [[String: Any]])?.first)
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

  /// A copy of a fixture without its last 100 bytes, `cut.rdb` in `directory`: it fails to
  /// parse after most of its keys.
  private func cutFixture(in directory: URL) throws -> URL {
    let data = try Data(
      contentsOf: URL(fileURLWithPath: RDBToolProcess.fixture("redis-7.4.1/default.rdb")))
    let cut = directory.appendingPathComponent("cut.rdb")
    try data.prefix(data.count - 100).write(to: cut)
    return cut
  }

  @Test func failedDumpLeavesNoOutputFile() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let cut = try cutFixture(in: directory)
    let output = directory.appendingPathComponent("out.jsonl")
    let result = try RDBToolProcess.run(["dump", "--format", "jsonl", cut.path, "-o", output.path])
    #expect(result.status == 1)
    #expect(result.stderr.contains("rdbtool: \(cut.path): "))
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["cut.rdb"])
  }

  /// A failed dump, key listing or memory report writes what it read before the failure,
  /// then its message: with standard output and standard error in one place (`2>&1`), the
  /// message comes after every key written, in each format, from a mapped file and from a
  /// pipe.
  @Test(arguments: [
    ("dump --format jsonl", false), ("dump --format jsonl", true), ("dump --format csv", false),
    ("dump --format resp", false), ("keys", false), ("memory", false), ("memory", true),
    ("memory --format jsonl", false),
  ])
  func failedRunMessageFollowsTheKeysWritten(command: String, piped: Bool) throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let cut = try cutFixture(in: directory)
    let run = "\(RDBToolProcess.binary.path) \(command) --quiet"
    let line = piped ? "cat \(cut.path) | \(run) -" : "\(run) \(cut.path)"
    let shell = URL(fileURLWithPath: "/bin/sh")
    let apart = try RDBToolProcess.runProgram(shell, ["-c", line])
    let merged = try RDBToolProcess.runProgram(shell, ["-c", line + " 2>&1"])
    #expect(apart.status == 1 && merged.status == 1)
    #expect(!apart.stdoutBytes.isEmpty && apart.stderr.hasPrefix("rdbtool: "))
    #expect(merged.stdoutBytes == apart.stdoutBytes + Data(apart.stderr.utf8))
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

  /// The JSON lines load into DuckDB (a tool data pipelines use): counts per type, keys with a
  /// TTL, and one key of each type read back through SQL match the server's own contents.
  @Test func duckDBReadsTheDump() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = "redis-7.4.1/default.rdb"
    let output = directory.appendingPathComponent("out.jsonl")
    let dump = try RDBToolProcess.run([
      "dump", "--format", "jsonl", RDBToolProcess.fixture(path), "-o", output.path,
    ])
    #expect(dump.status == 0)
    let samples = [
      "string:lzf:text", "list:small", "set:small-str", "zset:equal", "hash:small", "stream:basic",
    ]
    let script = """
      import duckdb, json, sys
      con = duckdb.connect()
      rel = "read_json('\(output.path)', format='newline_delimited')"
      counts = dict(con.sql(f"select type, count(*) from {rel} group by type").fetchall())
      ttl = con.sql(f"select count(*) from {rel} where expire_ms is not null").fetchall()[0][0]
      values = {}
      for name in \(samples):
          rows = con.execute(f"select value from {rel} where key->>'$' = ?", [name]).fetchall()
          values[name] = json.loads(rows[0][0])
      print(json.dumps({"counts": counts, "ttl": ttl, "values": values}))
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
    #expect(report["ttl"] as? Int == keys.filter { !($0["expire_ms"] is NSNull) }.count)

    let values = try #require(report["values"] as? [String: Any])
    func record(_ name: String) throws -> [String: Any] {
      let hex = Data(name.utf8).map { String(format: "%02x", $0) }.joined()
      return try #require(keys.first { $0["key"] as? String == hex && $0["db"] as? Int == 0 })
    }
    /// A byte string as the dump writes it: UTF-8 text, or {"base64": …}.
    func bytes(_ value: Any?) -> Data? {
      if let text = value as? String { return Data(text.utf8) }
      return ((value as? [String: Any])?["base64"] as? String).flatMap { Data(base64Encoded: $0) }
    }
    #expect(
      bytes(values["string:lzf:text"])
        == Data(hex: try record("string:lzf:text")["value"] as? String ?? ""))
    let list = try #require(try record("list:small")["value"] as? [String]).map { Data(hex: $0) }
    #expect((values["list:small"] as? [Any])?.compactMap(bytes) == list)
    let set = try #require(try record("set:small-str")["value"] as? [String]).map { Data(hex: $0) }
    #expect(Set((values["set:small-str"] as? [Any])?.compactMap(bytes) ?? []) == Set(set))
    let zset = try #require(try record("zset:equal")["value"] as? [[String]])
    let members = (values["zset:equal"] as? [[String: Any]]) ?? []
    #expect(Set(members.compactMap { bytes($0["member"]) }) == Set(zset.map { Data(hex: $0[0]) }))
    #expect(members.allSatisfy { ($0["score"] as? NSNumber)?.doubleValue == Double(zset[0][1]) })
    let hash = try #require(try record("hash:small")["value"] as? [[String]])
    let fields = (values["hash:small"] as? [String: Any]) ?? [:]
    #expect(fields.count == hash.count)
    for pair in hash {
      #expect(
        bytes(fields[String(decoding: Data(hex: pair[0]), as: UTF8.self)]) == Data(hex: pair[1]))
    }
    let stream = try #require(try record("stream:basic")["value"] as? [String: Any])
    let ours = try #require(values["stream:basic"] as? [String: Any])
    #expect(ours["length"] as? Int == stream["length"] as? Int)
    #expect(ours["last_id"] as? String == stream["last_id"] as? String)
    #expect((ours["entries"] as? [Any])?.count == (stream["entries"] as? [Any])?.count)
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
