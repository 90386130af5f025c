import Foundation
import Testing

@Suite struct VerifyCommandTests {
  @Test func goodFilesExitZero() throws {
    let files = ["redis-7.4.1/default.rdb", "redis-3.2.13/compact-off.rdb", "valkey-8.0.1/lru.rdb"]
    let result = try RDBToolProcess.run(["verify"] + files.map(RDBToolProcess.fixture))
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("redis-7.4.1/default.rdb: OK, REDIS0012, 123 keys"))
    #expect(result.stdout.contains("3 files: 3 OK, 0 failed"))
  }

  @Test func disabledChecksumIsNotCalledOK() throws {
    let result = try RDBToolProcess.run([
      "verify", RDBToolProcess.fixture("redis-7.0.15/nocompress.rdb"),
    ])
    #expect(result.status == 0)
    #expect(result.stdout.contains(": OK (checksum not checked), REDIS0010"))
  }

  @Test func truncatedFileExitsOneWithOffsetAndKey() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let data = try Data(
      contentsOf: URL(fileURLWithPath: RDBToolProcess.fixture("redis-7.4.1/default.rdb")))
    let truncated = directory.appendingPathComponent("cut.rdb")
    try data.prefix(1000).write(to: truncated)
    let result = try RDBToolProcess.run(["verify", truncated.path])
    #expect(result.status == 1)
    // The first value that crosses the cut names the length that runs past the end.
    #expect(
      result.stdout.contains(
        "cut.rdb: CORRUPT: length 1608 runs past the end of the input at byte 396"))
    #expect(result.stdout.contains("(key \""))
  }

  @Test func flippedByteIsAChecksumMismatch() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var data = try Data(
      contentsOf: URL(fileURLWithPath: RDBToolProcess.fixture("redis-7.4.1/default.rdb")))
    // The last byte of the CRC-64 trailer: every record is intact, the checksum is not.
    data[data.count - 1] ^= 0x01
    let file = directory.appendingPathComponent("flipped.rdb")
    try data.write(to: file)
    let result = try RDBToolProcess.run(["verify", file.path])
    #expect(result.status == 1)
    #expect(result.stdout.contains("CORRUPT: checksum mismatch: file says 0x"))
  }

  /// A corrupt LZF string is found and named, as `--deep` through a pipe names it: with the
  /// trailer zeroed (rdbchecksum no), and with a checksum, which fails first when verify has
  /// left compressed strings to it (the damaged string is then looked for). Through a pipe
  /// without --deep, verify leaves them to the checksum too, and says it cannot locate the
  /// damage, or that a file without a checksum was not checked.
  @Test(arguments: [false, true])
  func corruptLZFIsFoundWithOrWithoutAChecksum(zeroTrailer: Bool) throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var data = try Data(
      contentsOf: URL(fileURLWithPath: RDBToolProcess.fixture("redis-7.4.1/default.rdb")))
    // A byte inside the LZF-compressed ~1 MiB string (string:1mb starts near byte 98,500).
    data[data.count / 2] ^= 0x5A
    if zeroTrailer {
      data.replaceSubrange((data.count - 8)..., with: [UInt8](repeating: 0, count: 8))
    }
    let file = directory.appendingPathComponent("bad.rdb")
    try data.write(to: file)
    let result = try RDBToolProcess.run(["verify", file.path])
    #expect(result.status == 1)
    #expect(result.stdout.contains("CORRUPT: corrupt LZF string: "))
    #expect(result.stdout.contains("(key \"string:1mb\")"))
    let piped = try RDBToolProcess.run(["verify", "--deep", "-"], stdin: data)
    #expect(piped.status == 1)
    let offset = { (text: String) in text.components(separatedBy: " at byte ").last }
    #expect(offset(result.stdout) == offset(piped.stdout), "\(result.stdout) / \(piped.stdout)")
    let shallow = try RDBToolProcess.run(["verify", "-"], stdin: data)
    #expect(shallow.status == 1)
    #expect(
      shallow.stdout.contains(
        zeroTrailer ? "-: UNCHECKED: " : "the damage cannot be located in a stream"),
      "\(shallow.stdout)")
  }

  @Test func standardInputThroughAPipe() throws {
    let data = try Data(
      contentsOf: URL(fileURLWithPath: RDBToolProcess.fixture("redis-6.2.16/default.rdb")))
    let result = try RDBToolProcess.run(["verify", "-"], stdin: data)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.hasPrefix("-: OK, REDIS0009"))
  }

  @Test func missingFileExitsOne() throws {
    let result = try RDBToolProcess.run(["verify", "/nonexistent/dump.rdb"])
    #expect(result.status == 1)
    #expect(result.stdout.contains("ERROR: cannot open: no such file"))
  }

  @Test(arguments: [
    ["verify"], ["verify", "-", "-"], ["dump", "--format", "xml", "x.rdb"], ["frobnicate"],
  ])
  func usageErrorsExitTwo(_ arguments: [String]) throws {
    let result = try RDBToolProcess.run(arguments)
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stdout.isEmpty)
    #expect(!result.stderr.isEmpty)
  }

  @Test(arguments: [["--help"], ["verify", "--help"], ["dump", "--help"], ["info", "--help"]])
  func helpExitsZeroWithExamples(_ arguments: [String]) throws {
    let result = try RDBToolProcess.run(arguments)
    #expect(result.status == 0)
    #expect(result.stdout.contains("Examples:"))
  }
}
