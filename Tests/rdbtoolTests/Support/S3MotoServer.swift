import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What `s3_helper.py setup` made (the fields the CLI tests use).
struct S3MotoSetup: Decodable, Sendable {
  struct Keys: Decodable, Sendable {
    let access_key_id: String
    let secret_access_key: String
  }
  struct Object: Decodable, Sendable {
    let size: Int64
  }
  let endpoint: String
  let bucket: String
  let objects: [String: Object]
  let users: [String: Keys]
  let scenarios: [String]
}

/// A real moto S3 server on a free 127.0.0.1 port in a fresh temporary directory, owned by
/// one test and stopped by its pid. It is started and set up by RDBKit's test helper
/// `Tests/RDBKitTests/S3/Support/s3_helper.py` (used by path, not copied). A missing
/// `python3` or moto fails the test; nothing is skipped.
final class S3MotoServer: @unchecked Sendable {
  /// The helper script shared with RDBKit's S3 tests.
  static let helper = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("RDBKitTests/S3/Support/s3_helper.py").path

  /// Three real server files uploaded as one export, `my-export-000N.rdb`.
  static let shards: [(key: String, file: String)] = [
    ("my-export-0001.rdb", "redis-7.2.6/default.rdb"),
    ("my-export-0002.rdb", "redis-7.4.1/default.rdb"),
    ("my-export-0003.rdb", "valkey-8.0.1/default.rdb"),
  ].map { ($0.0, RDBToolProcess.fixture($0.1)) }

  let directory: URL
  let port: Int
  let setup: S3MotoSetup
  private let process: Process

  var endpoint: String { "http://127.0.0.1:\(port)" }

  private init(directory: URL, port: Int, process: Process, setup: S3MotoSetup) {
    self.directory = directory
    self.port = port
    self.process = process
    self.setup = setup
  }

  /// Starts moto, waits until its port accepts connections, and runs `s3_helper.py setup`
  /// with `setupArguments` (uploads, users, scenarios, `--enable-auth`). Retries once with
  /// another port when the first one was taken in between.
  static func start(setupArguments: [String]) throws -> S3MotoServer {
    let python = try #require(executable("python3"), "python3 is not installed: run `make setup`")
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("rdbtool-moto-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
    environment["TMPDIR"] = directory.path
    environment["MOTO_S3_DEFAULT_MAX_KEYS"] = "2"
    // Upload tests use parts far below S3's 5 MiB minimum, which moto then accepts.
    environment["S3_UPLOAD_PART_MIN_SIZE"] = "1024"
    let log = directory.appendingPathComponent("moto.log")
    for _ in 0..<2 {
      let port = try freePort()
      let process = Process()
      process.executableURL = python
      process.arguments = [helper, "serve-moto", String(port)]
      process.environment = environment
      _ = FileManager.default.createFile(atPath: log.path, contents: nil)
      let handle = try FileHandle(forWritingTo: log)
      process.standardOutput = handle
      process.standardError = handle
      try process.run()
      try? handle.close()
      let deadline = Date().addingTimeInterval(30)
      while process.isRunning, Date() < deadline, !accepts(port: port) {
        Thread.sleep(forTimeInterval: 0.05)
      }
      guard process.isRunning, accepts(port: port) else {
        stop(process)
        continue
      }
      do {
        let output = try run(
          python, [helper, "setup", "http://127.0.0.1:\(port)"] + setupArguments)
        let setup = try JSONDecoder().decode(S3MotoSetup.self, from: output)
        return S3MotoServer(directory: directory, port: port, process: process, setup: setup)
      } catch {
        stop(process)
        try? FileManager.default.removeItem(at: directory)
        throw error
      }
    }
    let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
    try? FileManager.default.removeItem(at: directory)
    Issue.record("moto did not start; is moto[server] installed? (make setup)\n\(text)")
    throw S3TestFailure(message: "moto did not start")
  }

  /// Runs `body` with a started server and always stops it.
  static func with<R>(_ setupArguments: [String], _ body: (S3MotoServer) throws -> R) throws -> R {
    let server = try start(setupArguments: setupArguments)
    defer { server.stop() }
    return try body(server)
  }

  /// `--put KEY=PATH` for each export shard.
  static var putShards: [String] { shards.flatMap { ["--put", "\($0.key)=\($0.file)"] } }

  /// The environment for `rdbtool` with `user`'s keys (or `secret` instead of its own), this
  /// endpoint, and no profile files, metadata service or inherited AWS variables.
  func environment(user: String = "reader", secret: String? = nil) throws -> [String: String] {
    let keys = try #require(setup.users[user])
    var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
    environment["AWS_ACCESS_KEY_ID"] = keys.access_key_id
    environment["AWS_SECRET_ACCESS_KEY"] = secret ?? keys.secret_access_key
    environment["AWS_ENDPOINT_URL"] = endpoint
    environment["AWS_REGION"] = "us-east-1"
    environment["AWS_CONFIG_FILE"] = "/dev/null"
    environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null"
    environment["AWS_EC2_METADATA_DISABLED"] = "true"
    return environment
  }

  /// Uploads `file` as `key` with `user`'s keys (through boto3, as the helper does).
  func put(key: String, file: String, user: String = "admin") throws {
    let python = try #require(Self.executable("python3"))
    let keys = try #require(setup.users[user])
    _ = try Self.run(
      python,
      [
        Self.helper, "put", "--endpoint", endpoint, "--bucket", setup.bucket, "--key", key,
        "--file", file, "--access-key", keys.access_key_id, "--secret-key", keys.secret_access_key,
      ])
  }

  /// SIGTERM (the helper clears the blocked signal mask), 3 s to exit, then SIGKILL; by pid.
  func stop() {
    Self.stop(process)
    try? FileManager.default.removeItem(at: directory)
  }

  /// SIGTERM, 3 s to exit, then SIGKILL, by pid: how the tests end the helper servers they start.
  static func stop(_ process: Process) {
    if process.isRunning { kill(process.processIdentifier, SIGTERM) }
    let deadline = Date().addingTimeInterval(3)
    while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
  }

  /// `name` from PATH.
  static func executable(_ name: String) -> URL? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":")
      .map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
      .first { FileManager.default.isExecutableFile(atPath: $0.path) }
  }

  /// Runs `program arguments…` and returns its standard output; a non-zero exit throws.
  static func run(_ program: URL, _ arguments: [String]) throws -> Data {
    let result = try S3ToolRunner.run(program, arguments, environment: nil)
    guard result.status == 0 else {
      throw S3TestFailure(
        message: "\(program.lastPathComponent) \(arguments.joined(separator: " ")) exited "
          + "\(result.status): \(result.stderr)")
    }
    return Data(result.stdout.utf8)
  }

  /// A port on 127.0.0.1 that was free a moment ago (bound to port 0, read, closed).
  static func freePort() throws -> Int {
    let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socketFD >= 0 else { throw S3TestFailure(message: "socket() failed") }
    defer { close(socketFD) }
    var address = loopback(port: 0)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
        bind(socketFD, pointer, length) == 0 && getsockname(socketFD, pointer, &length) == 0
      }
    }
    guard bound else { throw S3TestFailure(message: "cannot bind 127.0.0.1:0") }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  /// Whether a TCP connection to 127.0.0.1:`port` succeeds.
  static func accepts(port: Int) -> Bool {
    let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socketFD >= 0 else { return false }
    defer { close(socketFD) }
    var address = loopback(port: port)
    return withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
      }
    }
  }

  private static func loopback(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    return address
  }
}

/// Runs a program with a chosen environment and captures both streams.
enum S3ToolRunner {
  /// Runs `rdbtool arguments…` with `environment`.
  static func rdbtool(_ arguments: [String], environment: [String: String]) throws
    -> RDBToolProcess.Result
  {
    try run(RDBToolProcess.binary, arguments, environment: environment)
  }

  /// Runs `program arguments…` (see ``RDBToolProcess/runProgram(_:_:stdin:environment:)``).
  static func run(_ program: URL, _ arguments: [String], environment: [String: String]?) throws
    -> RDBToolProcess.Result
  {
    try RDBToolProcess.runProgram(program, arguments, environment: environment)
  }
}

/// A helper process or server that did not do what a test needed.
struct S3TestFailure: Error, CustomStringConvertible {
  let message: String
  var description: String { message }
}
