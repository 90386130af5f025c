import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The progress line, drawn on a real terminal (a pty opened by `script`) 80 and 120 columns
/// wide: every redraw fits the width (so the terminal never wraps it), a long file name is
/// shortened, several inputs get one aggregate bar, and a terminal on standard input is
/// announced.
@Suite(.serialized) struct ProgressTests {
  /// An RDB file of `keys` keys written by the real redis-server (DEBUG POPULATE, then SAVE),
  /// in `directory`, under a name longer than 80 columns once its directory is added.
  static func populatedFile(in directory: URL, keys: Int = 300_000) throws -> URL {
    let server = Process()
    server.executableURL = URL(fileURLWithPath: "/usr/bin/redis-server")
    let socket = directory.appendingPathComponent("redis.sock").path
    server.arguments = [
      "--port", "0", "--unixsocket", socket, "--dir", directory.path, "--save", "",
      "--enable-debug-command", "yes", "--daemonize", "no",
    ]
    server.standardOutput = FileHandle.nullDevice
    try server.run()
    defer {
      _ = try? RDBToolProcess.runProgram(
        URL(fileURLWithPath: "/usr/bin/redis-cli"), ["-s", socket, "SHUTDOWN", "NOSAVE"])
      if server.isRunning { kill(server.processIdentifier, SIGKILL) }
      server.waitUntilExit()
    }
    let deadline = Date().addingTimeInterval(10)
    while !FileManager.default.fileExists(atPath: socket), Date() < deadline {
      Thread.sleep(forTimeInterval: 0.02)
    }
    for command in [["DEBUG", "POPULATE", String(keys), "key", "200"], ["SAVE"]] {
      let result = try RDBToolProcess.runProgram(
        URL(fileURLWithPath: "/usr/bin/redis-cli"), ["-s", socket] + command)
      try #require(result.stdout.hasPrefix("OK"), "\(command): \(result.stdout)\(result.stderr)")
    }
    let file = directory.appendingPathComponent(
      "an-export-with-a-long-name-to-shorten-for-the-progress-line-0001.rdb")
    try FileManager.default.moveItem(at: directory.appendingPathComponent("dump.rdb"), to: file)
    return file
  }

  /// The progress redraws in `output`: the text after each "erase line" up to the next
  /// carriage return or line feed (scalars, not characters: "\r\n" is one character). The
  /// last erase, which clears the line for the result, is followed by the result: not a redraw.
  static func redraws(_ output: String) -> [String] {
    output.components(separatedBy: "\u{1B}[2K").dropFirst().map { piece in
      var text = ""
      for scalar in piece.unicodeScalars {
        if scalar == "\r" || scalar == "\n" { break }
        text.unicodeScalars.append(scalar)
      }
      return text
    }.filter { $0.contains("B/s") }
  }

  /// The redraws in `output` that are whole: those before its last carriage return, which
  /// starts each redraw.
  static func completeRedraws(_ output: String) -> [String] {
    guard let end = output.unicodeScalars.lastIndex(of: "\r") else { return [] }
    return redraws(String(output.unicodeScalars[..<end]))
  }

  /// How many line feeds `output` holds.
  static func lineFeeds(_ output: String) -> Int {
    output.utf8.filter { $0 == 0x0A }.count
  }

  /// `dump` on a terminal whose output is held (``HeldTerminal``) until the line has been drawn
  /// once as `drawn` expects, then let go: the run lasts past the first draw however fast it
  /// reads. Returns everything written to the terminal.
  static func heldDump(
    _ inputs: [String], columns: Int, in directory: URL, until drawn: @escaping (String) -> Bool
  ) throws -> String {
    let terminal = try HeldTerminal(
      "\(RDBToolProcess.binary.path) dump --format jsonl \(inputs.joined(separator: " "))",
      columns: columns, in: directory)
    try #require(
      terminal.read { Self.completeRedraws($0).contains(where: drawn) },
      "no line drawn at \(columns) columns: \(terminal.output)")
    terminal.proceed()
    return terminal.finish()
  }

  /// Every redraw fits 80 and 120 columns and shows the share done and the name's end, for one
  /// input and for two (one aggregate bar).
  @Test func barsFitTheTerminal() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let first = try Self.populatedFile(in: directory, keys: 40_000)
    let second = directory.appendingPathComponent(
      "an-export-with-a-long-name-to-shorten-for-the-progress-line-0002.rdb")
    try FileManager.default.copyItem(at: first, to: second)
    for columns in [80, 120] {
      let single = try Self.heldDump([first.path], columns: columns, in: directory) { _ in true }
      let bars = Self.redraws(single)
      #expect(!bars.isEmpty, "no progress line drawn at \(columns) columns: \(single)")
      for bar in bars {
        #expect(bar.count < columns, "\(columns): \(bar)")
        #expect(bar.contains("%") && bar.contains(" MiB"), "\(bar)")
        #expect(bar.contains("-0001.rdb"), "the name's end is kept: \(bar)")
      }
      // Nothing ends a line: no redraw wrapped.
      #expect(Self.lineFeeds(single) == 0, "\(single)")

      let both = try Self.heldDump([first.path, second.path], columns: columns, in: directory) {
        $0.contains("/2 files [")
      }
      let aggregate = Self.redraws(both)
      #expect(aggregate.contains { $0.contains("/2 files [") }, "\(both)")
      for bar in aggregate { #expect(bar.count < columns, "\(columns): \(bar)") }
      #expect(Self.lineFeeds(both) == 0, "\(both)")
    }
  }

  /// Inputs named through symbolic links have no size known in advance (as for a pipe): the
  /// aggregate line counts bytes without a bar or a share done.
  @Test func linkedInputsHaveNoAggregateTotal() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = try Self.populatedFile(in: directory, keys: 40_000)
    let links = try (1...2).map { index in
      let link = directory.appendingPathComponent("linked-\(index).rdb")
      try FileManager.default.createSymbolicLink(at: link, withDestinationURL: file)
      return link.path
    }
    let output = try Self.heldDump(links, columns: 120, in: directory) {
      $0.contains("/2 files")
    }
    let bars = Self.redraws(output).filter { $0.contains("/2 files") }
    #expect(!bars.isEmpty, "\(output)")
    for bar in bars { #expect(!bar.contains("%") && !bar.contains("["), "\(bar)") }
  }

  /// A resized terminal (SIGWINCH) gets a line of its new width. The dump's output is held
  /// (``HeldTerminal``), so it is still reading when the first line is drawn at 120 columns and
  /// when the terminal is made 50 columns wide; it goes on once a narrower line is drawn.
  @Test func aResizeRedrawsToTheNewWidth() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = try Self.populatedFile(in: directory, keys: 40_000)
    let terminal = try HeldTerminal(
      "\(RDBToolProcess.binary.path) dump --format jsonl \(file.path)", columns: 120,
      steps: ["stty cols 50; kill -WINCH $!"], in: directory)
    try #require(
      terminal.read { Self.completeRedraws($0).contains { $0.count > 50 } },
      "no line drawn at 120 columns: \(terminal.output)")
    terminal.proceed()
    try #require(
      terminal.read { Self.completeRedraws($0).contains { $0.count < 50 } },
      "no line drawn at 50 columns: \(terminal.output)")
    terminal.proceed()
    let bars = Self.redraws(terminal.finish())
    #expect(bars.contains { $0.count > 50 }, "drawn at 120 columns first: \(bars.first ?? "")")
    let last = try #require(bars.last)
    #expect(last.count < 50, "\(last)")
  }

  /// `verify -` with a terminal on standard input says it is waiting for it. It runs in the
  /// background of a shell without job control, so in the terminal's foreground group, where it
  /// waits for input instead of being stopped (SIGTTIN; BackgroundTerminalInterruptTests covers
  /// that case), until it has said so and is ended.
  @Test func aTerminalOnStandardInputIsAnnounced() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let announcement = "rdbtool: reading an RDB file from standard input (the terminal)"
    let terminal = try HeldTerminal(
      "\(RDBToolProcess.binary.path) verify - < /dev/tty", columns: 80, steps: ["kill $!"],
      in: directory)
    #expect(terminal.read { $0.contains(announcement) }, "\(terminal.output)")
    terminal.proceed()
    terminal.proceed()
    _ = terminal.finish()
    let piped = try RDBToolProcess.run(
      ["verify", "-"],
      stdin: try Data(
        contentsOf: URL(fileURLWithPath: RDBToolProcess.fixture("redis-7.4.1/default.rdb"))))
    #expect(!piped.stderr.contains("reading an RDB file"))
  }
}
