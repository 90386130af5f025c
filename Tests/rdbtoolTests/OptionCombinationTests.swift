import Foundation
import Testing

/// Every option is applied, or its combination with another is refused with exit 2 and a
/// reason: nothing is silently ignored.
@Suite struct OptionCombinationTests {
  static let fixture = "redis-7.4.1/default.rdb"
  static var path: String { RDBToolProcess.fixture(fixture) }

  /// Combinations that cannot be honoured, each with a word of the reason printed.
  static let refused: [(arguments: [String], reason: String)] = [
    (["dump", "--format", "json", "--bytes", "utf8"], "object keys"),
    (["dump", "--format", "resp", "--bytes", "base64"], "--format resp"),
    (["dump", "--format", "csv", "--bytes", "utf8"], "--format csv"),
    (["memory", "--bytes", "utf8"], "--format csv"),
    (["dump", "--target", "redis-7.0"], "--format resp"),
    (["dump", "--expire-shift", "1000"], "--format resp"),
    (["dump", "--format", "resp", "--no-expire", "--expire-shift", "5"], "--no-expire"),
    (["dump", "--format", "resp", "--target", "redis-1.0"], "unknown --target"),
    (["dump", "--expired", "skip", "--expiry", "expired"], "--expiry expired"),
    (["stats", "--tree", "--format", "folded"], "--format folded always holds the prefix tree"),
    (["stats", "--tree", "--json"], "--json always holds the prefix tree"),
    (["keys", "--exclude-regex", "("], "--exclude-regex"),
    (["rewrite", "--expired", "skip", "--expiry", "expired", "-o", "/tmp/never.rdb"], "--expired"),
    (["rewrite", "--now", "1767225600000", "-o", "/tmp/never.rdb"], "--now"),
    (["rewrite", "--on-duplicate", "first", "-o", "/tmp/never.rdb"], "--single-db"),
    // `-o -` is standard output, which holds one file: never a file or directory named '-'.
    (["rewrite", "-o", "-", path], "2 inputs are rewritten into a directory"),
    (["split", "--shards", "2", "-o", "-"], "standard output ('-') holds one file"),
  ]

  @Test(arguments: refused.indices)
  func contradictoryOptionsAreRefused(_ index: Int) throws {
    let (arguments, reason) = Self.refused[index]
    let result = try RDBToolProcess.run(arguments + [Self.path])
    #expect(result.status == 2, "\(arguments): \(result.stderr)")
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains(reason), "\(arguments): \(result.stderr)")
  }

  /// `dump --format json --bytes base64` writes every name as base64: decoded, database 0's
  /// names are the server's.
  @Test func jsonDocumentTakesBase64() throws {
    let result = try RDBToolProcess.run([
      "dump", "--format", "json", "--bytes", "base64", Self.path,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let plain = try RDBToolProcess.run(["dump", "--format", "json", Self.path])
    #expect(result.stdout != plain.stdout)
    let databases = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    let names = Set(try #require(databases.first).keys.compactMap { Data(base64Encoded: $0) })
    let expected = try ExpectedKey.all(Self.fixture).filter { $0.database == 0 }.map(\.name)
    #expect(names == Set(expected))
  }

  /// `--prefixes N` limits the JSON report too, not only the tables.
  @Test func statsPrefixesApplyToJSON() throws {
    func prefixes(_ extra: [String]) throws -> Int {
      let result = try RDBToolProcess.run(["stats", "--json"] + extra + [Self.path])
      #expect(result.status == 0, "\(result.stderr)")
      let report = try #require(
        try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
      let total = try #require(report["total"] as? [String: Any])
      return try #require(total["prefixes"] as? [Any]).count
    }
    #expect(try prefixes([]) > 3)
    #expect(try prefixes(["--prefixes", "3"]) == 3)
  }

  /// `keys -0` ends every name with NUL, so names holding CR and LF come through whole: the
  /// NUL-separated pieces are the server's names split at NUL (one name holds a NUL itself).
  @Test func keysNullTerminated() throws {
    let result = try RDBToolProcess.run(["keys", "-0", "--db", "0", Self.path])
    #expect(result.status == 0, "\(result.stderr)")
    let output = Data(result.stdoutBytes)
    #expect(output.last == 0)
    let expected = try ExpectedKey.all(Self.fixture).filter { $0.database == 0 }.map(\.name)
    let pieces = expected.flatMap { $0.split(separator: 0, omittingEmptySubsequences: false) }
    #expect(
      output.dropLast().split(separator: 0, omittingEmptySubsequences: false).map { Data($0) }
        .sorted { $0.lexicographicallyPrecedes($1) }
        == pieces.map { Data($0) }.sorted { $0.lexicographicallyPrecedes($1) })
  }

  /// `--exclude-match` and `--exclude-regex` leave out the same keys in every reading command.
  @Test(arguments: [
    ["keys"], ["dump", "--format", "jsonl"], ["memory", "--format", "jsonl"], ["stats", "--json"],
  ])
  func exclusionsOnEveryReadingCommand(_ command: [String]) throws {
    let expected = try ExpectedKey.all(Self.fixture)
    let kept = expected.filter {
      !$0.name.starts(with: Data("string:".utf8)) && !$0.name.starts(with: Data("list:".utf8))
    }.count
    let result = try RDBToolProcess.run(
      command + ["--exclude-match", "string:*", "--exclude-regex", "^list:", Self.path])
    #expect(result.status == 0, "\(result.stderr)")
    if command[0] == "stats" {
      let report = try #require(
        try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
      let total = try #require((report["total"] as? [String: Any])?["total"] as? [String: Any])
      #expect(total["keys"] as? Int == kept)
    } else if command[0] == "keys" {
      let names = expected.filter {
        !$0.name.starts(with: Data("string:".utf8)) && !$0.name.starts(with: Data("list:".utf8))
      }
      #expect(result.stdoutBytes.count == names.reduce(0) { $0 + $1.name.count + 1 })
    } else {
      let lines = result.stdout.split(separator: "\n")
      #expect(lines.count == kept)
      #expect(
        !lines.contains { $0.contains("\"key\":\"string:") || $0.contains("\"key\":\"list:") })
    }
  }

  /// `--expire-shift=-MS` (a negative shift needs the `=` form) moves every PEXPIREAT back
  /// by MS: the values written are the server's expiries less 5000.
  @Test func negativeExpireShift() throws {
    let result = try RDBToolProcess.run([
      "dump", "--format", "resp", "--expire-shift=-5000", Self.path,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    // Each `*3 $9 PEXPIREAT $len key $len ms`, read by lengths (key names may hold CR LF).
    let output = [UInt8](result.stdoutBytes)
    let marker = Array("*3\r\n$9\r\nPEXPIREAT\r\n".utf8)
    func bulk(at start: Int) throws -> (value: ArraySlice<UInt8>, end: Int) {
      let lineEnd = try #require(output[start...].firstIndex(of: 13))
      let length = try #require(Int(String(decoding: output[(start + 1)..<lineEnd], as: UTF8.self)))
      return (output[(lineEnd + 2)..<(lineEnd + 2 + length)], lineEnd + 4 + length)
    }
    var written: [Int64] = []
    var index = 0
    while index + marker.count <= output.count {
      guard output[index..<(index + marker.count)].elementsEqual(marker) else {
        index += 1
        continue
      }
      let key = try bulk(at: index + marker.count)
      let time = try bulk(at: key.end)
      written.append(try #require(Int64(String(decoding: time.value, as: UTF8.self))))
      index = time.end
    }
    let expected = try ExpectedKey.all(Self.fixture).compactMap { $0.expireMS.map { $0 - 5000 } }
    #expect(!expected.isEmpty)
    #expect(written.sorted() == expected.sorted())
  }
}
