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

  /// One histogram bucket: keys whose figure is in `min...max`.
  struct Bucket: Encodable {
    var min: Int
    var max: Int
    var count: Int

    /// The non-empty buckets of power-of-two `counts` (index `i`: 2^(i−1) … 2^i − 1), in
    /// ascending order.
    static func list(_ counts: [Int]) -> [Bucket] {
      counts.enumerated().filter { $0.element > 0 }.map { index, count in
        index == 0
          ? Bucket(min: 0, max: 0, count: count)
          : Bucket(
            min: 1 << (index - 1), max: index < 63 ? (1 << index) - 1 : Int.max, count: count)
      }
    }
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
    var elementHistogram: [Bucket]
    var stringLengthHistogram: [Bucket]
    var sizeHistogram: [Bucket]
    var biggest: [String: [Key]]
    var prefixes: [Prefix]

    enum CodingKeys: String, CodingKey {
      case total, databases, types, encodings, ttl, biggest, prefixes
      case elementHistogram = "element_histogram"
      case stringLengthHistogram = "string_length_histogram"
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
        uniqueKeysWithValues: stats.types.map { ($0.key, tally($0.value)) })
      encodings = Dictionary(
        uniqueKeysWithValues: stats.encodings.map { ($0.key.rawValue, tally($0.value)) })
      ttl = Dictionary(uniqueKeysWithValues: stats.ttls.map { ($0.key.rawValue, tally($0.value)) })
      elementHistogram = Bucket.list(stats.elementHistogram)
      stringLengthHistogram = Bucket.list(stats.stringLengthHistogram)
      sizeHistogram = Bucket.list(stats.sizeHistogram)
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
    var memoryModel: String

    enum CodingKeys: String, CodingKey {
      case name, keys, bytes
      case fileBytes = "file_bytes"
      case memoryModel = "memory_model"
    }
  }

  /// The allocator assumed and the line the text report prints.
  struct Model: Encodable {
    var allocator: String
    var note: String
  }

  var files: [File]
  var total: Part
  var memoryModel: Model

  enum CodingKeys: String, CodingKey {
    case files, total
    case memoryModel = "memory_model"
  }

  init(_ report: StatsReport) {
    files = report.shards.map {
      File(
        name: $0.name, fileBytes: $0.bytes, keys: $0.stats.total.keys, bytes: $0.stats.total.bytes,
        memoryModel: MemoryModelNote.name($0.model.version))
    }
    total = Part(report.total, prefixLimit: report.prefixLimit)
    memoryModel = Model(
      allocator: report.shards.first?.model.allocator.rawValue ?? "", note: report.modelNote)
  }
}
