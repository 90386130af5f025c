import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `Support/elasticache_standin.py` (a stand-in for ElastiCache's Query API, see its header)
/// started by one test on a free loopback port, checking signatures against `user`'s keys and
/// reading and writing buckets in `moto`; stopped by its pid.
final class ElastiCacheStandIn: @unchecked Sendable {
  static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("elasticache_standin.py").path

  /// The shards it writes for every export: three real server files.
  static let fixtures = [
    "redis-7.2.6/default.rdb", "redis-7.4.1/default.rdb", "valkey-8.0.1/default.rdb",
  ]
  .map(RDBToolProcess.fixture)

  let process: Process
  let port: Int
  let directory: URL

  var endpoint: String { "http://127.0.0.1:\(port)" }

  /// Starts the stand-in for `region` with the source snapshots `nightly` and `slow` (whose
  /// shards come after two minutes) and `busy` (always throttled).
  init(moto: S3MotoServer, region: String = "us-east-1", user: String = "admin") throws {
    let python = try #require(S3MotoServer.executable("python3"))
    let keys = try #require(moto.setup.users[user])
    let admin = try #require(moto.setup.users["admin"])
    directory = try RDBToolProcess.temporaryDirectory()
    let output = directory.appendingPathComponent("standin.out")
    _ = FileManager.default.createFile(atPath: output.path, contents: nil)
    let handle = try FileHandle(forWritingTo: output)
    defer { try? handle.close() }
    process = Process()
    process.executableURL = python
    process.arguments =
      [
        Self.script, "--region", region, "--access-key", keys.access_key_id, "--secret-key",
        keys.secret_access_key, "--moto", moto.endpoint, "--moto-key", admin.access_key_id,
        "--moto-secret", admin.secret_access_key, "--snapshot", "nightly", "--slow", "slow",
        "--throttled", "busy", "--log", directory.appendingPathComponent("requests.jsonl").path,
      ] + Self.fixtures.flatMap { ["--fixture", $0] }
    process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
    let deadline = Date().addingTimeInterval(20)
    var announced: Int?
    while announced == nil, process.isRunning, Date() < deadline {
      let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
      let line = text.split(separator: "\n").first.map(String.init) ?? ""
      announced =
        ((try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any])?["port"]
        as? Int
      if announced == nil { Thread.sleep(forTimeInterval: 0.05) }
    }
    guard let announced else {
      let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
      S3MotoServer.stop(process)
      throw S3TestFailure(message: "the ElastiCache stand-in did not start: \(text)")
    }
    port = announced
  }

  /// The requests it received, as logged (path, params, status).
  var requests: [[String: Any]] {
    let text =
      (try? String(
        contentsOf: directory.appendingPathComponent("requests.jsonl"), encoding: .utf8)) ?? ""
    return text.split(separator: "\n").compactMap {
      try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
  }

  func stop() {
    S3MotoServer.stop(process)
    try? FileManager.default.removeItem(at: directory)
  }
}
