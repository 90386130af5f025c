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
      let ended = RDBToolProcess.waitForExit(process, seconds: 30)
      try? input.fileHandleForWriting.close()
      try #require(ended, "\(arguments[0]) still running 30 s after \(name)")
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
    let (process, input) = try startWaitingOnInput(RDBToolProcess.binary, [])
    defer { try? input.close() }
    try #require(catchesSIGTERM(process), "rdbtool installed no handler")
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

/// A job stopped in the background while it reads its terminal (`rdbtool verify - &` in an
/// interactive shell, SIGTTIN) ends on SIGTERM as `cat` would: `kill %1` sends SIGTERM and
/// SIGCONT, the read restarted after SIGCONT must not stop the process again before the
/// cleanup ends it. A job-control shell on a pty (`script`, `set -m`) runs five rounds, since
/// the failure was a race. Each wait allows 30 s: the runner starts it beside real servers on a
/// loaded 2-core machine. The shell's `wait` runs once the shell has reaped the job (its
/// `/proc` entry gone), not when the job is a zombie: a shell that has not yet taken the
/// notice of the SIGCONT still holds the job as stopped, and its `wait` answers at once with
/// the stop's status (149), as it did once in CI.
@Suite struct BackgroundTerminalInterruptTests {
  @Test func aStoppedReaderOfTheTerminalEndsOnSIGTERM() throws {
    let rounds = 5
    let script = """
      set -m
      state() { awk '/^State:/ {print $2}' /proc/$1/status 2>/dev/null; }
      for round in $(seq \(rounds)); do
        \(RDBToolProcess.binary.path) verify - < /dev/tty &
        pid=$!
        for i in $(seq 1500); do [ "$(state $pid)" = T ] && break; sleep 0.02; done
        echo "round $round: before $(state $pid)"
        kill -TERM $pid; kill -CONT $pid
        for i in $(seq 1500); do [ -z "$(state $pid)" ] && break; sleep 0.02; done
        case "$(state $pid)" in ""|Z) ;; *) echo "round $round: still $(state $pid)"; kill -KILL $pid;; esac
        wait $pid; echo "round $round: status $?"
      done
      """
    // The test runner's threads block most signals, SIGTTIN among them, and its children
    // inherit the mask (a background read then fails at once instead of stopping): python
    // gives `script` an empty mask and the default actions.
    let result = try RDBToolProcess.runProgram(
      URL(fileURLWithPath: "/usr/bin/python3"),
      [
        "-c",
        "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); "
          + "signal.signal(signal.SIGTTIN, signal.SIG_DFL); "
          + "signal.signal(signal.SIGTTOU, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])",
        "/usr/bin/script", "-qfec", script, "/dev/null",
      ], deadline: 360)
    let lines = result.stdout.replacingOccurrences(of: "\r", with: "")
      .split(separator: "\n").map(String.init)
    for round in 1...rounds {
      #expect(lines.contains("round \(round): before T"), "not stopped first: \(lines)")
      #expect(lines.contains("round \(round): status 143"), "\(lines)")
    }
    #expect(!lines.contains { $0.contains("still") }, "\(lines)")
    #expect(
      lines.filter { $0.hasSuffix("rdbtool: interrupted by SIGTERM") }.count == rounds, "\(lines)")
  }
}

/// A signal ignored when rdbtool starts stays ignored, as `nohup` and the shell's background
/// jobs expect; the others still clean up. Once rdbtool has installed its handlers, SIGHUP then
/// SIGTERM are sent: a SIGHUP not ignored would be taken first (the lower number, and sent
/// first), ending the process with 129 or on the second signal, not with 143.
@Suite struct IgnoredSignalTests {
  @Test func anIgnoredHangupStaysIgnored() throws {
    let (process, input) = try startWaitingOnInput(
      URL(fileURLWithPath: "/usr/bin/python3"),
      [
        "-c",
        "import os, signal, sys; signal.signal(signal.SIGHUP, signal.SIG_IGN); "
          + "os.execv(sys.argv[1], sys.argv[1:])",
        RDBToolProcess.binary.path,
      ])
    defer { try? input.close() }
    try #require(catchesSIGTERM(process), "rdbtool installed no handler")
    kill(process.processIdentifier, SIGHUP)
    kill(process.processIdentifier, SIGTERM)
    try #require(RDBToolProcess.waitForExit(process, seconds: 30), "still running after SIGTERM")
    #expect(
      process.terminationReason == .exit && process.terminationStatus == 143,
      "SIGHUP, ignored from the start, was taken: \(process.terminationStatus)")
  }
}

/// Starts `program arguments… verify -q -` (the program runs rdbtool, or is it) with its
/// standard input on a pipe that stays open, so that it waits for input; returns the process
/// and the pipe's writing end, which the caller closes.
private func startWaitingOnInput(_ program: URL, _ arguments: [String]) throws -> (
  Process, FileHandle
) {
  let process = Process()
  process.executableURL = program
  process.arguments = arguments + ["verify", "-q", "-"]
  let input = Pipe()
  process.standardInput = input
  process.standardOutput = FileHandle.nullDevice
  process.standardError = FileHandle.nullDevice
  try process.run()
  return (process, input.fileHandleForWriting)
}

/// Waits until `process` catches SIGTERM (the `SigCgt` mask of its `/proc` status): rdbtool has
/// installed its handlers, where the program that started it (python) catches no SIGTERM.
/// False when the process ended first, or after 30 s.
private func catchesSIGTERM(_ process: Process) -> Bool {
  let status = "/proc/\(process.processIdentifier)/status"
  let deadline = Date().addingTimeInterval(30)
  while process.isRunning, Date() < deadline {
    if let text = try? String(contentsOfFile: status, encoding: .utf8),
      let line = text.split(separator: "\n").first(where: { $0.hasPrefix("SigCgt:") }),
      let mask = UInt64(
        line.dropFirst("SigCgt:".count).trimmingCharacters(in: .whitespaces), radix: 16),
      mask & (1 << UInt64(SIGTERM - 1)) != 0
    {
      return true
    }
    Thread.sleep(forTimeInterval: 0.01)
  }
  return false
}
