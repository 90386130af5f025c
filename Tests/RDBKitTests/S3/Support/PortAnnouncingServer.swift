import Foundation

/// A Python helper server (fault proxy, credential server) that picks its own loopback port and
/// announces it as `{"port": N}` on its first output line; stopped by its pid.
final class PortAnnouncingServer: @unchecked Sendable {
  let process: BackgroundProcess
  let port: Int
  let requestLog: URL

  /// Starts `python3 Support/<script> arguments… --log <dir>/<script>.jsonl` in `directory`.
  init(script: String, arguments: [String], directory: URL) throws {
    requestLog = directory.appendingPathComponent("\(script).jsonl")
    let process = try BackgroundProcess(
      arguments: [PythonTool.script(script)] + arguments + ["--log", requestLog.path],
      environment: ProcessInfo.processInfo.environment,
      logURL: directory.appendingPathComponent("\(script).out"))
    var announced: Int?
    _ = process.waitUntil(seconds: 20) {
      let firstLine = process.log.split(separator: "\n").first.map(String.init) ?? ""
      let object = try? JSONSerialization.jsonObject(with: Data(firstLine.utf8))
      announced = (object as? [String: Any])?["port"] as? Int
      return announced != nil
    }
    guard let announced else {
      process.stop()
      throw HelperFailure(message: "\(script) did not start: \(process.log)")
    }
    self.process = process
    self.port = announced
  }

  var endpoint: String { "http://127.0.0.1:\(port)" }

  /// The JSON lines of the request log.
  var requests: [[String: Any]] {
    let text = (try? String(contentsOf: requestLog, encoding: .utf8)) ?? ""
    return text.split(separator: "\n").compactMap {
      try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
  }

  func stop() { process.stop() }
}
