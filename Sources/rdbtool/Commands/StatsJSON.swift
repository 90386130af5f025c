import RDBKit

/// The JSON shape of `rdbtool stats --json`.
struct JSONReport: Encodable {
  struct Tally: Encodable {
    var keys: Int
    var bytes: Int
  }

  struct Key: Encodable {
    var db: Int
    var key: String
    var type: String
    var encoding: String
    var bytes: Int
    var elements: Int
  }

  struct Prefix: Encodable {
    var prefix: String
    var keys: Int
    var bytes: Int
  }

  struct Part: Encodable {
    var total: Tally
    var databases: [String: Tally]
    var types: [String: Tally]
    var encodings: [String: Tally]
    var ttl: [String: Tally]
    var elementHistogram: [String: Int]
    var sizeHistogram: [String: Int]
    var biggest: [String: [Key]]
    var prefixes: [Prefix]

    enum CodingKeys: String, CodingKey {
      case total, databases, types, encodings, ttl, biggest, prefixes
      case elementHistogram = "element_histogram"
      case sizeHistogram = "size_histogram"
    }

    init(_ stats: StatsAnalyzer, prefixLimit: Int) {
      func tally(_ value: StatsAnalyzer.Tally) -> Tally {
        Tally(keys: value.keys, bytes: value.bytes)
      }
      total = tally(stats.total)
      databases = Dictionary(
        uniqueKeysWithValues: stats.databases.map { (String($0.key), tally($0.value)) })
      types = Dictionary(
        uniqueKeysWithValues: stats.types.map { ($0.key.rawValue, tally($0.value)) })
      encodings = Dictionary(
        uniqueKeysWithValues: stats.encodings.map { ($0.key.rawValue, tally($0.value)) })
      ttl = Dictionary(uniqueKeysWithValues: stats.ttls.map { ($0.key.rawValue, tally($0.value)) })
      func buckets(_ counts: [Int]) -> [String: Int] {
        var result: [String: Int] = [:]
        for (index, count) in counts.enumerated() where count > 0 {
          result[index == 0 ? "0" : "\(1 << (index - 1))-\((1 << index) - 1)"] = count
        }
        return result
      }
      elementHistogram = buckets(stats.elementHistogram)
      sizeHistogram = buckets(stats.sizeHistogram)
      biggest = Dictionary(
        uniqueKeysWithValues: stats.biggest.map { type, keys in
          (
            type.rawValue,
            keys.largestFirst().map {
              Key(
                db: $0.database, key: StatsReport.name($0.key), type: $0.type.rawValue,
                encoding: $0.encoding.rawValue, bytes: $0.sizeInBytes, elements: $0.elementCount)
            }
          )
        })
      prefixes = stats.prefixes.byMemory().prefix(prefixLimit).map {
        Prefix(prefix: StatsReport.name($0.prefix), keys: $0.tally.keys, bytes: $0.tally.bytes)
      }
    }
  }

  struct File: Encodable {
    var name: String
    var fileBytes: Int
    var keys: Int
    var bytes: Int

    enum CodingKeys: String, CodingKey {
      case name, keys, bytes
      case fileBytes = "file_bytes"
    }
  }

  var files: [File]
  var total: Part

  init(_ report: StatsReport) {
    files = report.shards.map {
      File(
        name: $0.name, fileBytes: $0.bytes, keys: $0.stats.total.keys, bytes: $0.stats.total.bytes)
    }
    total = Part(report.total, prefixLimit: report.prefixLimit)
  }
}
