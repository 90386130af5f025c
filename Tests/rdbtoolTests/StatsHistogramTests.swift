import Foundation
import Testing

/// `stats --json` histograms: numeric `{min, max, count}` buckets in ascending order; strings
/// counted by length (from the server's own values), other types by elements.
@Suite struct StatsHistogramTests {
  static let fixture = "redis-7.4.1/default.rdb"

  @Test func bucketsAreNumericOrderedAndMatchTheServer() throws {
    let result = try RDBToolProcess.run([
      "stats", "--json", RDBToolProcess.fixture(Self.fixture),
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let total = try #require(report["total"] as? [String: Any])
    func buckets(_ name: String) throws -> [(min: Int, max: Int, count: Int)] {
      let list = try #require(total[name] as? [[String: Int]], "\(name)")
      return try list.map {
        (try #require($0["min"]), try #require($0["max"]), try #require($0["count"]))
      }
    }
    let url = URL(
      fileURLWithPath: RDBToolProcess.fixture(
        Self.fixture.replacingOccurrences(of: ".rdb", with: ".expected.json")))
    let document = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    let keys = try #require(document["keys"] as? [[String: Any]])
    let lengths = keys.filter { $0["type"] as? String == "string" }.map {
      (($0["value"] as? String) ?? "").count / 2
    }
    for name in ["element_histogram", "string_length_histogram", "size_histogram"] {
      let list = try buckets(name)
      #expect(!list.isEmpty, "\(name)")
      #expect(list.allSatisfy { $0.min <= $0.max && $0.count > 0 }, "\(name)")
      #expect(zip(list, list.dropFirst()).allSatisfy { $0.max < $1.min }, "\(name)")
      #expect(
        list.reduce(0) { $0 + $1.count }
          == (name == "element_histogram"
            ? keys.count - lengths.count : name == "size_histogram" ? keys.count : lengths.count))
    }
    // Each string in the bucket its length (as the server returns the value) falls in.
    for bucket in try buckets("string_length_histogram") {
      #expect(
        lengths.filter { (bucket.min...bucket.max).contains($0) }.count == bucket.count,
        "\(bucket)")
    }
  }
}
