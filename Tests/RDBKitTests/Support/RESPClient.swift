import Foundation

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

/// A minimal binary-safe RESP2 client over TCP to 127.0.0.1; commands can be pipelined.
final class RESPClient {
  private let descriptor: Int32
  private var buffer: [UInt8] = []
  private var position = 0

  /// Connects to `127.0.0.1:port`. A reply that takes over a minute fails the read.
  init(port: Int) throws {
    descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw RESPError(description: "socket: errno \(errno)") }
    var one: Int32 = 1
    setsockopt(
      descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    var timeout = timeval(tv_sec: 60, tv_usec: 0)
    setsockopt(
      descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in.loopback(port: port)
    let result = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    // A class whose init throws after every property is set still runs deinit, which closes
    // the socket: closing it here too would close a descriptor another thread may reuse.
    guard result == 0 else {
      throw RESPError(description: "connect to 127.0.0.1:\(port): errno \(errno)")
    }
  }

  deinit { if descriptor >= 0 { close(descriptor) } }

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

extension sockaddr_in {
  /// `127.0.0.1:port`; port 0 lets `bind` choose one.
  static func loopback(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
    return address
  }
}
