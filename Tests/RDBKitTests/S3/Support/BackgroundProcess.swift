import Foundation

/// A server process a test started itself, stopped by its own pid.
final class BackgroundProcess: @unchecked Sendable {
  let process: Process
  let logURL: URL

  /// Starts `python3 arguments…` with `environment`, logging both streams to `logURL`.
  init(arguments: [String], environment: [String: String], logURL: URL) throws {
    process = Process()
    process.executableURL = try PythonTool.executable()
    process.arguments = arguments
    process.environment = environment
    _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
    let log = try FileHandle(forWritingTo: logURL)
    process.standardOutput = log
    process.standardError = log
    self.logURL = logURL
    try process.run()
  }

  var pid: Int32 { process.processIdentifier }
  var isRunning: Bool { process.isRunning }

  /// The log so far.
  var log: String {
    (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
  }

  /// SIGTERM, up to 3 s to exit, then SIGKILL; always reaps the child.
  func stop() {
    if process.isRunning { kill(process.processIdentifier, SIGTERM) }
    let deadline = Date().addingTimeInterval(3)
    while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
  }

  /// Polls until `check` is true, the process exits, or `seconds` pass.
  func waitUntil(seconds: Double, _ check: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if check() { return true }
      if !process.isRunning { return false }
      Thread.sleep(forTimeInterval: 0.05)
    }
    return false
  }
}
