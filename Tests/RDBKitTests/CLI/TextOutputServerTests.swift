import Foundation
import Testing

/// `dump --format csv`, `memory` (CSV) and `dump --format jsonl --bytes text` read by DuckDB
/// (`read_csv`, `read_json`), on a file Redis 7.0 wrote with NUL, CR, LF, quotes, commas,
/// backslashes and bytes that are not UTF-8 in key names, hash fields and values: what DuckDB
/// reads, turned back into bytes by the documented text form, is what the server holds.
@Suite(.serialized) struct TextOutputServerTests {
  /// Names and values that break naive CSV and JSON readers.
  static let awkward: [[UInt8]] = [
    Array("plain".utf8), Array("with,comma".utf8), Array("with\"quote".utf8),
    Array("line\nfeed".utf8), Array("carriage\rreturn\r\n".utf8), [0x6E, 0x00, 0x75, 0x6C],
    Array("back\\slash".utf8), Array("\\xff as text".utf8), [0xFF, 0xFE, 0x2C, 0x22, 0x0A],
    Array("caf\u{E9}".utf8), [0xC3], Array("".utf8),
  ]

  /// A server holding one string and one hash per awkward name, saved; the dump file and the
  /// server's own account of every key (name → value, or field → value).
  private static func savedServer() throws -> (URL, [[UInt8]: [[UInt8]: [UInt8]]], RedisServer) {
    let server = try RedisServer()
    let client = try server.client()
    var commands: [[[UInt8]]] = []
    for (index, name) in awkward.enumerated() where !name.isEmpty {
      let value = awkward[(index + 3) % awkward.count]
      commands.append([Array("SET".utf8), Array("s:".utf8) + name, value])
      commands.append([
        Array("HSET".utf8), Array("h:".utf8) + name, name, value, Array("f".utf8), name,
      ])
    }
    for reply in try client.pipeline(commands) {
      if case .error(let message) = reply { throw RESPError(description: message) }
    }
    var truth: [[UInt8]: [[UInt8]: [UInt8]]] = [:]
    let names = try client.call("KEYS", "*").elements.compactMap(\.bytes)
    for name in names {
      if name.starts(with: Array("s:".utf8)) {
        truth[name] = [[]: try #require(try client.callBytes([Array("GET".utf8), name]).bytes)]
      } else {
        let flat = try client.callBytes([Array("HGETALL".utf8), name]).elements.compactMap(\.bytes)
        var fields: [[UInt8]: [UInt8]] = [:]
        for pair in stride(from: 0, to: flat.count, by: 2) { fields[flat[pair]] = flat[pair + 1] }
        truth[name] = fields
      }
    }
    #expect(truth.count == 2 * awkward.filter { !$0.isEmpty }.count)
    #expect(try client.call("SAVE") == .simple("OK"))
    return (server.dumpURL, truth, server)
  }

  /// Runs python3 with DuckDB on `script`, which prints one JSON document.
  private static func duckDB(_ script: String) throws -> Any {
    try JSONSerialization.jsonObject(
      with: PythonTool.run(["-c", "import duckdb, json, sys\n" + script]))
  }

  private static func text(_ value: Any?) throws -> [UInt8] {
    try JSONLinesWriterTests.textBytes(try #require(value as? String))
  }

  @Test func duckDBReadsDumpAndMemoryCSV() throws {
    let (dump, truth, server) = try Self.savedServer()
    defer { server.stop() }
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("csv-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let dumpCSV = directory.appendingPathComponent("dump.csv").path
    let memoryCSV = directory.appendingPathComponent("memory.csv").path
    for arguments in [
      ["dump", "--format", "csv", dump.path, "-o", dumpCSV],
      ["memory", dump.path, "-o", memoryCSV],
    ] {
      let run = try RDBToolBinary.run(arguments)
      try #require(run.status == 0, "\(arguments): \(run.stderr)")
    }
    let rows = try #require(
      try Self.duckDB(
        """
        rows = duckdb.sql("select key, field, value, type from read_csv('\(dumpCSV)', header=true, all_varchar=true)").fetchall()
        keys = duckdb.sql("select key, type from read_csv('\(memoryCSV)', header=true, all_varchar=true)").fetchall()
        print(json.dumps({"dump": rows, "memory": keys}))
        """) as? [String: [[Any]]])
    var read: [[UInt8]: [[UInt8]: [UInt8]]] = [:]
    for row in try #require(rows["dump"]) {
      let field = row[1] is NSNull ? [] : try Self.text(row[1])
      // DuckDB reads an empty quoted-or-not field as NULL: the empty value of the fixture.
      let value = row[2] is NSNull ? [] : try Self.text(row[2])
      read[try Self.text(row[0]), default: [:]][field] = value
    }
    #expect(read == truth)
    let memoryKeys = try #require(rows["memory"]).map { try Self.text($0[0]) }
    #expect(Set(memoryKeys) == Set(truth.keys))
    #expect(memoryKeys.count == truth.count)
  }

  /// JSON lines with `--bytes text`: every key is a string column, so `WHERE key = ?` finds
  /// each key by its text form, and the value read back is the server's.
  @Test func duckDBFindsEveryKeyOfTextJSONLines() throws {
    let (dump, truth, server) = try Self.savedServer()
    defer { server.stop() }
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("text-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let output = directory.appendingPathComponent("dump.jsonl").path
    let run = try RDBToolBinary.run(["dump", "--bytes", "text", dump.path, "-o", output])
    try #require(run.status == 0, "\(run.stderr)")
    // The text form of each name, written here from the rule, is what DuckDB is asked for.
    let names = truth.keys.map(Self.textForm)
    let namesFile = directory.appendingPathComponent("names.json")
    try JSONSerialization.data(withJSONObject: names).write(to: namesFile)
    let report = try #require(
      try Self.duckDB(
        """
        names = json.load(open('\(namesFile.path)'))
        con = duckdb.connect()
        rel = "read_json('\(output)', format='newline_delimited')"
        out = {"key_type": con.sql(f"select typeof(key) from {rel} limit 1").fetchall()[0][0]}
        for name in names:
            rows = con.execute(f"select type, value::varchar from {rel} where key = ?", [name]).fetchall()
            out[name] = [list(row) for row in rows]
        print(json.dumps(out))
        """) as? [String: Any])
    #expect(report["key_type"] as? String == "VARCHAR")
    for name in names {
      let expected = try #require(truth[try Self.text(name)])
      let rows = try #require(report[name] as? [[String]], "\(name)")
      try #require(rows.count == 1, "\(name): \(rows.count) rows")
      let value = try JSONSerialization.jsonObject(
        with: Data(rows[0][1].utf8), options: .fragmentsAllowed)
      if rows[0][0] == "string" {
        #expect(try Self.text(value) == expected[[]], "\(name)")
      } else {
        let object = try #require(value as? [String: String], "\(name): \(rows[0][1])")
        var fields: [[UInt8]: [UInt8]] = [:]
        for (field, value) in object { fields[try Self.text(field)] = try Self.text(value) }
        #expect(fields == expected, "\(name)")
      }
    }
  }

  /// The documented text form, written from its rule: UTF-8 sequences as they are, `\` as
  /// `\\`, any other byte as `\xHH`.
  static func textForm(_ bytes: [UInt8]) -> String {
    var text = ""
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      let length =
        switch byte {
        case 0..<0x80: 1
        case 0xC2...0xDF: 2
        case 0xE0...0xEF: 3
        case 0xF0...0xF4: 4
        default: 0
        }
      if byte == UInt8(ascii: "\\") {
        text += "\\\\"
        index += 1
      } else if length > 0, index + length <= bytes.count,
        let sequence = String(validating: bytes[index..<(index + length)], as: UTF8.self)
      {
        text += sequence
        index += length
      } else {
        text += String(format: "\\x%02x", byte)
        index += 1
      }
    }
    return text
  }
}
