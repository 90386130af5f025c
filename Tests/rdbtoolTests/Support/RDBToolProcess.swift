import Foundation

/// Runs the built `rdbtool` binary and captures what it printed, as a user's shell would.
struct RDBToolProcess {
  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
    /// Standard output as the bytes written (``stdout`` repairs what is not UTF-8).
    var stdoutBytes = Data()
  }

  /// The directory that holds the build products (`.build/debug`).
  static let products: URL = {
    let runner = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    if FileManager.default.fileExists(atPath: runner.appendingPathComponent("rdbtool").path) {
      return runner
    }
    return Bundle.main.bundleURL
  }()

  static var binary: URL { products.appendingPathComponent("rdbtool") }

  /// The repository's `testdata/` directory.
  static let testdata = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("testdata")

  static func fixture(_ path: String) -> String {
    testdata.appendingPathComponent("fixtures/\(path)").path
  }

  /// Runs `rdbtool arguments…`, feeding `stdin` (through a pipe, so it is not mappable).
  static func run(_ arguments: [String], stdin: Data? = nil) throws -> Result {
    try runProgram(binary, arguments, stdin: stdin)
  }

  /// A child that outlived its deadline: it was killed, and the test fails with this error.
  struct TimedOut: Error, CustomStringConvertible {
    var program: String
    var seconds: Double
    var description: String { "\(program) was still running after \(Int(seconds)) s: killed" }
  }

  /// Runs any program and waits for it, with `environment` instead of this process's when
  /// given; standard input is `stdin` through a pipe, or empty. A child still running after
  /// `deadline` seconds is killed and ``TimedOut`` thrown, so a hung child fails its test
  /// instead of hanging the suite.
  static func runProgram(
    _ program: URL, _ arguments: [String], stdin: Data? = nil,
    environment: [String: String]? = nil, deadline: Double = 300
  ) throws -> Result {
    let process = Process()
    process.executableURL = program
    process.arguments = arguments
    if let environment { process.environment = environment }
    let output = Pipe()
    // Standard error goes to a file, so neither stream can fill up and block the child.
    let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent(
      "rdbtool-stderr-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: errorFile) }
    let errors = try FileHandle(forWritingTo: errorFile)
    defer { try? errors.close() }
    process.standardOutput = output
    process.standardError = errors
    let input = Pipe()
    process.standardInput = stdin == nil ? FileHandle.nullDevice : input
    try process.run()
    let started = Date()
    // The deadline holds the pid, not the Process: a cancelled work item stays queued until
    // its time, and a Process it held would keep its pipes open that long (over a thousand
    // descriptors in a suite, which makes Foundation's `Process.run` crash now and then while
    // it lists /proc/self/fd: swift-corelibs-foundation #5472).
    let pid = process.processIdentifier
    let overdue = DispatchWorkItem { kill(pid, SIGKILL) }
    DispatchQueue.global().asyncAfter(deadline: .now() + deadline, execute: overdue)
    if let stdin {
      // A child that stops reading early (it refused its input) must not kill this process.
      _ = signal(SIGPIPE, SIG_IGN)
      DispatchQueue.global().async {
        try? input.fileHandleForWriting.write(contentsOf: stdin)
        try? input.fileHandleForWriting.close()
      }
    }
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    try? output.fileHandleForReading.close()
    process.waitUntilExit()
    overdue.cancel()
    if process.terminationReason == .uncaughtSignal, process.terminationStatus == SIGKILL,
      Date().timeIntervalSince(started) >= deadline
    {
      throw TimedOut(program: program.lastPathComponent, seconds: deadline)
    }
    let errorData = try Data(contentsOf: errorFile)
    return Result(
      status: process.terminationStatus, stdout: String(decoding: outputData, as: UTF8.self),
      stderr: String(decoding: errorData, as: UTF8.self), stdoutBytes: outputData)
  }

  /// Waits up to `seconds` for `process` to end; one still running then is killed, and the
  /// result is false.
  static func waitForExit(_ process: Process, seconds: Double = 60) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
    guard process.isRunning else { return true }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    return false
  }

  /// A fresh temporary directory, removed by the caller.
  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "rdbtool-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}
