import Foundation
import Testing

/// gzip and zstd inputs, made by the real `gzip` and `zstd` tools, are read directly (files
/// and pipes alike, recognised by their magic, not their name); lz4, xz and bzip2 inputs are
/// one ERROR line naming the tool that decompresses them.
@Suite struct CompressedInputTests {
  static let fixtures = [
    "redis-3.2.13/default.rdb", "redis-6.2.16/default.rdb", "redis-7.4.1/default.rdb",
    "valkey-8.0.1/default.rdb", "valkey-9.1.2/default.rdb", "redis-8.6.3/default.rdb",
  ]

  /// The number of keys the server reported for `fixture`.
  static func serverKeyCount(_ fixture: String) throws -> Int {
    let expected = RDBToolProcess.fixture(fixture).replacingOccurrences(
      of: ".rdb", with: ".expected.json")
    let document = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: expected)))
        as? [String: Any])
    return try #require(document["keys"] as? [[String: Any]]).count
  }

  @Test(arguments: fixtures, [["gzip", "-c"], ["gzip", "-9", "-c"], ["zstd", "-q", "-c"]])
  func aCompressedFileReadsAsTheFile(_ fixture: String, _ tool: [String]) throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    // Named .rdb: the format is found by its magic, not by the name.
    let file = directory.appendingPathComponent("dump.rdb")
    try Self.compressBinary(fixture, tool, into: file)
    let keys = try Self.serverKeyCount(fixture)

    let verify = try RDBToolProcess.run(["verify", file.path])
    #expect(verify.status == 0, "\(verify.stderr)")
    #expect(verify.stdout.contains(": OK, REDIS") || verify.stdout.contains(": OK, VALKEY"))
    #expect(verify.stdout.contains("\(keys) key"), "\(verify.stdout)")

    let plain = try RDBToolProcess.run([
      "dump", "--format", "jsonl", RDBToolProcess.fixture(fixture),
    ])
    let fromFile = try RDBToolProcess.run(["dump", "--format", "jsonl", file.path])
    let fromPipe = try RDBToolProcess.run(
      ["dump", "--format", "jsonl", "-"], stdin: try Data(contentsOf: file))
    #expect(fromFile.status == 0 && fromPipe.status == 0, "\(fromFile.stderr)\(fromPipe.stderr)")
    #expect(fromFile.stdout.split(separator: "\n").count == keys)
    #expect(fromFile.stdout == plain.stdout)
    #expect(fromPipe.stdout == plain.stdout)
  }

  /// Compresses `fixture` with `tool arguments…`, which writes to standard output, into
  /// `file`.
  static func compressBinary(_ fixture: String, _ tool: [String], into file: URL) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = tool + [RDBToolProcess.fixture(fixture)]
    _ = FileManager.default.createFile(atPath: file.path, contents: nil)
    let output = try FileHandle(forWritingTo: file)
    defer { try? output.close() }
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    try #require(RDBToolProcess.waitForExit(process, seconds: 120), "\(tool) still running")
    try #require(process.terminationStatus == 0, "\(tool) is installed by make setup")
  }

  /// `cat a.gz b.gz` is one gzip stream of two members and `cat a.zst b.zst` one zstd stream of
  /// two frames; both decompress to two RDB images, of which the parser reads the first and
  /// calls the rest trailing bytes, as for an uncompressed file with bytes after its end.
  @Test(arguments: [["gzip", "-c"], ["zstd", "-q", "-c"]])
  func twoMembersDecompressWhole(_ tool: [String]) throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let one = directory.appendingPathComponent("one")
    try Self.compressBinary("redis-7.4.1/default.rdb", tool, into: one)
    let single = try Data(contentsOf: one)
    let plain = try Data(
      contentsOf: URL(fileURLWithPath: RDBToolProcess.fixture("redis-7.4.1/default.rdb")))
    let twice = try RDBToolProcess.run(["verify", "-"], stdin: single + single)
    let plainTwice = try RDBToolProcess.run(["verify", "-"], stdin: plain + plain)
    #expect(twice.status == plainTwice.status, "\(twice.stdout) vs \(plainTwice.stdout)")
    #expect(twice.stdout == plainTwice.stdout)
  }

  /// A compressed stream cut short is CORRUPT, at the compressed byte where it ends.
  @Test(arguments: [["gzip", "-c"], ["zstd", "-q", "-c"]])
  func aTruncatedStreamIsCorrupt(_ tool: [String]) throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("dump.rdb.gz")
    try Self.compressBinary("redis-7.4.1/default.rdb", tool, into: file)
    let cut = try Data(contentsOf: file).prefix(30000)
    try cut.write(to: file)
    for input in [["verify", file.path]] {
      let result = try RDBToolProcess.run(input)
      #expect(result.status == 1)
      #expect(
        result.stdout.contains(": CORRUPT: corrupt \(tool[0]) stream: it ends early at byte 30000"),
        "\(result.stdout)")
    }
    let piped = try RDBToolProcess.run(["verify", "-"], stdin: cut)
    #expect(piped.status == 1 && piped.stdout.contains("it ends early at byte 30000"))
  }

  @Test(arguments: [
    (["lz4", "-q", "-c"], "lz4"), (["xz", "-c"], "xz"), (["bzip2", "-c"], "bzip2"),
  ])
  func otherCompressionsAreNamed(_ tool: [String], _ name: String) throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("dump.rdb")
    try Self.compressBinary("redis-7.4.1/default.rdb", tool, into: file)
    let expected =
      "dump.rdb: ERROR: the input is \(name)-compressed, which rdbtool does not read (it reads "
      + "gzip and zstd): decompress it first, e.g. \(name) -dc FILE | rdbtool verify -"
    let result = try RDBToolProcess.run(["verify", file.path])
    #expect(result.status == 1)
    #expect(result.stdout.hasSuffix(expected + "\n"), "\(result.stdout)")
    let piped = try RDBToolProcess.run(["keys", "-"], stdin: try Data(contentsOf: file))
    #expect(piped.status == 1 && piped.stdout.isEmpty)
    #expect(piped.stderr.split(separator: "\n").count == 1, "\(piped.stderr)")
    #expect(piped.stderr.contains("\(name)-compressed"))
  }
}
