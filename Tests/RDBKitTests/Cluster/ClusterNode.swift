import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One `redis-server --cluster-enabled yes` on 127.0.0.1, in its own temporary directory,
/// that can be stopped and started again on the same port with the same `nodes.conf` (so it
/// stays the same member of its cluster) and a new `dump.rdb`. Stopped by its own pid.
final class ClusterNode {
  /// The server that runs.
  let binary: ServerBinary
  /// The node's `--dir`: `dump.rdb`, `nodes.conf` and `server.log`.
  let directory: URL
  /// The client port; the cluster bus is this + 10000.
  let port: Int
  private var process = Process()

  /// Starts a node of `binary` (redis-7.0 by default) on a port whose bus port is free too.
  init(binary: ServerBinary? = nil) throws {
    self.binary = try binary ?? ServerCatalog.require("redis-7.0")
    directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("rdbkit-cluster-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    port = try Self.freePortPair()
    do {
      try start()
    } catch {
      stop()
      try? FileManager.default.removeItem(at: directory)
      throw error
    }
  }

  /// The dump file the node loads when it starts.
  var dumpURL: URL { directory.appendingPathComponent("dump.rdb") }

  /// A new connection to the node.
  func client() throws -> RESPClient { try RESPClient(port: port) }

  /// Starts the server and waits until this process answers `PING`.
  func start() throws {
    let log = directory.appendingPathComponent("server.log")
    process = Process()
    process.executableURL = binary.launcher
    process.arguments = [
      "--bind", "127.0.0.1", "--port", "\(port)", "--dir", directory.path, "--dbfilename",
      "dump.rdb", "--save", "", "--appendonly", "no", "--daemonize", "no", "--logfile",
      log.path, "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
      "--cluster-node-timeout", "5000",
    ]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(30)
    while Date() < deadline {
      guard process.isRunning else { break }
      if let client = try? client(), (try? client.call("PING")) == .simple("PONG"),
        let info = try? client.call("INFO", "server").text,
        info.contains("process_id:\(process.processIdentifier)\r\n")
      {
        return
      }
      Thread.sleep(forTimeInterval: 0.02)
    }
    let tail =
      (try? String(contentsOf: log, encoding: .utf8))?
      .split(separator: "\n").suffix(15).joined(separator: "\n") ?? "(no log)"
    throw ServerStartError(
      server: "\(binary) cluster node :\(port)", problem: "did not start", logTail: tail)
  }

  /// Asks the server to exit without saving, then kills it by pid after 2 s.
  func stop() {
    if process.isRunning, let client = try? client() {
      _ = try? client.call("SHUTDOWN", "NOSAVE")
    }
    let deadline = Date().addingTimeInterval(2)
    while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    if process.processIdentifier != 0 { process.waitUntilExit() }
  }

  /// Stops the node and removes its directory.
  func remove() {
    stop()
    try? FileManager.default.removeItem(at: directory)
  }

  /// A port whose cluster bus port (+10000) is free as well, as the kernel chose it.
  private static func freePortPair() throws -> Int {
    for _ in 0..<50 {
      let port = try bindable(0)
      if port + 10000 < 65536, (try? bindable(port + 10000)) != nil { return port }
    }
    throw RESPError(description: "no free port pair for a cluster node")
  }

  /// Binds 127.0.0.1:`port` (0: any) and returns the port bound, then releases it.
  private static func bindable(_ port: Int) throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw RESPError(description: "socket: errno \(errno)") }
    defer { close(descriptor) }
    var address = sockaddr_in.loopback(port: port)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
      }
    }
    guard bound else { throw RESPError(description: "bind 127.0.0.1:\(port): errno \(errno)") }
    return Int(UInt16(bigEndian: address.sin_port))
  }
}
