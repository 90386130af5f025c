/// Aggregates per-key memory reports into the figures of `rdbtool stats`: keys and memory per
/// database, type and encoding; the TTL distribution; element-count and size histograms;
/// the biggest keys of each type; and memory by key prefix.
///
/// Shards of one export are analysed separately and combined with ``merge(_:)``.
public struct StatsAnalyzer: KeyMemoryConsumer, Sendable {
  /// A count of keys and their estimated memory.
  public struct Tally: Sendable, Equatable, Encodable {
    /// Keys.
    public var keys = 0
    /// Estimated bytes (`MEMORY USAGE`).
    public var bytes = 0

    mutating func add(_ bytes: Int) {
      keys += 1
      self.bytes += bytes
    }

    mutating func add(_ other: Tally) {
      keys += other.keys
      bytes += other.bytes
    }
  }

  /// When a key expires, relative to the moment the file was written.
  public enum TTLClass: String, Sendable, CaseIterable, Encodable {
    case none
    case expired
    case underAnHour = "under_1h"
    case underADay = "under_1d"
    case underAWeek = "under_7d"
    case longer
  }

  /// Every key.
  public private(set) var total = Tally()
  /// Per database number.
  public private(set) var databases: [Int: Tally] = [:]
  /// Per `TYPE` name.
  public private(set) var types: [DataType: Tally] = [:]
  /// Per `OBJECT ENCODING` name.
  public private(set) var encodings: [Encoding: Tally] = [:]
  /// Per TTL class.
  public private(set) var ttls: [TTLClass: Tally] = [:]
  /// Keys by element count: index `i` counts keys with up to 2^i − 1 elements (0, 1, 2–3 …).
  public private(set) var elementHistogram = [Int](repeating: 0, count: 64)
  /// Keys by estimated size: index `i` counts keys of 2^(i−1) … 2^i − 1 bytes.
  public private(set) var sizeHistogram = [Int](repeating: 0, count: 64)
  /// The biggest keys of each type.
  public private(set) var biggest: [DataType: TopKeys] = [:]
  /// Memory per key prefix.
  public private(set) var prefixes: PrefixReport
  private let topCount: Int
  private var snapshot: Int64?

  /// Keeps the `topCount` biggest keys per type and groups prefixes as `prefixes` says.
  public init(topCount: Int = 10, prefixes: PrefixReport = PrefixReport()) {
    self.topCount = topCount
    self.prefixes = prefixes
  }

  public mutating func snapshotTime(_ time: Int64) { snapshot = time }

  public mutating func consume(_ report: KeyMemoryReport) throws(RDBError) {
    let size = report.sizeInBytes
    total.add(size)
    databases[report.database, default: Tally()].add(size)
    types[report.type, default: Tally()].add(size)
    encodings[report.encoding, default: Tally()].add(size)
    ttls[ttlClass(report.expiresAt), default: Tally()].add(size)
    elementHistogram[Self.bitWidth(report.elementCount)] += 1
    sizeHistogram[Self.bitWidth(size)] += 1
    biggest[report.type, default: TopKeys(limit: topCount)].insert(report)
    prefixes.add(report.key, bytes: size)
  }

  /// Adds another shard's figures.
  public mutating func merge(_ other: StatsAnalyzer) {
    total.add(other.total)
    databases.merge(other.databases) {
      var sum = $0; sum.add($1); return sum
    }
    types.merge(other.types) {
      var sum = $0; sum.add($1); return sum
    }
    encodings.merge(other.encodings) {
      var sum = $0; sum.add($1); return sum
    }
    ttls.merge(other.ttls) {
      var sum = $0; sum.add($1); return sum
    }
    for index in 0..<64 {
      elementHistogram[index] += other.elementHistogram[index]
      sizeHistogram[index] += other.sizeHistogram[index]
    }
    biggest.merge(other.biggest) {
      var sum = $0; sum.merge($1); return sum
    }
    prefixes.merge(other.prefixes)
  }

  private func ttlClass(_ expiresAt: Int64?) -> TTLClass {
    guard let expiresAt else { return .none }
    let left = expiresAt - (snapshot ?? 0)
    if snapshot != nil, left < 0 { return .expired }
    if snapshot == nil { return .longer }
    let hour: Int64 = 3_600_000
    return left < hour
      ? .underAnHour : left < 24 * hour ? .underADay : left < 168 * hour ? .underAWeek : .longer
  }

  /// 0 for 0, 1 for 1, 2 for 2–3, 3 for 4–7 …
  static func bitWidth(_ value: Int) -> Int {
    value <= 0 ? 0 : Int.bitWidth - value.leadingZeroBitCount
  }
}
