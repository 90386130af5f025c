import Foundation

/// Locations inside the repository, found from this file's path (never through ../shared).
enum TestPaths {
  /// The repository root.
  static let root: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// `testdata/` at the repository root.
  static var testdata: URL { root.appendingPathComponent("testdata") }

  /// `Tests/RDBKitTests/S3/Support/`, where the Python helpers live.
  static var s3Support: URL {
    root.appendingPathComponent("Tests/RDBKitTests/S3/Support")
  }
}
