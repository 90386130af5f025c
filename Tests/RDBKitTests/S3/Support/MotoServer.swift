import Foundation
import Testing

@testable import RDBKit
@testable import RDBS3

/// What `s3_helper.py setup` made, decoded from its JSON.
struct MotoSetup: Decodable, Sendable {
  struct Keys: Decodable, Sendable {
    let access_key_id: String
    let secret_access_key: String
    let session_token: String?
    var credentials: AWSCredentials {
      AWSCredentials(
        accessKeyID: access_key_id, secretAccessKey: secret_access_key,
        sessionToken: session_token)
    }
  }
  struct Object: Decodable, Sendable {
    let size: Int64
    let etag: String
  }
  let endpoint: String
  let bucket: String
  let objects: [String: Object]
  let users: [String: Keys]
  let role_arn: String
  /// The roles `--role-chain` made (`hop`, `chained`, `external`; see `make_role_chain`).
  let chain_roles: [String: String]?
  let session: Keys?
  let scenarios: [String]

  func user(_ name: String) throws -> AWSCredentials {
    try #require(users[name]).credentials
  }
}

/// A real moto S3 server on 127.0.0.1 in a fresh temporary directory, owned by one test.
final class MotoServer: @unchecked Sendable {
  let directory: URL
  let port: Int
  let process: BackgroundProcess
  /// The test CA when the server speaks https (see `s3_helper.py make-certificates`).
  let caBundle: String?
  private(set) var setup: MotoSetup?

  var endpoint: String { "\(caBundle == nil ? "http" : "https")://127.0.0.1:\(port)" }

  private init(directory: URL, port: Int, process: BackgroundProcess, caBundle: String?) {
    self.directory = directory
    self.port = port
    self.process = process
    self.caBundle = caBundle
  }

  /// Starts moto (page size 2 for listings), waits until `/moto-api/` answers, and runs the
  /// setup helper with `setupArguments`. Retries once on a port race. With `certificates` (a
  /// directory made by `make-certificates`) it serves https with that server certificate.
  static func start(setupArguments: [String] = ["--enable-auth"], certificates: URL? = nil)
    throws -> MotoServer
  {
    let caBundle = certificates?.appendingPathComponent("ca.pem").path
    let tlsArguments = certificates.map { ["--certificates", $0.path] } ?? []
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("rdbkit-moto-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
    environment["TMPDIR"] = directory.path
    environment["MOTO_S3_DEFAULT_MAX_KEYS"] = "2"
    // Upload tests use parts far below S3's 5 MiB minimum, which moto then accepts.
    environment["S3_UPLOAD_PART_MIN_SIZE"] = "1024"
    for _ in 0..<2 {
      let port = try PythonTool.freePort()
      let process = try BackgroundProcess(
        arguments: [PythonTool.script("s3_helper.py"), "serve-moto", String(port)]
          + tlsArguments,
        environment: environment, logURL: directory.appendingPathComponent("moto.log"))
      let server = MotoServer(
        directory: directory, port: port, process: process, caBundle: caBundle)
      if process.waitUntil(seconds: 30, { server.answers() }) {
        do {
          let output = try PythonTool.run(
            [PythonTool.script("s3_helper.py"), "setup", server.endpoint] + setupArguments
              + (caBundle.map { ["--ca-bundle", $0] } ?? []))
          server.setup = try JSONDecoder().decode(MotoSetup.self, from: output)
        } catch {
          server.stop()
          throw error
        }
        return server
      }
      process.stop()
    }
    throw HelperFailure(message: "moto did not start; is moto[server] installed? (make setup)")
  }

  /// Runs `body` with a started server and always stops it.
  static func with<R>(
    setupArguments: [String] = ["--enable-auth"], certificates: URL? = nil,
    _ body: (MotoServer, MotoSetup) throws -> R
  ) throws -> R {
    let server = try start(setupArguments: setupArguments, certificates: certificates)
    defer { server.stop() }
    return try body(server, try #require(server.setup))
  }

  /// Whether `GET /moto-api/` answers 200.
  func answers() -> Bool {
    guard let easy = try? CurlEasy() else { return false }
    var request = HTTPRequest(method: "GET", url: endpoint + "/moto-api/")
    request.transport.caBundlePath = caBundle
    let response = try? easy.collect(request)
    return response?.status == 200
  }

  /// Lets the next `count` actions through unchecked (for the unsigned STS call).
  func resetAuth(_ count: Int) throws {
    _ = try PythonTool.run([
      PythonTool.script("s3_helper.py"), "reset-auth", endpoint, String(count),
    ])
  }

  /// A client for this server with `credentials`, path-style, tight retries for tests.
  func client(
    _ credentials: AWSCredentials, endpoint: String? = nil, region: String = "us-east-1",
    maxAttempts: Int = 4
  ) -> S3Client {
    S3Client(
      endpoint: S3Endpoint(region: region, endpointURL: endpoint ?? self.endpoint),
      credentials: StaticCredentials(credentials),
      retryPolicy: RetryPolicy(
        maxAttempts: maxAttempts, baseDelay: 0.01, throttlingBaseDelay: 0.02))
  }

  func stop() {
    process.stop()
    try? FileManager.default.removeItem(at: directory)
  }
}
