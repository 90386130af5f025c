/// Aggregates per-key memory reports into the figures of `rdbtool stats`: keys and memory per
/// database, type and encoding; the TTL distribution; element-count and size histograms;
/// the biggest keys of each type; and memory by key prefix.
///
/// Shards of one export are analysed separately and combined with ``merge(_:)``.
public struct StatsAnalyzer: KeyMemoryConsumer, Sendable {
  /// A count of keys and their estimated memory.
  public struct Tally: Sendable, Equatable, Codable {
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
    case underAMonth = "under_30d"
    case underAYear = "under_1y"
    case longer

    /// The position in ``allCases``.
    var index: Int {
      switch self {
      case .none: 0
      case .expired: 1
      case .underAnHour: 2
      case .underADay: 3
      case .underAWeek: 4
      case .underAMonth: 5
      case .underAYear: 6
      case .longer: 7
      }
    }
  }

  /// Every key.
  public private(set) var total = Tally()
  // Counted into arrays (by database number, type, encoding and TTL class) so a key costs a
  // few additions and no hashing; the dictionaries below are built when asked for.
  /// Databases 0 to 15 (a server's default count), stored inline: counting a key checks no
  /// array buffer for uniqueness.
  private var nearDatabaseTallies = InlineArray<16, Tally>(repeating: Tally())
  /// Databases from 16 up to ``arrayDatabases``, grown when one is met.
  private var databaseTallies: [Tally] = []
  /// Databases numbered from ``arrayDatabases`` on (a file may name any 32-bit number): a
  /// dictionary, so that a hostile number allocates nothing.
  private var distantDatabaseTallies: [Int: Tally] = [:]
  /// Database numbers counted in ``databaseTallies``; servers default to 16.
  private static let arrayDatabases = 256
  // Fixed-size and stored inline, so counting a key checks no array buffer for uniqueness:
  // one slot per DataType, Encoding and TTLClass case (DataTypeIndex, EncodingIndex, index).
  private var typeTallies = InlineArray<7, Tally>(repeating: Tally())
  /// Vector sets, which are module values, counted apart from other modules' values.
  private var vectorSetTally = Tally()
  private var encodingTallies = InlineArray<13, Tally>(repeating: Tally())
  private var ttlTallies = InlineArray<8, Tally>(repeating: Tally())
  private var biggestByType: [TopKeys]
  // The histograms, stored inline so that counting a key checks no array for uniqueness.
  private var elementCounts = InlineArray<64, Int>(repeating: 0)
  private var stringLengthCounts = InlineArray<64, Int>(repeating: 0)
  private var sizeCounts = InlineArray<64, Int>(repeating: 0)
  /// Keys other than strings by element count: index `i` counts keys of 2^(i−1) … 2^i − 1
  /// elements (index 0: none).
  public var elementHistogram: [Int] { Self.array(elementCounts) }
  /// Strings by length in bytes, bucketed as ``elementHistogram`` (a string has a length, not
  /// elements).
  public var stringLengthHistogram: [Int] { Self.array(stringLengthCounts) }
  /// Keys by estimated size: index `i` counts keys of 2^(i−1) … 2^i − 1 bytes.
  public var sizeHistogram: [Int] { Self.array(sizeCounts) }
  /// Memory per key prefix.
  public internal(set) var prefixes: PrefixReport
  /// Memory per prefix at every depth, by TTL class.
  public internal(set) var tree: PrefixTree
  /// Whether the flat report's prefixes are the tree's first-level nodes, so that a key's
  /// first segment is looked up once for both (``FirstSegments``).
  let sharesFirstSegment: Bool
  var firstSegments = FirstSegments()
  /// The biggest keys of any type.
  public private(set) var biggestOverall: TopKeys
  /// What makes a key big.
  public let bigKeyThresholds: BigKeyThresholds
  /// Keys over ``bigKeyThresholds``.
  public private(set) var bigKeyTally = Tally()
  /// The biggest of the keys over ``bigKeyThresholds``.
  public private(set) var bigKeys: TopKeys
  /// Keys and memory per cluster hash slot (index: the slot).
  public private(set) var slots = [Tally](repeating: Tally(), count: HashSlot.count)
  /// The CRC tables of ``HashSlot``, kept so that a key's slot costs no lazy-static check.
  private let slotTables = HashSlot.tables
  private let topCount: Int
  /// When the file was written (its `ctime`, Unix ms), if it says.
  public private(set) var snapshot: Int64?

  /// Keeps the `topCount` biggest keys per type and the `overallCount` biggest of all, groups
  /// prefixes as `prefixes` and `tree` say, and lists keys over `bigKeys`.
  public init(
    topCount: Int = 10, prefixes: PrefixReport = PrefixReport(), tree: PrefixTree = PrefixTree(),
    overallCount: Int = 100, bigKeys: BigKeyThresholds = BigKeyThresholds()
  ) {
    self.topCount = topCount
    self.prefixes = prefixes
    self.tree = tree
    sharesFirstSegment = prefixes.depth == 1 && prefixes.separator == tree.separator
    biggestByType = DataType.allCases.map { _ in TopKeys(limit: topCount) }
    biggestOverall = TopKeys(limit: overallCount)
    bigKeyThresholds = bigKeys
    self.bigKeys = TopKeys(limit: BigKeyThresholds.listed)
  }

  /// Per database number.
  public var databases: [Int: Tally] {
    var result: [Int: Tally] = [:]
    for database in nearDatabaseTallies.indices where nearDatabaseTallies[database].keys > 0 {
      result[database] = nearDatabaseTallies[database]
    }
    for (database, tally) in databaseTallies.enumerated() where tally.keys > 0 {
      result[database] = tally
    }
    return result.merging(distantDatabaseTallies) { array, _ in array }
  }

  /// Per `TYPE` name (`vectorset` for vector sets, `module` for other modules' values).
  public var types: [String: Tally] {
    var result: [String: Tally] = [:]
    for type in DataType.allCases where typeTallies[DataTypeIndex.of(type)].keys > 0 {
      result[type.rawValue] = typeTallies[DataTypeIndex.of(type)]
    }
    if vectorSetTally.keys > 0 { result["vectorset"] = vectorSetTally }
    return result
  }

  /// Per `OBJECT ENCODING` name.
  public var encodings: [Encoding: Tally] {
    var result: [Encoding: Tally] = [:]
    for encoding in Encoding.allCases where encodingTallies[EncodingIndex.of(encoding)].keys > 0 {
      result[encoding] = encodingTallies[EncodingIndex.of(encoding)]
    }
    return result
  }

  /// Per TTL class.
  public var ttls: [TTLClass: Tally] {
    var result: [TTLClass: Tally] = [:]
    for (index, ttl) in TTLClass.allCases.enumerated() where ttlTallies[index].keys > 0 {
      result[ttl] = ttlTallies[index]
    }
    return result
  }

  /// The biggest keys of each type.
  public var biggest: [DataType: TopKeys] {
    var result: [DataType: TopKeys] = [:]
    for type in DataType.allCases
    where !biggestByType[DataTypeIndex.of(type)].largestFirst().isEmpty {
      result[type] = biggestByType[DataTypeIndex.of(type)]
    }
    return result
  }

  public mutating func snapshotTime(_ time: Int64) { snapshot = time }

  /// The figures need element counts, never element lengths: packed values are counted from
  /// their headers.
  public static var needsLargestElementLength: Bool { false }

  public mutating func consume(_ report: KeyMemoryReport) throws(RDBError) {
    let size = report.sizeInBytes
    // The slot's tally is read first and written last: the table (256 KiB) is mostly out of
    // the cache, and the read then overlaps the work below instead of stalling the end.
    let slot = unsafe report.withKeyBytes { unsafe HashSlot.slot(ofBytes: $0, tables: slotTables) }
    var slotTally = slots[slot]
    total.add(size)
    if report.database < nearDatabaseTallies.count {
      nearDatabaseTallies[report.database].add(size)
    } else if report.database < databaseTallies.count {
      databaseTallies[report.database].add(size)
    } else if report.database < Self.arrayDatabases {
      databaseTallies += Array(
        repeating: Tally(), count: report.database + 1 - databaseTallies.count)
      databaseTallies[report.database].add(size)
    } else {
      distantDatabaseTallies[report.database, default: Tally()].add(size)
    }
    if report.isVectorSet {
      vectorSetTally.add(size)
    } else {
      typeTallies[DataTypeIndex.of(report.type)].add(size)
    }
    encodingTallies[EncodingIndex.of(report.encoding)].add(size)
    let ttl = Self.ttlClass(report.expiresAt, snapshot: snapshot)
    ttlTallies[ttl.index].add(size)
    if report.type == .string {
      stringLengthCounts[Self.bitWidth(report.elementCount)] += 1
    } else {
      elementCounts[Self.bitWidth(report.elementCount)] += 1
    }
    sizeCounts[Self.bitWidth(size)] += 1
    let typeIndex = DataTypeIndex.of(report.type)
    // Asked first: most keys are too small to be kept, and asking writes nothing.
    if biggestByType[typeIndex].wouldKeep(report) { biggestByType[typeIndex].insert(report) }
    unsafe report.withKeyBytes { unsafe countPrefixes(of: $0, bytes: size, ttl: ttl) }
    biggestOverall.insert(report)
    if bigKeyThresholds.isBig(report) {
      bigKeyTally.add(size)
      bigKeys.insert(report)
    }
    slotTally.add(size)
    slots[slot] = slotTally
  }

  /// Adds another shard's figures.
  public mutating func merge(_ other: StatsAnalyzer) {
    total.add(other.total)
    for index in nearDatabaseTallies.indices {
      nearDatabaseTallies[index].add(other.nearDatabaseTallies[index])
    }
    if other.databaseTallies.count > databaseTallies.count {
      databaseTallies += Array(
        repeating: Tally(), count: other.databaseTallies.count - databaseTallies.count)
    }
    for (index, tally) in other.databaseTallies.enumerated() { databaseTallies[index].add(tally) }
    for (database, tally) in other.distantDatabaseTallies {
      distantDatabaseTallies[database, default: Tally()].add(tally)
    }
    for index in typeTallies.indices { typeTallies[index].add(other.typeTallies[index]) }
    vectorSetTally.add(other.vectorSetTally)
    for index in encodingTallies.indices {
      encodingTallies[index].add(other.encodingTallies[index])
    }
    for index in ttlTallies.indices { ttlTallies[index].add(other.ttlTallies[index]) }
    for index in 0..<64 {
      elementCounts[index] += other.elementCounts[index]
      stringLengthCounts[index] += other.stringLengthCounts[index]
      sizeCounts[index] += other.sizeCounts[index]
    }
    for index in biggestByType.indices { biggestByType[index].merge(other.biggestByType[index]) }
    prefixes.merge(other.prefixes)
    tree.merge(other.tree)
    biggestOverall.merge(other.biggestOverall)
    bigKeyTally.add(other.bigKeyTally)
    bigKeys.merge(other.bigKeys)
    for index in slots.indices { slots[index].add(other.slots[index]) }
  }

  /// The TTL class of a key expiring at `expiresAt` in a file written at `snapshot`. Static, so
  /// that the mutating ``consume(_:)`` does not copy the whole analyzer (800 bytes) to call it.
  @inline(__always)
  static func ttlClass(_ expiresAt: Int64?, snapshot: Int64?) -> TTLClass {
    guard let expiresAt else { return .none }
    let left = expiresAt - (snapshot ?? 0)
    if snapshot != nil, left < 0 { return .expired }
    if snapshot == nil { return .longer }
    let hour: Int64 = 3_600_000
    let day = 24 * hour
    return left < hour
      ? .underAnHour
      : left < day
        ? .underADay
        : left < 7 * day
          ? .underAWeek : left < 30 * day ? .underAMonth : left < 365 * day ? .underAYear : .longer
  }

  private static func array(_ counts: InlineArray<64, Int>) -> [Int] {
    counts.indices.map { counts[$0] }
  }

  /// 0 for 0, 1 for 1, 2 for 2–3, 3 for 4–7 …
  static func bitWidth(_ value: Int) -> Int {
    value <= 0 ? 0 : Int.bitWidth - value.leadingZeroBitCount
  }
}
