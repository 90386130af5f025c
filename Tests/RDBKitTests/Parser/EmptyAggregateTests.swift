import Foundation
import RDBKit
import Testing

/// Lists, sets, sorted sets and hashes written with no elements (old servers and some tools
/// wrote them), each type in each encoding, built by hand and loaded by real servers with
/// `sanitize-dump-payload yes`: the server skips every one ("empty keys skipped: N"), so its
/// key count is what `verify` counts, the warning gives N (`verify`, `info`), the reading
/// commands (`keys`, `dump`, `memory`, `stats`) leave them out and say how many on standard
/// error unless `--empty-keys keep`, and `rewrite` drops them into its loss report. An empty intset or zipmap is refused by
/// the server and stays an error.
@Suite(.serialized) struct EmptyAggregateTests {
  /// An image of empty keys and one string, `anchor`, for a server that loads `version`.
  struct Case: CustomTestStringConvertible, Sendable {
    var name: String
    /// Servers that load the image, the first required.
    var servers: [String]
    var version: Int
    /// Empty keys: a name and the bytes after it (type byte first).
    var keys: [(name: String, type: UInt8, value: [UInt8])]
    var testDescription: String { name }

    var image: [UInt8] {
      var image = RDBImageBuilder(version: version)
      for key in keys {
        image.key(type: key.type, key.name)
        image.raw(key.value)
      }
      image.key(type: 0, "anchor")
      image.string("v")
      return image.finished()
    }
  }

  /// A blob as an RDB string.
  static func blob(_ bytes: [UInt8]) -> [UInt8] {
    RDBImageBuilder.length(UInt64(bytes.count)) + bytes
  }

  static let emptyZiplist = ziplist([])
  static let emptyListpack = listpack([])

  static let cases: [Case] = [
    Case(
      name: "RDB 10 types", servers: ["redis-7.0", "redis-8.6"], version: 10,
      keys: [
        ("list:linkedlist", 1, [0]), ("set:hashtable", 2, [0]), ("zset:skiplist", 3, [0]),
        ("hash:hashtable", 4, [0]), ("zset2:skiplist", 5, [0]),
        ("list:ziplist", 10, blob(emptyZiplist)), ("zset:ziplist", 12, blob(emptyZiplist)),
        ("hash:ziplist", 13, blob(emptyZiplist)), ("list:quicklist:none", 14, [0]),
        ("list:quicklist:empty-nodes", 14, [2] + blob(emptyZiplist) + blob(emptyZiplist)),
        ("hash:listpack", 16, blob(emptyListpack)), ("zset:listpack", 17, blob(emptyListpack)),
        ("list:quicklist2:none", 18, [0]),
        (
          "list:quicklist2:empty-nodes", 18,
          [2, 2] + blob(emptyListpack) + [2] + blob(emptyListpack)
        ),
      ]),
    Case(
      name: "set listpack (RDB 11)", servers: ["valkey-8.0"], version: 11,
      keys: [("set:listpack", 20, blob(emptyListpack))]),
    Case(
      name: "hashes with field TTLs (RDB 12)", servers: ["redis-8.0", "redis-8.6"], version: 12,
      keys: [
        ("hash:metadata", 24, RDBImageBuilder.littleEndian(Int64(0)) + [0]),
        ("hash:listpackex", 25, RDBImageBuilder.littleEndian(Int64(0)) + blob(emptyListpack)),
        ("hash:metadata-pre-ga", 22, [0]), ("hash:listpackex-pre-ga", 23, blob(emptyListpack)),
      ]),
  ]

  @Test(arguments: cases)
  func serversSkipWhatWeReport(_ testCase: Case) throws {
    let file = try TemporaryImage.write(testCase.image, prefix: "rdbkit-empty")
    defer { try? FileManager.default.removeItem(at: file) }
    let empty = testCase.keys.count

    var counter = KeyCountAnalyzer()
    let summary = try RDBParser().parse(testCase.image, into: &counter)
    #expect(summary.emptyKeys == empty)
    #expect(summary.warnings.map(\.kind) == [.emptyKeys(count: empty)])
    #expect(summary.warnings.first?.key == testCase.keys.first?.name)
    #expect(counter.total.keys == 1)
    // Over a pipe the value's head is peeked across refills: the same keys are found empty.
    for seed in UInt64(1)...8 {
      var piped = KeyCountAnalyzer()
      let chunked = try RDBParser().parse(
        input: ChunkedInput(testCase.image, seed: seed, maximumChunk: 5), into: &piped)
      #expect(chunked.emptyKeys == empty && piped.total.keys == 1, "seed \(seed)")
    }

    let required = try ServerCatalog.require(testCase.servers[0])
    let servers = [required] + testCase.servers.dropFirst().compactMap(ServerCatalog.server)
    for binary in servers {
      let server = try RedisServer(
        binary: binary, preloadedRDB: file, extraArguments: ["--sanitize-dump-payload", "yes"])
      defer { server.stop() }
      #expect(
        try server.client().call("DBSIZE").integer == Int64(counter.total.keys), "\(binary)")
      let log = (try? String(contentsOf: server.logFile, encoding: .utf8)) ?? ""
      #expect(log.contains("empty keys skipped: \(empty)"), "\(binary): \(server.logTail())")
    }

    let verify = try RDBToolBinary.run(["verify", file.path])
    #expect(verify.status == 0)
    #expect(verify.stdout.contains("OK with 1 warning"), "\(verify.stdout)")
    #expect(verify.stdout.contains("1 key\n"), "\(verify.stdout)")
    #expect(
      verify.stdout.contains(
        "\(empty) empty key\(empty == 1 ? "" : "s"): a server skips them when loading"),
      "\(verify.stdout)")
    #expect(try RDBToolBinary.run(["verify", "--strict", file.path]).status == 1)

    let keys = try RDBToolBinary.run(["keys", file.path])
    #expect(keys.stdout == "anchor\n")
    #expect(keys.stderr.contains("\(empty) empty key"), "\(keys.stderr)")
    let kept = try RDBToolBinary.run(["keys", "--empty-keys", "keep", file.path])
    #expect(
      kept.stdout.split(separator: "\n").map(String.init).sorted()
        == (testCase.keys.map(\.name) + ["anchor"]).sorted())
    #expect(kept.stderr.isEmpty)
    let dump = try RDBToolBinary.run(["dump", file.path])
    #expect(dump.stdout.split(separator: "\n").count == 1)
    let left = "\(empty) empty key\(empty == 1 ? "" : "s") left out"
    #expect(dump.stderr.contains(left), "\(dump.stderr)")
    let keptDump = try RDBToolBinary.run(["dump", "--empty-keys", "keep", file.path])
    #expect(keptDump.stdout.split(separator: "\n").count == empty + 1)
    // memory: a CSV header and the anchor's row; stats: one key; both say how many left out.
    let memory = try RDBToolBinary.run(["memory", file.path])
    #expect(memory.stdout.split(separator: "\n").count == 2, "\(memory.stdout)")
    #expect(memory.stderr.contains(left), "\(memory.stderr)")
    let keptMemory = try RDBToolBinary.run(["memory", "--empty-keys", "keep", file.path])
    #expect(keptMemory.stdout.split(separator: "\n").count == empty + 2)
    let stats = try RDBToolBinary.run(["stats", "--format", "json", file.path])
    let document = try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any]
    let total = (document?["total"] as? [String: Any])?["total"] as? [String: Any]
    #expect(total?["keys"] as? Int == 1, "\(stats.stdout)")
    #expect(stats.stderr.contains(left), "\(stats.stderr)")
    let info = try RDBToolBinary.run(["info", "--json", file.path])
    let report = try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any]
    let files = report?["files"] as? [[String: Any]]
    #expect(files?.first?["empty_keys"] as? Int == empty, "\(info.stdout)")
    #expect((files?.first?["warnings"] as? [Any])?.count == 1, "\(info.stdout)")

    // rewrite drops them and says so in its loss report, which never blocks.
    let rewritten = try WriterOutput.rewrite(testCase.image, RDBWriter.Options(target: nil))
    #expect(rewritten.writer.losses.entries[.emptyKeys]?.keys == empty)
    #expect(!rewritten.writer.losses.isBlocking)
    var reread = KeyCountAnalyzer()
    let again = try RDBParser().parse(rewritten.bytes, into: &reread)
    #expect(reread.total.keys == 1 && again.emptyKeys == 0)
  }

  /// An empty intset or zipmap: the server refuses the file (`intsetValidateIntegrity` and
  /// `zipmapValidateIntegrity` reject no members), and so does verify.
  @Test(arguments: [(UInt8(11), intset(width: 2, [])), (UInt8(9), zipmap([]))])
  func serverRefusesEmptyIntsetsAndZipmaps(_ type: UInt8, _ blob: [UInt8]) throws {
    var image = RDBImageBuilder(version: 10)
    image.key(type: type, "empty")
    image.raw(Self.blob(blob))
    let file = try TemporaryImage.write(image.finished(), prefix: "rdbkit-empty")
    defer { try? FileManager.default.removeItem(at: file) }
    #expect(throws: ServerStartError.self) {
      try RedisServer(preloadedRDB: file, extraArguments: ["--sanitize-dump-payload", "yes"])
        .stop()
    }
    let verify = try RDBToolBinary.run(["verify", file.path])
    #expect(verify.status == 1 && verify.stdout.contains("CORRUPT"), "\(verify.stdout)")
  }
}
