import Foundation
import Testing

@Suite struct MemoryCommandTests {
  private static let header =
    "database,type,key,size_in_bytes,encoding,num_elements,len_largest_element,expiry"

  /// The number of keys the server put in a fixture.
  private func keyCount(_ path: String) throws -> Int {
    let expected = path.replacingOccurrences(of: ".rdb", with: ".expected.json")
    let url = URL(fileURLWithPath: RDBToolProcess.fixture(expected))
    let document = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    return try #require(document["keys"] as? [[String: Any]]).count
  }

  /// Splits CSV text into records, honouring quoted fields that hold line breaks.
  private func records(_ text: String) -> [[String]] {
    var records: [[String]] = []
    var fields: [String] = []
    var field = ""
    var quoted = false
    var characters = Array(text.unicodeScalars)[...]
    while let scalar = characters.popFirst() {
      switch scalar {
      case "\"" where quoted && characters.first == "\"":
        field.unicodeScalars.append(scalar)
        characters.removeFirst()
      case "\"": quoted.toggle()
      case "," where !quoted:
        fields.append(field)
        field = ""
      case "\n" where !quoted:
        fields.append(field)
        records.append(fields)
        (fields, field) = ([], "")
      default: field.unicodeScalars.append(scalar)
      }
    }
    return records
  }

  @Test func csvHasTheHeaderAndOneRowPerKey() throws {
    let path = "redis-7.4.1/default.rdb"
    let result = try RDBToolProcess.run(["memory", RDBToolProcess.fixture(path)])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.hasPrefix(Self.header + "\n"))
    let rows = records(result.stdout)
    #expect(rows.count == 1 + (try keyCount(path)))
    for row in rows.dropFirst() {
      #expect(row.count == 8, "\(row)")
      #expect(Int(row[3]).map { $0 > 0 } == true, "\(row)")
    }
    #expect(rows.contains { $0[2] == "expire:year9999" && $0[7] == "9999-12-31T23:59:59.999Z" })
  }

  @Test func topKeepsTheLargestKeysInOrder() throws {
    let path = RDBToolProcess.fixture("valkey-8.0.1/default.rdb")
    let all = records(try RDBToolProcess.run(["memory", path]).stdout).dropFirst()
    let result = try RDBToolProcess.run(["memory", "--top", "5", "--format", "jsonl", path])
    #expect(result.status == 0, "\(result.stderr)")
    let sizes = try result.stdout.split(separator: "\n").map { line in
      let object = try #require(
        try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      return try #require(object["size_in_bytes"] as? Int)
    }
    let expected = all.compactMap { Int($0[3]) }.sorted(by: >).prefix(5)
    #expect(sizes == Array(expected))
  }

  @Test func outputFileIsWrittenAtomically() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let output = directory.appendingPathComponent("memory.csv")
    let result = try RDBToolProcess.run([
      "memory", "--model", "7.0", "--allocator", "system", "--list-compress-depth", "1",
      RDBToolProcess.fixture("redis-7.0.15/compact-off.rdb"), "-o", output.path,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.isEmpty)
    #expect(try String(contentsOf: output, encoding: .utf8).hasPrefix(Self.header))
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["memory.csv"])
  }

  @Test func badOptionsAreUsageErrors() throws {
    let path = RDBToolProcess.fixture("redis-7.4.1/default.rdb")
    #expect(try RDBToolProcess.run(["memory", "--model", "9.9", path]).status == 2)
    #expect(try RDBToolProcess.run(["memory", "--top", "0", path]).status == 2)
    #expect(try RDBToolProcess.run(["memory", "--allocator", "tcmalloc", path]).status == 2)
  }

  @Test func truncatedInputFails() throws {
    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let fixture = URL(fileURLWithPath: RDBToolProcess.fixture("redis-7.4.1/default.rdb"))
    let data = try Data(contentsOf: fixture)
    let cut = directory.appendingPathComponent("cut.rdb")
    try data.prefix(data.count / 2).write(to: cut)
    let result = try RDBToolProcess.run(["memory", cut.path])
    #expect(result.status == 1)
    #expect(result.stderr.contains("rdbtool: \(cut.path): "))
  }

  @Test func helpHasExamples() throws {
    let result = try RDBToolProcess.run(["memory", "--help"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("Examples:"))
  }
}
