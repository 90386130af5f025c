import Foundation
import Testing

/// Runs the project's Python helpers; a missing `python3` fails the test (never skips it).
enum PythonTool {
  /// `python3` from PATH.
  static func executable() throws -> URL {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for directory in path.split(separator: ":") {
      let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("python3")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    Issue.record("python3 is not installed: run `make setup`")
    throw HelperFailure(message: "python3 missing")
  }

  /// `Tests/RDBKitTests/S3/Support/<name>`.
  static func script(_ name: String) -> String {
    TestPaths.s3Support.appendingPathComponent(name).path
  }

  /// Runs `python3 arguments…` to completion and returns its standard output; one still
  /// running after 120 s is killed (a hung helper fails its test, not CI).
  /// - Throws: ``HelperFailure`` with standard error when it exits non-zero.
  static func run(_ arguments: [String], environment: [String: String]? = nil) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
    process.arguments = ["-k", "5", "120", try executable().path] + arguments
    if let environment { process.environment = environment }
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    // Both pipes are drained at once, before waiting, so neither can fill up and block the
    // child while this reads the other.
    nonisolated(unsafe) var errorData = Data()
    let drained = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      errorData = errors.fileHandleForReading.readDataToEndOfFile()
      drained.signal()
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    drained.wait()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw HelperFailure(
        message: "python3 \(arguments.joined(separator: " ")) exited "
          + "\(process.terminationStatus): \(String(decoding: errorData, as: UTF8.self))")
    }
    return data
  }

  /// A free TCP port on 127.0.0.1 (bound, read, released; a race is retried by callers).
  static func freePort() throws -> Int {
    let data = try run([
      "-c",
      "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])",
    ])
    guard
      let port = Int(
        String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    else {
      throw HelperFailure(message: "no free port")
    }
    return port
  }
}

/// A helper process or server that did not do what a test needed.
struct HelperFailure: Error, CustomStringConvertible {
  let message: String
  var description: String { message }
}
