/// What a seed check keeps of each key of one input file: its database, its estimated memory
/// by the shard that would hold it, whether it is in the slots its file should own, and,
/// when asked, its name (to find keys that two files share).
///
/// It is the ``KeyMemoryConsumer`` at the end of ``SeedScan``'s ``MemoryEstimator``. Memory
/// is O(1) per key unless ``keepsKeyNames`` is set, which keeps every name.
public struct SeedTally: KeyMemoryConsumer, Sendable {
  /// How many example key names each list keeps.
  public static let exampleLimit = 5

  /// The shards the keys are tallied into (by hash slot); nil: all in one.
  public let ranges: SlotRanges?
  /// The shard of ``ranges`` whose slots every key of the file should be in, or nil.
  public let expectedShard: Int?
  /// Whether every key name is kept in ``keyNames``.
  public let keepsKeyNames: Bool

  /// Keys seen.
  public private(set) var keys = 0
  /// Estimated bytes (`MEMORY USAGE`) by shard of ``ranges``, or one total.
  public private(set) var shardBytes: [Int]
  /// Keys by database.
  public private(set) var keysByDatabase: [Int: Int] = [:]
  /// The first keys outside database 0, printable.
  public private(set) var otherDatabaseExamples: [String] = []
  /// Keys whose slot is not one of ``expectedShard``'s.
  public private(set) var misplacedKeys = 0
  /// The first such keys, printable, with their slot.
  public private(set) var misplacedExamples: [String] = []
  /// Every key name, when ``keepsKeyNames``.
  public private(set) var keyNames: Set<[UInt8]> = []

  /// A tally by the shards of `ranges` (nil: one), checking placement in `expectedShard`.
  public init(ranges: SlotRanges?, expectedShard: Int?, keepsKeyNames: Bool) {
    self.ranges = ranges
    self.expectedShard = expectedShard
    self.keepsKeyNames = keepsKeyNames
    shardBytes = [Int](repeating: 0, count: ranges?.count ?? 1)
  }

  public mutating func consume(_ report: KeyMemoryReport) throws(RDBError) {
    keys += 1
    keysByDatabase[report.database, default: 0] += 1
    if report.database != 0, otherDatabaseExamples.count < Self.exampleLimit {
      otherDatabaseExamples.append(Self.printable(report.key))
    }
    var shard = 0
    if let ranges {
      let slot = unsafe report.withKeyBytes { unsafe HashSlot.slot(ofBytes: $0) }
      shard = ranges.shard(ofSlot: slot)
      if let expectedShard, shard != expectedShard {
        misplacedKeys += 1
        if misplacedExamples.count < Self.exampleLimit {
          misplacedExamples.append("\(Self.printable(report.key)) (slot \(slot))")
        }
      }
    }
    shardBytes[shard] += report.sizeInBytes
    if keepsKeyNames { keyNames.insert(report.key) }
  }

  /// A key name for one line of text.
  static func printable(_ key: [UInt8]) -> String {
    "\"" + RDBError.printable(String(decoding: key, as: UTF8.self)) + "\""
  }
}
