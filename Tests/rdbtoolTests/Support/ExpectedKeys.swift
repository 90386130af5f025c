import Foundation
import Testing

/// One key of a fixture as the server that wrote it listed it in `expected.json`.
struct ExpectedKey {
  var database: Int
  var name: Data
  var type: String
  var expireMS: Int64?
  var expiredAtSave: Bool

  /// Every key of `testdata/fixtures/<path>` (`redis-7.4.1/default.rdb`), from the server's
  /// `expected.json` beside it.
  static func all(_ path: String) throws -> [ExpectedKey] {
    let url = URL(
      fileURLWithPath: RDBToolProcess.fixture(
        path.replacingOccurrences(of: ".rdb", with: ".expected.json")))
    let document = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    let keys = try #require(document["keys"] as? [[String: Any]])
    return keys.map { key in
      ExpectedKey(
        database: key["db"] as? Int ?? -1, name: Data(hex: key["key"] as? String ?? ""),
        type: key["type"] as? String ?? "", expireMS: (key["expire_ms"] as? NSNumber)?.int64Value,
        expiredAtSave: key["expired_at_save"] as? Bool ?? false)
    }
  }
}
