import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A server that exited while starting (a file it could not load, say) or did not answer,
/// with the end of its log.
struct ServerStartError: Error, CustomStringConvertible {
  /// The server, as ``ServerBinary/description``.
  let server: String
  /// What went wrong.
  let problem: String
  /// The last lines of the server's log.
  let logTail: String

  var description: String { "\(server) \(problem); its log ends with:\n\(logTail)" }
}

/// A real Redis or Valkey server listening on 127.0.0.1 at a free TCP port, in a fresh
/// temporary directory, stopped by its own pid (never by name).
final class RedisServer {
  /// The server that runs.
  let binary: ServerBinary
  /// The temporary directory: the server's `--dir`, with its dump file and log.
  let directory: URL
  /// The dump file's name in ``directory``.
  let dbfilename: String
  /// The TCP port on 127.0.0.1.
  private(set) var port = 0
  /// The server's standard output and error: its log.
  var logFile: URL { directory.appendingPathComponent("server.log") }
  private var process = Process()

  /// Starts a server and waits until it answers `PING`, loading `preloadedRDB` first when
  /// one is given.
  ///
  /// - Parameters:
  ///   - binary: the server; nil for `redis-7.0`, Debian 12's redis-server.
  ///   - dbfilename: the dump file's name, which `SAVE` writes and startup loads.
  ///   - preloadedRDB: a file copied to `dbfilename` before the server starts, so that it
  ///     loads it at startup.
  ///   - extraArguments: more configuration, as `--name value` words.
  /// - Throws: ``ServerCatalog/Missing`` when no binary is given and `redis-7.0` is not
  ///   available; ``ServerStartError`` when the server exits while starting or does not
  ///   answer within 30 s.
  init(
    binary: ServerBinary? = nil, dbfilename: String = "dump.rdb", preloadedRDB: URL? = nil,
    extraArguments: [String] = []
  ) throws {
    self.binary = try binary ?? ServerCatalog.require("redis-7.0")
    self.dbfilename = dbfilename
    directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("rdbkit-\(self.binary.name)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    do {
      if let preloadedRDB {
        try FileManager.default.copyItem(at: preloadedRDB, to: dumpURL)
      }
      try start(extraArguments)
    } catch {
      stop()
      throw error
    }
  }

  /// Starts the server on a free port; another port when the chosen one was taken meanwhile.
  private func start(_ extraArguments: [String]) throws {
    for attempt in 1...3 {
      port = try Self.freePort()
      guard FileManager.default.createFile(atPath: logFile.path, contents: nil) else {
        throw RESPError(description: "cannot create \(logFile.path)")
      }
      process = Process()
      process.executableURL = binary.launcher
      // The server writes its own log: a FileHandle handed to Process would be closed twice
      // (by Process and by us), and a concurrent test could lose a reused descriptor.
      process.arguments =
        [
          "--bind", "127.0.0.1", "--port", "\(port)", "--dir", directory.path, "--dbfilename",
          dbfilename, "--save", "", "--appendonly", "no", "--daemonize", "no", "--logfile",
          logFile.path,
        ] + extraArguments
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      if try waitUntilAnswering() { return }
      process.waitUntilExit()
      let tail = logTail()
      if attempt < 3, tail.contains("Address already in use") { continue }
      throw ServerStartError(
        server: "\(binary)", problem: "exited with status \(process.terminationStatus)",
        logTail: tail)
    }
  }

  /// Waits for `PONG` from this process (not another server that took the port first);
  /// false when the process exits first.
  private func waitUntilAnswering() throws -> Bool {
    let deadline = Date().addingTimeInterval(30)
    while Date() < deadline {
      guard process.isRunning else { return false }
      if let client = try? client(), (try? client.call("PING")) == .simple("PONG"),
        let info = try? client.call("INFO", "server").text,
        info.contains("process_id:\(process.processIdentifier)\r\n")
      {
        return true
      }
      Thread.sleep(forTimeInterval: 0.02)
    }
    throw ServerStartError(
      server: "\(binary)", problem: "did not answer in 30 s", logTail: logTail())
  }

  /// A new connection to the server.
  func client() throws -> RESPClient { try RESPClient(port: port) }

  /// Every key of every database with its contents; see ``ServerContents/readAll(from:)``.
  func contents() throws -> [CollectedKey] { try ServerContents.readAll(from: client()) }

  /// The last `count` lines of the server's log.
  func logTail(_ count: Int = 15) -> String {
    let text = (try? String(contentsOf: logFile, encoding: .utf8)) ?? "(no log)"
    return text.split(separator: "\n").suffix(count).joined(separator: "\n")
  }

  /// Asks the server to exit, then kills it by pid after 2 s, and removes ``directory``.
  /// Children of `Foundation.Process` on Linux start with SIGTERM blocked, so SIGTERM alone
  /// could hang.
  func stop() {
    if process.isRunning, let client = try? client() {
      _ = try? client.call("SHUTDOWN", "NOSAVE")
    }
    let deadline = Date().addingTimeInterval(2)
    while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    if process.processIdentifier != 0 { process.waitUntilExit() }
    try? FileManager.default.removeItem(at: directory)
  }

  /// The dump file, which `SAVE` writes.
  var dumpURL: URL { directory.appendingPathComponent(dbfilename) }

  /// The dump file's path.
  var dumpPath: String { dumpURL.path }

  /// A port on 127.0.0.1 that was free a moment ago: the kernel's choice for port 0.
  private static func freePort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw RESPError(description: "socket: errno \(errno)") }
    defer { close(descriptor) }
    var address = sockaddr_in.loopback(port: 0)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
      }
    }
    guard bound else { throw RESPError(description: "bind 127.0.0.1:0: errno \(errno)") }
    return Int(UInt16(bigEndian: address.sin_port))
  }
}
