import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// SIGINT in the middle of `fetch` from a real (moto) S3 server stops the transfer, removes
/// the partial download and exits 130 (fetch writes local files only; interrupted `-o s3://`
/// uploads are UploadCommandTests').
@Suite struct FetchInterruptTests {
  @Test func anInterruptedFetchLeavesNothing() throws {
    let work = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: work) }
    let file = try ProgressTests.populatedFile(in: work)
    try S3MotoServer.with(["--put", "big-0001.rdb=\(file.path)", "--enable-auth"]) { server in
      let directory = work.appendingPathComponent("out")
      let process = Process()
      process.executableURL = RDBToolProcess.binary
      process.arguments = [
        "fetch", "-q", "--part-size", "64KiB", "--max-in-flight", "1",
        "s3://\(server.setup.bucket)/big-0001.rdb", "-o", directory.path,
      ]
      process.environment = try server.environment()
      let errors = Pipe()
      process.standardError = errors
      process.standardOutput = FileHandle.nullDevice
      try process.run()
      let deadline = Date().addingTimeInterval(30)
      func partial() -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
      }
      while partial().isEmpty, process.isRunning, Date() < deadline {
        Thread.sleep(forTimeInterval: 0.01)
      }
      #expect(partial().count == 1 && partial()[0].contains(".tmp-"), "\(partial())")
      kill(process.processIdentifier, SIGINT)
      try #require(
        RDBToolProcess.waitForExit(process, seconds: 30), "fetch still running 30 s after SIGINT")
      let message = String(
        decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      #expect(process.terminationStatus == 130, "\(message)")
      #expect(message.contains("interrupted by SIGINT; 1 partial output file(s) removed"))
      #expect(partial().isEmpty, "\(partial())")
    }
  }
}
