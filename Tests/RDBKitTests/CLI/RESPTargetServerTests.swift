import Foundation
import Testing

/// `dump --format resp` for older servers and with changed expiries, piped with
/// `redis-cli --pipe` into real servers: `--target` leaves out exactly the commands that
/// server lacks (zero errors, the counts on stderr equal to the fixture's own), and the data
/// loaded is the fixture's; `--no-expire` and `--expire-shift` change every TTL as asked.
@Suite(.serialized) struct RESPTargetServerTests {
  /// A fixture's path and its server's records.
  private static func fixture(_ path: String) throws -> (
    path: String, records: [[String: Any]], document: [String: Any]
  ) {
    let fixture = try #require(Fixture.all.first { $0.testDescription == path }, "\(path)")
    let document = try fixture.expectedDocument()
    return (fixture.rdb.path, try #require(document["keys"] as? [[String: Any]]), document)
  }

  /// Runs `rdbtool dump --format resp arguments… INPUT -o server-dir/load.resp`.
  private static func resp(_ arguments: [String], _ input: String, into server: RedisServer)
    throws -> (path: String, stderr: String)
  {
    let path = server.directory.appendingPathComponent("load.resp").path
    let run = try RDBToolBinary.run(
      ["dump", "--format", "resp"] + arguments + [input, "-o", path])
    try #require(run.status == 0, "\(run.stderr)")
    return (path, run.stderr)
  }

  /// The number in `stderr` before `phrase`, or 0.
  private static func count(of phrase: String, in stderr: String) -> Int {
    guard let range = stderr.range(of: " " + phrase) else { return 0 }
    let before = stderr[..<range.lowerBound].reversed().prefix { $0.isNumber }
    return Int(String(before.reversed())) ?? 0
  }

  /// A Redis 7.4 file (field TTLs, functions) for Redis 7.0: no error, the field TTLs counted.
  @Test func redis74FileIntoRedis70() throws {
    let (input, records, _) = try Self.fixture("redis-7.4.1/default.rdb")
    let server = try RedisServer(binary: try ServerCatalog.require("redis-7.0"))
    defer { server.stop() }
    let (path, stderr) = try Self.resp(["--target", "redis-7.0"], input, into: server)
    let fieldTTLs = records.reduce(0) {
      $0 + (($1["field_expire_ms"] as? [String: Any])?.count ?? 0)
    }
    #expect(fieldTTLs > 0)
    #expect(Self.count(of: "HPEXPIREAT", in: stderr) == fieldTTLs, "\(stderr)")
    #expect(try RESPWriterTests.pipe(path, intoPort: server.port) == 0)
    let problems = try RESPWriterTests.differences(
      records, loadedInto: try server.client(), server: "redis-7.4.1", recordsEntriesRead: true)
    #expect(problems.isEmpty, "\(problems.prefix(10).joined(separator: "\n"))")
  }

  /// A Redis 7.0 file (functions, stream metadata) for Redis 6.2, which has neither.
  @Test func redis70FileIntoRedis62() throws {
    let (input, records, document) = try Self.fixture("redis-7.0.15/default.rdb")
    let server = try RedisServer(binary: try ServerCatalog.require("redis-6.2"))
    defer { server.stop() }
    let (path, stderr) = try Self.resp(["--target", "redis-6.2"], input, into: server)
    let functions = try #require(document["functions"] as? [Any]).count
    #expect(functions > 0)
    #expect(Self.count(of: "FUNCTION LOAD", in: stderr) == functions, "\(stderr)")
    #expect(Self.count(of: "ENTRIESADDED", in: stderr) > 0, "\(stderr)")
    #expect(try RESPWriterTests.pipe(path, intoPort: server.port) == 0)
    // Redis 6.2 has no PEXPIRETIME: a key's expiry is read as PTTL plus the time, ±1 s.
    let problems = try RESPWriterTests.differences(
      records, loadedInto: try server.client(), server: "redis-7.0.15", recordsEntriesRead: false
    ).filter { !Self.isExpiryWithinASecond($0) }
    #expect(problems.isEmpty, "\(problems.prefix(10).joined(separator: "\n"))")
  }

  /// Whether a difference is only an `expire_ms` off by at most 1000 ms.
  private static func isExpiryWithinASecond(_ problem: String) -> Bool {
    let words = problem.split(separator: " ")
    guard words.count == 6, words[1] == "expire_ms:", let ours = Int64(words[3].dropLast()),
      let theirs = Int64(words[5])
    else { return false }
    return abs(ours - theirs) <= 1000
  }

  /// `--no-expire`: every key is loaded, those expired at save too, none with a TTL.
  /// `--expire-shift MS`: every key's `PEXPIRETIME` is its expiry in the file plus MS.
  @Test func expiriesDroppedOrShifted() throws {
    let (input, records, _) = try Self.fixture("redis-7.0.15/default.rdb")
    let expiring = records.filter { $0["expire_ms"] is NSNumber }
    #expect(expiring.contains { $0["expired_at_save"] as? Bool == true })
    let earliest = expiring.compactMap { ($0["expire_ms"] as? NSNumber)?.int64Value }.min() ?? 0
    let now = Int64(Date().timeIntervalSince1970 * 1000)
    let shift = now - earliest + 86_400_000

    for arguments in [["--no-expire"], ["--expire-shift", String(shift)]] {
      let server = try RedisServer(binary: try ServerCatalog.require("redis-7.0"))
      defer { server.stop() }
      let (path, _) = try Self.resp(arguments, input, into: server)
      #expect(try RESPWriterTests.pipe(path, intoPort: server.port) == 0)
      let client = try server.client()
      for record in records {
        _ = try client.call("SELECT", String(record["db"] as? Int ?? 0))
        let name = Array(Data(hex: record["key"] as? String ?? ""))
        let expiry = try client.callBytes([Array("PEXPIRETIME".utf8), name]).integer
        let expected = (record["expire_ms"] as? NSNumber).map { $0.int64Value + shift } ?? -1
        #expect(expiry == (arguments[0] == "--no-expire" ? -1 : expected), "\(arguments) \(name)")
      }
    }
  }
}
