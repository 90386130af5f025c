import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A command run on a pty (`script`) whose progress the test steers by what the pty shows, not
/// by time: the command's standard output goes into a FIFO that nothing reads until the test
/// lets it go, so the command stops once the FIFO's buffer is full and stays in progress for as
/// long as the test needs. The test reads the pty as it is written (``read(until:)``) and moves
/// the shell on (``proceed()``) through its steps, then through the drain of the output.
final class HeldTerminal {
  private let process = Process()
  private let pty = Pipe()
  private let proceeding: Int32
  private var written = Data()

  /// Everything the pty showed so far.
  var output: String { String(decoding: written, as: UTF8.self) }

  /// Starts `command` (a shell command line that writes to standard output) on a pty `columns`
  /// wide, in the background of a shell that, at each ``proceed()``, runs the next of `steps`
  /// (where `$!` is the command's process id) and then, at one more, reads the held output to
  /// its end and waits for the command. The FIFOs go in `directory`.
  init(_ command: String, columns: Int, steps: [String] = [], in directory: URL) throws {
    let name = UUID().uuidString
    let held = directory.appendingPathComponent("held-output-\(name)").path
    let go = directory.appendingPathComponent("proceed-\(name)").path
    for fifo in [held, go] {
      guard mkfifo(fifo, 0o600) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    }
    // Open for reading and writing, so that neither this open nor the shell's blocks, and a
    // line written before the shell reads stays in the FIFO.
    proceeding = open(go, O_RDWR)
    guard proceeding >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    let script =
      ["\(command) > \(held) &", "exec 3< \(held)"]
      + (steps + ["cat <&3 > /dev/null"]).map { "read step < \(go); \($0)" } + ["wait"]
    process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
    process.arguments = [
      "-qfec", "stty cols \(columns) rows 24; " + script.joined(separator: "\n"), "/dev/null",
    ]
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = pty
    process.standardError = FileHandle.nullDevice
    try process.run()
  }

  /// A shell left waiting on a step (the test failed before it) is killed with its command.
  deinit {
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
    close(proceeding)
  }

  /// Reads the pty until `shown(output)` holds, and returns true; false when the pty closed
  /// first. After `seconds` the shell is killed, so a command that never shows it fails the test
  /// instead of hanging the suite.
  func read(until shown: (String) -> Bool, seconds: Double = 120) -> Bool {
    let pid = process.processIdentifier
    let overdue = DispatchWorkItem { kill(pid, SIGKILL) }
    DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: overdue)
    defer { overdue.cancel() }
    while !shown(output) {
      let chunk = pty.fileHandleForReading.availableData
      if chunk.isEmpty { return false }
      written.append(chunk)
    }
    return true
  }

  /// Lets the shell run its next step.
  func proceed() {
    _ = write(proceeding, "\n", 1)
  }

  /// Reads the pty to its end (the command and the shell are done) and returns all it showed.
  func finish() -> String {
    _ = read(until: { _ in false })
    process.waitUntilExit()
    return output
  }
}
