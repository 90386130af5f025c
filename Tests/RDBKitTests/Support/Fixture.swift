import Foundation
import Testing

/// A server-written RDB file and the server's own account of its contents.
struct Fixture: CustomTestStringConvertible, Sendable {
  let rdb: URL
  var expected: URL { rdb.deletingPathExtension().appendingPathExtension("expected.json") }
  var testDescription: String { rdb.pathComponents.suffix(2).joined(separator: "/") }
  /// The server directory, such as `redis-7.4.1`.
  var server: String { rdb.deletingLastPathComponent().lastPathComponent }

  /// The repository's `testdata/` directory, found from this file's path.
  static let testdata: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("testdata")

  /// Every `testdata/fixtures/<server>/<profile>.rdb`, sorted for stable output.
  static let all: [Fixture] = {
    let root = testdata.appendingPathComponent("fixtures")
    let servers = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
    var fixtures: [Fixture] = []
    for server in servers.sorted() {
      let directory = root.appendingPathComponent(server)
      let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
      for file in files.sorted() where file.hasSuffix(".rdb") {
        fixtures.append(Fixture(rdb: directory.appendingPathComponent(file)))
      }
    }
    return fixtures
  }()

  /// The small fixture used where a test walks every byte.
  static func named(_ server: String, _ profile: String) -> Fixture {
    Fixture(rdb: testdata.appendingPathComponent("fixtures/\(server)/\(profile).rdb"))
  }

  /// The file's bytes.
  func bytes() throws -> [UInt8] { [UInt8](try Data(contentsOf: rdb)) }

  /// The parsed `expected.json`.
  func expectedDocument() throws -> [String: Any] {
    let data = try Data(contentsOf: expected)
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw CocoaError(.fileReadCorruptFile)
    }
    return object
  }
}
