import Foundation

/// A fresh directory under the system temporary directory, removed when this goes away.
final class TemporaryDirectory {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory
      .appendingPathComponent("rdbkit-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: url) }

  /// Writes `text` to `name` inside the directory and returns its path.
  @discardableResult
  func write(_ name: String, _ text: String, executable: Bool = false) throws -> String {
    let file = url.appendingPathComponent(name)
    try text.write(to: file, atomically: true, encoding: .utf8)
    if executable {
      try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file.path)
    }
    return file.path
  }

  /// An environment with no AWS settings but files in this directory and IMDS off.
  var awsEnvironment: [String: String] {
    [
      "HOME": url.path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
      "AWS_CONFIG_FILE": url.appendingPathComponent("config").path,
      "AWS_SHARED_CREDENTIALS_FILE": url.appendingPathComponent("credentials").path,
      "AWS_EC2_METADATA_DISABLED": "true",
    ]
  }
}
