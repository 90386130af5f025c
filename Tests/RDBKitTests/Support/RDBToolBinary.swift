import Foundation
import Testing

/// Runs the `rdbtool` executable built beside the tests, as a user would.
enum RDBToolBinary {
  /// What a run printed and how it ended.
  struct Result {
    var status: Int32
    var stderr: String
    var stdout = ""
  }

  /// `rdbtool` in the build products directory (`swift build --build-tests` builds it).
  static let url: URL = {
    let runner = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let beside = runner.appendingPathComponent("rdbtool")
    if FileManager.default.fileExists(atPath: beside.path) { return beside }
    return Bundle.main.bundleURL.appendingPathComponent("rdbtool")
  }()

  /// Runs `rdbtool arguments…` with `-q`-free output, capturing both outputs in files.
  static func run(_ arguments: [String]) throws -> Result {
    try #require(
      FileManager.default.isExecutableFile(atPath: url.path), "rdbtool is not built at \(url.path)")
    let process = Process()
    process.executableURL = url
    process.arguments = arguments
    let errors = FileManager.default.temporaryDirectory
      .appendingPathComponent("rdbkit-rdbtool-\(UUID().uuidString.prefix(8)).err")
    _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: errors) }
    let handle = try FileHandle(forWritingTo: errors)
    defer { try? handle.close() }
    let output = errors.appendingPathExtension("out")
    _ = FileManager.default.createFile(atPath: output.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: output) }
    let outputHandle = try FileHandle(forWritingTo: output)
    defer { try? outputHandle.close() }
    process.standardOutput = outputHandle
    process.standardError = handle
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // A hung child fails its test instead of hanging the suite.
    let deadline = Date().addingTimeInterval(300)
    while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      Issue.record("rdbtool \(arguments.joined(separator: " ")) was still running after 300 s")
    }
    let text = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
    let printed = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
    return Result(status: process.terminationStatus, stderr: text, stdout: printed)
  }
}
