import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Debian's `chromium`, headless, with networking pointed at a closed port, each run in its own
/// profile directory and killed by its own pid after a deadline.
enum HeadlessChromium {
  /// What a run printed.
  struct Output {
    /// Standard output (`--dump-dom`'s DOM).
    var stdout: String
    /// The console lines Chromium logged (`…:CONSOLE…] "message", source: …`).
    var console: [String]
  }

  static let binary = "/usr/bin/chromium"

  /// Opens `page` (a file) with `arguments` added (`--dump-dom`, `--screenshot=PATH`), at most
  /// `deadline` seconds.
  static func run(_ page: URL, _ arguments: [String], deadline: Double = 60) throws -> Output {
    try #require(
      FileManager.default.isExecutableFile(atPath: binary),
      "\(binary) is missing: make setup installs Debian's chromium package")
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("rdbkit-chromium-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("stdout")
    let err = directory.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    let outHandle = try FileHandle(forWritingTo: out)
    let errHandle = try FileHandle(forWritingTo: err)
    defer {
      try? outHandle.close()
      try? errHandle.close()
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments =
      [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--user-data-dir=\(directory.appendingPathComponent("profile").path)",
        // Any request that got past the page's Content-Security-Policy would go here and fail.
        "--proxy-server=127.0.0.1:9", "--enable-logging=stderr", "--v=0",
        "--window-size=1280,2400",
      ] + arguments + [page.absoluteString]
    process.standardOutput = outHandle
    process.standardError = errHandle
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let end = Date().addingTimeInterval(deadline)
    while process.isRunning, Date() < end { Thread.sleep(forTimeInterval: 0.05) }
    if process.isRunning {
      kill(-process.processIdentifier, SIGKILL)
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      Issue.record("chromium did not finish \(page.lastPathComponent) within \(deadline) s")
    }
    process.waitUntilExit()
    let log = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
    return Output(
      stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
      console: log.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init))
  }
}
