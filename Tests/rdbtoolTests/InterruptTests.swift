import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A signal in the middle of writing `-o FILE` leaves no partial file: the temporary file is
/// removed, one line says so, and the exit status is 128 + the signal.
@Suite struct InterruptTests {
  @Test(arguments: [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM"), (SIGHUP, "SIGHUP")])
  func aSignalRemovesThePartialOutput(_ signal: Int32, _ name: String) throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    for arguments in [
      ["dump", "--format", "jsonl", "-q", "-", "-o"], ["rewrite", "-q", "-", "-o"],
    ] {
      let output = directory.appendingPathComponent("out")
      let process = Process()
      process.executableURL = RDBToolProcess.binary
      process.arguments = arguments + [output.path]
      let input = Pipe()
      let errors = Pipe()
      process.standardInput = input
      process.standardOutput = FileHandle.nullDevice
      process.standardError = errors
      try process.run()
      // Half a file: the command has opened its output and waits for the rest.
      let image = try Data(
        contentsOf: URL(fileURLWithPath: RDBToolProcess.fixture("redis-7.4.1/default.rdb")))
      try input.fileHandleForWriting.write(contentsOf: image.prefix(image.count / 2))
      let deadline = Date().addingTimeInterval(10)
      while try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty,
        Date() < deadline
      {
        Thread.sleep(forTimeInterval: 0.01)
      }
      let partial = try FileManager.default.contentsOfDirectory(atPath: directory.path)
      #expect(partial.count == 1 && partial[0].hasPrefix("out.tmp-"), "\(arguments[0])")
      kill(process.processIdentifier, signal)
      process.waitUntilExit()
      try? input.fileHandleForWriting.close()
      let message = String(
        decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      #expect(process.terminationStatus == 128 + signal, "\(arguments[0]): \(message)")
      #expect(message.contains("interrupted by \(name); 1 partial output file(s) removed"))
      #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }
  }
}

/// A second Ctrl-C ends the process at once: the first one's handler gives every one of these
/// signals back its default action before it cleans up.
@Suite struct SecondInterruptTests {
  @Test func aSecondSignalEndsTheProcess() throws {
    let process = Process()
    process.executableURL = RDBToolProcess.binary
    process.arguments = ["verify", "-q", "-"]
    let input = Pipe()
    process.standardInput = input
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    defer { try? input.fileHandleForWriting.close() }
    Thread.sleep(forTimeInterval: 0.5)
    kill(process.processIdentifier, SIGINT)
    kill(process.processIdentifier, SIGINT)
    let deadline = Date().addingTimeInterval(5)
    while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
    #expect(!process.isRunning)
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    // Either signal ended it: the handler's exit(130) or the default action of SIGINT.
    let byHandler = process.terminationReason == .exit && process.terminationStatus == 130
    let byDefault =
      process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGINT
    #expect(byHandler || byDefault)
  }
}
