import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// An output that goes away: a reader that closes the pipe ends rdbtool quietly by SIGPIPE,
/// as it ends `cat`; a full disk is one error line, no partial file, exit 1.
@Suite struct OutputFailureTests {
  static let fixture = RDBToolProcess.fixture("redis-7.4.1/default.rdb")

  /// `rdbtool dump … | head -c 100`: the reader leaves after 100 bytes (of more output than a
  /// pipe buffers).
  @Test(arguments: [
    ["dump", "--format", "jsonl"], ["dump", "--format", "resp"], ["keys"],
    ["memory"],
  ])
  func aClosedPipeEndsQuietly(_ command: [String]) throws {
    let process = Process()
    process.executableURL = RDBToolProcess.binary
    process.arguments = command + Array(repeating: Self.fixture, count: 60)
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let head = try output.fileHandleForReading.read(upToCount: 100)
    #expect(head?.count == 100)
    try output.fileHandleForReading.close()
    try #require(RDBToolProcess.waitForExit(process, seconds: 120), "\(command) still running")
    let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(process.terminationReason == .uncaughtSignal, "\(command): \(message)")
    #expect(process.terminationStatus == SIGPIPE)
    #expect(message.isEmpty, "\(command): \(message)")
  }

  /// Standard output on /dev/full (every write fails with ENOSPC).
  @Test func aFullStandardOutputIsOneError() throws {
    let (status, message) = try Self.intoFullDevice(
      ["dump", "--format", "jsonl", Self.fixture, Self.fixture])
    #expect(status == 1)
    #expect(message == "rdbtool: \(Self.fixture): cannot write output: No space left on device\n")
  }

  /// Output smaller than one buffered block (256 KiB), so that the only write is the last
  /// flush, after the parse: on /dev/full and on a 16 KiB tmpfs it fails the command as a
  /// write during the parse does (it used to be dropped: exit 0, and a truncated `-o` file).
  @Test(arguments: ["jsonl", "json", "csv", "resp"])
  func aFailedLastWriteIsOneErrorAndNoFile(_ format: String) throws {
    let fixture = RDBToolProcess.fixture("redis-3.2.13/nocompress.rdb")
    let (status, message) = try Self.intoFullDevice(["dump", "-q", "--format", format, fixture])
    #expect(status == 1, "\(format): \(message)")
    let expected = "rdbtool: \(fixture): cannot write output: No space left on device\n"
    #expect(message.hasSuffix(expected), "\(format): \(message)")

    try Self.onTinyFileSystem { directory in
      let output = directory.appendingPathComponent("out")
      let result = try RDBToolProcess.run(
        ["dump", "-q", "--format", format, fixture, "-o", output.path])
      #expect(result.status == 1, "\(format): \(result.stderr)")
      #expect(result.stderr.contains("cannot write output: No space left on device"))
      #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }
  }

  /// `-o` on a 16 KiB tmpfs that no output of the fixture fits: one line, exit 1, nothing
  /// left in the file system.
  @Test(arguments: [
    ["dump", "--format", "jsonl"], ["rewrite", "--target", "redis-7.0", "--allow-loss"],
    ["memory", "--format", "jsonl"],
  ])
  func aFullDiskIsOneErrorAndNoFile(_ command: [String]) throws {
    try Self.onTinyFileSystem { directory in
      let output = directory.appendingPathComponent("out")
      let result = try RDBToolProcess.run(command + ["-q", Self.fixture, "-o", output.path])
      #expect(result.status == 1, "\(command): \(result.stderr)")
      #expect(result.stderr.split(separator: "\n").count == 1, "\(command): \(result.stderr)")
      #expect(result.stderr.contains("No space left on device"), "\(command): \(result.stderr)")
      #expect(!result.stderr.contains("at byte"))
      #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }
  }

  /// Runs rdbtool with `arguments` and its standard output on /dev/full; returns its exit
  /// status and standard error.
  private static func intoFullDevice(_ arguments: [String]) throws -> (Int32, String) {
    let process = Process()
    process.executableURL = RDBToolProcess.binary
    process.arguments = arguments
    let full = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/full"))
    defer { try? full.close() }
    process.standardOutput = full
    let errors = Pipe()
    process.standardError = errors
    process.standardInput = FileHandle.nullDevice
    try process.run()
    try #require(RDBToolProcess.waitForExit(process, seconds: 120), "still running")
    let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    try? errors.fileHandleForReading.close()
    return (process.terminationStatus, message)
  }

  /// Runs `body` with a fresh directory on which a 16 KiB tmpfs is mounted, unmounted and
  /// removed afterwards. Mounting needs root (the test machines run the suite as root).
  private static func onTinyFileSystem(_ body: (URL) throws -> Void) throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let mount = try RDBToolProcess.runProgram(
      URL(fileURLWithPath: "/usr/bin/env"),
      ["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", directory.path])
    try #require(mount.status == 0, "mounting a tmpfs needs root: \(mount.stderr)")
    defer {
      _ = try? RDBToolProcess.runProgram(
        URL(fileURLWithPath: "/usr/bin/env"), ["umount", directory.path])
    }
    try body(directory)
  }
}
