import Foundation
import Testing

/// `verify --json`: one object per input, in input order, each with every field.
@Suite struct VerifyJSONTests {
  static let fixture = "redis-7.4.1/default.rdb"

  @Test func oneObjectPerInput() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let good = RDBToolProcess.fixture(Self.fixture)
    let data = try Data(contentsOf: URL(fileURLWithPath: good))
    let cut = directory.appendingPathComponent("cut.rdb")
    let cutLength = data.count * 2 / 3
    try data.prefix(cutLength).write(to: cut)
    let missing = directory.appendingPathComponent("missing.rdb").path
    let result = try RDBToolProcess.run(["verify", "--json", good, cut.path, missing])
    #expect(result.status == 1)
    let objects = try result.stdout.split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
    try #require(objects.count == 3)
    let fields: Set = [
      "input", "status", "checksum", "version", "keys", "left_to_checksum", "reason", "offset",
      "key", "warnings",
    ]
    #expect(objects.allSatisfy { Set($0.keys) == fields })
    #expect(objects.map { $0["input"] as? String } == [good, cut.path, missing])

    let ok = objects[0]
    #expect(ok["status"] as? String == "ok")
    #expect(ok["checksum"] as? String == "ok")
    #expect(ok["version"] as? String == String(decoding: data.prefix(9), as: UTF8.self))
    #expect(ok["keys"] as? Int == (try ExpectedKey.all(Self.fixture)).count)
    #expect(ok["reason"] is NSNull && ok["offset"] is NSNull)
    // The fixture's compressed strings and packed values, left to its CRC-64.
    #expect((ok["left_to_checksum"] as? Int ?? 0) > 0)
    #expect(objects[1]["left_to_checksum"] is NSNull)
    #expect((ok["warnings"] as? [Any])?.isEmpty == true)

    let corrupt = objects[1]
    #expect(corrupt["status"] as? String == "corrupt")
    let offset = try #require(corrupt["offset"] as? Int)
    #expect(offset <= cutLength)
    #expect((corrupt["reason"] as? String)?.isEmpty == false)
    // The text verdict names the same offset and key.
    let text = try RDBToolProcess.run(["verify", cut.path])
    #expect(
      text.stdout.contains("CORRUPT: \(corrupt["reason"] as? String ?? "?") at byte \(offset)"))
    if let key = corrupt["key"] as? String { #expect(text.stdout.contains("(key \"\(key)\")")) }

    let error = objects[2]
    #expect(error["status"] as? String == "error")
    #expect(error["offset"] is NSNull && error["keys"] is NSNull)
    #expect((error["reason"] as? String)?.isEmpty == false)
  }
}
