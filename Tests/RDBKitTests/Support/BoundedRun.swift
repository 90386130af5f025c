import Foundation

/// Runs the built `rdbtool` under an address-space limit (`ulimit -v`, that is RLIMIT_AS) and
/// a time budget: a child still running when the budget ends is killed by its pid, and the
/// run says so instead of waiting.
struct BoundedRun {
  var status: Int32
  var stdout: String
  var stderr: String
  /// Whether the child was killed at the end of its budget.
  var timedOut: Bool
  /// How long it ran.
  var elapsed: Duration

  /// Runs `rdbtool arguments…` with at most `memoryMiB` of address space (none when nil),
  /// killing it after `budget`; `stdin` goes through a pipe (so it is read, not mapped).
  static func rdbtool(
    _ arguments: [String], memoryMiB: Int? = nil, budget: Duration, stdin: [UInt8]? = nil
  ) throws -> BoundedRun {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "rdbkit-bounded-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let outputFile = directory.appendingPathComponent("stdout")
    let errorFile = directory.appendingPathComponent("stderr")
    for file in [outputFile, errorFile] {
      _ = FileManager.default.createFile(atPath: file.path, contents: nil)
    }
    let output = try FileHandle(forWritingTo: outputFile)
    defer { try? output.close() }
    let errors = try FileHandle(forWritingTo: errorFile)
    defer { try? errors.close() }
    let process = Process()
    // `exec` keeps the pid, so the kill below reaches rdbtool itself.
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    // One malloc arena: glibc reserves 64 MiB of address space for each arena a thread
    // opens under contention, which made the limit depend on the machine's load.
    let limit =
      memoryMiB.map {
        "ulimit -v \($0 * 1024) && MALLOC_ARENA_MAX=1 && export MALLOC_ARENA_MAX && "
      } ?? ""
    process.arguments =
      ["-c", limit + "exec \"$0\" \"$@\"", RDBToolBinary.url.path] + arguments
    process.standardOutput = output
    process.standardError = errors
    let input = Pipe()
    process.standardInput = stdin == nil ? FileHandle.nullDevice : input
    let clock = ContinuousClock()
    let start = clock.now
    try process.run()
    if let stdin {
      // A child that stops reading early (it refused its input) must not kill this process.
      _ = signal(SIGPIPE, SIG_IGN)
      let writer = input.fileHandleForWriting
      DispatchQueue.global().async {
        try? writer.write(contentsOf: Data(stdin))
        try? writer.close()
      }
    }
    var timedOut = false
    while process.isRunning {
      if clock.now - start > budget {
        timedOut = true
        kill(process.processIdentifier, SIGKILL)
        break
      }
      Thread.sleep(forTimeInterval: 0.02)
    }
    process.waitUntilExit()
    return BoundedRun(
      status: process.terminationStatus,
      stdout: String(decoding: try Data(contentsOf: outputFile), as: UTF8.self),
      stderr: String(decoding: try Data(contentsOf: errorFile), as: UTF8.self),
      timedOut: timedOut, elapsed: clock.now - start)
  }
}
