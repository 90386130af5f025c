import Foundation

/// Hand-built RDB images as files, for the binary and the servers to read.
enum TemporaryImage {
  /// Writes `bytes` to a new file `<prefix>-<random>.rdb` in the temporary directory and
  /// returns it; the caller removes it.
  static func write(_ bytes: [UInt8], prefix: String) throws -> URL {
    let file = FileManager.default.temporaryDirectory
      .appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8)).rdb")
    try Data(bytes).write(to: file)
    return file
  }
}
