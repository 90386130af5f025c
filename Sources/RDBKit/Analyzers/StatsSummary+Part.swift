extension StatsSummary {
  /// The figures of a set of keys: totals, tallies by database, type, encoding and TTL class,
  /// histograms, biggest keys, prefixes and the prefix tree.
  public struct Part: Codable, Sendable, Equatable {
    /// Every key.
    public var total: StatsAnalyzer.Tally
    /// Per database number (as text).
    public var databases: [String: StatsAnalyzer.Tally]
    /// Per `TYPE` name.
    public var types: [String: StatsAnalyzer.Tally]
    /// Per `OBJECT ENCODING` name.
    public var encodings: [String: StatsAnalyzer.Tally]
    /// Per ``StatsAnalyzer/TTLClass`` raw value.
    public var ttl: [String: StatsAnalyzer.Tally]
    /// Keys other than strings by element count.
    public var elementHistogram: [Bucket]
    /// Strings by length.
    public var stringLengthHistogram: [Bucket]
    /// Keys by estimated size.
    public var sizeHistogram: [Bucket]
    /// The biggest keys of each type, largest first.
    public var biggest: [String: [Key]]
    /// The biggest keys of all, largest first.
    public var topKeys: [Key]
    /// Keys over the big-key thresholds: how many, and the biggest of them.
    public var bigKeys: BigKeys
    /// Memory by flat prefix (`--depth`), most first.
    public var prefixes: [Prefix]
    /// Keys whose flat prefix was not kept (the prefix limit was reached).
    public var prefixOverflow: StatsAnalyzer.Tally
    /// The prefix tree.
    public var tree: PrefixTreeNode

    enum CodingKeys: String, CodingKey {
      case total, databases, types, encodings, ttl, biggest, prefixes, tree
      case elementHistogram = "element_histogram"
      case stringLengthHistogram = "string_length_histogram"
      case sizeHistogram = "size_histogram"
      case topKeys = "top_keys"
      case bigKeys = "big_keys"
      case prefixOverflow = "prefix_overflow"
    }
  }

  /// One key of a biggest-keys list.
  public struct Key: Codable, Sendable, Equatable {
    /// The database number.
    public var db: Int
    /// The key name as text (``KeyText``).
    public var key: String
    /// The `TYPE` name.
    public var type: String
    /// The `OBJECT ENCODING` name.
    public var encoding: String
    /// Estimated bytes.
    public var bytes: Int
    /// Elements, or a string's length.
    public var elements: Int
    /// Absolute expiry, Unix ms.
    public var expiresAt: Int64?
    /// The input file it came from.
    public var file: String

    enum CodingKeys: String, CodingKey {
      case db, key, type, encoding, bytes, elements, file
      case expiresAt = "expires_at"
    }

    /// The entry of `report`, found in `file`.
    public init(_ report: KeyMemoryReport, file: String) {
      db = report.database
      key = KeyText.text(report.key)
      type = report.typeName
      encoding = report.encoding.rawValue
      bytes = report.sizeInBytes
      elements = report.elementCount
      expiresAt = report.expiresAt
      self.file = file
    }
  }

  /// Keys over ``Settings/bigKeys``.
  public struct BigKeys: Codable, Sendable, Equatable {
    /// All of them.
    public var total: StatsAnalyzer.Tally
    /// The biggest of them (at most ``BigKeyThresholds/listed``), largest first.
    public var keys: [Key]
  }

  /// One histogram bucket: keys whose figure is in `min...max`.
  public struct Bucket: Codable, Sendable, Equatable {
    /// The smallest figure counted.
    public var min: Int
    /// The largest figure counted.
    public var max: Int
    /// Keys.
    public var count: Int

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

  /// Keys and memory under one flat prefix.
  public struct Prefix: Codable, Sendable, Equatable {
    /// The prefix as text.
    public var prefix: String
    /// Keys.
    public var keys: Int
    /// Estimated bytes.
    public var bytes: Int
  }
}
