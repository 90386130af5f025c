import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A RESP reply.
indirect enum RESPValue: Equatable, CustomStringConvertible {
  case simple(String)
  case error(String)
  case integer(Int64)
  case bulk([UInt8]?)
  case array([RESPValue]?)

  var bytes: [UInt8]? {
    switch self {
    case .bulk(let value): return value
    case .simple(let text): return Array(text.utf8)
    case .integer(let value): return Array(String(value).utf8)
    default: return nil
    }
  }
  var text: String? { bytes.map { String(decoding: $0, as: UTF8.self) } }
  var integer: Int64? {
    if case .integer(let value) = self { return value }
    return text.flatMap { Int64($0) }
  }
  var elements: [RESPValue] {
    if case .array(let values) = self { return values ?? [] }
    return []
  }

  var description: String {
    switch self {
    case .simple(let text): return "+\(text)"
    case .error(let text): return "-\(text)"
    case .integer(let value): return ":\(value)"
    case .bulk(let value): return value.map { "$" + String(decoding: $0, as: UTF8.self) } ?? "$nil"
    case .array(let values): return values.map { "\($0)" } ?? "*nil"
    }
  }
}

struct RESPError: Error, CustomStringConvertible {
  var description: String
}

/// A minimal binary-safe RESP2 client over a Unix socket; commands can be pipelined.
final class RESPClient {
  private let descriptor: Int32
  private var buffer: [UInt8] = []
  private var position = 0

  init(socketPath: String) throws {
    descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw RESPError(description: "socket: errno \(errno)") }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let path = Array(socketPath.utf8CString)
    guard path.count <= MemoryLayout.size(ofValue: address.sun_path) else {
      close(descriptor)
      throw RESPError(description: "socket path too long")
    }
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
      path.withUnsafeBytes { raw.copyMemory(from: $0) }
    }
    let result = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
      }
    }
    guard result == 0 else {
      close(descriptor)
      throw RESPError(description: "connect: errno \(errno)")
    }
  }

  deinit { close(descriptor) }

  static func encode(_ arguments: [[UInt8]]) -> [UInt8] {
    var out = Array("*\(arguments.count)\r\n".utf8)
    for argument in arguments {
      out += Array("$\(argument.count)\r\n".utf8) + argument + [13, 10]
    }
    return out
  }

  /// Sends all commands at once, then reads one reply per command.
  func pipeline(_ commands: [[[UInt8]]]) throws -> [RESPValue] {
    var payload: [UInt8] = []
    for command in commands { payload += Self.encode(command) }
    try write(payload)
    return try commands.map { _ in try readReply() }
  }

  /// Sends one command of text arguments and returns its reply.
  @discardableResult
  func call(_ arguments: String...) throws -> RESPValue {
    try pipeline([arguments.map { Array($0.utf8) }])[0]
  }

  func callBytes(_ arguments: [[UInt8]]) throws -> RESPValue { try pipeline([arguments])[0] }

  private func write(_ bytes: [UInt8]) throws {
    var sent = 0
    while sent < bytes.count {
      let count = bytes.withUnsafeBytes { raw in
        raw.baseAddress.map { Glibc.send(descriptor, $0 + sent, bytes.count - sent, 0) } ?? -1
      }
      guard count > 0 else { throw RESPError(description: "send: errno \(errno)") }
      sent += count
    }
  }

  private func fill() throws {
    if position > 0 {
      buffer.removeFirst(position)
      position = 0
    }
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
    guard count > 0 else { throw RESPError(description: "connection closed") }
    buffer += chunk[0..<count]
  }

  private func readLine() throws -> String {
    while true {
      if let end = buffer[position...].firstIndex(of: 10), end > position, buffer[end - 1] == 13 {
        let line = String(decoding: buffer[position..<end - 1], as: UTF8.self)
        position = end + 1
        return line
      }
      try fill()
    }
  }

  private func readBytes(_ count: Int) throws -> [UInt8] {
    while buffer.count - position < count + 2 { try fill() }
    let bytes = Array(buffer[position..<position + count])
    position += count + 2
    return bytes
  }

  func readReply() throws -> RESPValue {
    let line = try readLine()
    let rest = String(line.dropFirst())
    switch line.first {
    case "+": return .simple(rest)
    case "-": return .error(rest)
    case ":": return .integer(Int64(rest) ?? 0)
    case "$":
      let count = Int(rest) ?? -1
      return count < 0 ? .bulk(nil) : .bulk(try readBytes(count))
    case "*":
      let count = Int(rest) ?? -1
      if count < 0 { return .array(nil) }
      return .array(try (0..<count).map { _ in try readReply() })
    default:
      throw RESPError(description: "bad reply line \(line)")
    }
  }
}

/// A real `redis-server` on a Unix socket in a fresh temporary directory, stopped by its own
/// pid (never by name).
final class RedisServer {
  static let binary = "/usr/bin/redis-server"
  let directory: URL
  let socket: String
  private let process: Process

  init(extraArguments: [String] = []) throws {
    directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("rdbkit-redis-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    socket = directory.appendingPathComponent("redis.sock").path
    process = Process()
    process.executableURL = URL(fileURLWithPath: Self.binary)
    process.arguments =
      [
        "--port", "0", "--unixsocket", socket, "--dir", directory.path, "--save", "",
        "--appendonly", "no", "--daemonize", "no", "--logfile",
        directory.appendingPathComponent("redis.log").path,
      ] + extraArguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(10)
    while Date() < deadline {
      if let client = try? RESPClient(socketPath: socket),
        (try? client.call("PING")) == .simple("PONG")
      {
        return
      }
      Thread.sleep(forTimeInterval: 0.02)
    }
    stop()
    throw RESPError(description: "redis-server did not answer on \(socket)")
  }

  /// Asks the server to exit, then kills it by pid after 2 s. Children of `Foundation.Process`
  /// on Linux start with SIGTERM blocked, so SIGTERM alone could hang.
  func stop() {
    if process.isRunning, let client = try? RESPClient(socketPath: socket) {
      _ = try? client.call("SHUTDOWN", "NOSAVE")
    }
    let deadline = Date().addingTimeInterval(2)
    while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    try? FileManager.default.removeItem(at: directory)
  }

  /// The dump file SAVE writes.
  var dumpPath: String { directory.appendingPathComponent("dump.rdb").path }
}
