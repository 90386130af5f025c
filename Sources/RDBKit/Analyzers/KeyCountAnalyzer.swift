/// Counts keys per database, per type and per encoding, with their expiry state.
///
/// "Expired" means the key's expiry is before the file's `ctime` (the snapshot time): the
/// server that wrote the file still had it, one that loads the file drops it.
public struct KeyCountAnalyzer: RDBHandler, Sendable {
  /// Counts for one database.
  public struct Counts: Sendable, Codable, Equatable {
    /// Keys.
    public var keys = 0
    /// Keys with an expiry.
    public var withExpiry = 0
    /// Keys whose expiry had passed when the file was written.
    public var expired = 0
    /// Keys per `TYPE` name.
    public var types: [String: Int] = [:]
    /// Keys per `OBJECT ENCODING` name.
    public var encodings: [String: Int] = [:]

    mutating func merge(_ other: Counts) {
      keys += other.keys
      withExpiry += other.withExpiry
      expired += other.expired
      types.merge(other.types, uniquingKeysWith: +)
      encodings.merge(other.encodings, uniquingKeysWith: +)
    }
  }

  /// Counts per database number.
  public private(set) var databases: [Int: Counts] = [:]
  /// The snapshot time (`ctime`) in Unix ms, when the file has it.
  public private(set) var snapshotTime: Int64?
  private var current: KeyInfo?

  /// Creates an empty analyzer.
  public init() {}

  /// The counts of all databases together.
  public var total: Counts {
    var total = Counts()
    for counts in databases.values { total.merge(counts) }
    return total
  }

  /// Adds another file's counts (another shard of the same export).
  public mutating func merge(_ other: KeyCountAnalyzer) {
    databases.merge(other.databases) { mine, theirs in
      var merged = mine
      merged.merge(theirs)
      return merged
    }
  }

  public mutating func aux(key: RawSpan, value: RawSpan) throws(RDBError) {
    if let time = AuxField.snapshotTime(key: key, value: value) { snapshotTime = time }
  }

  public mutating func beginKey(_ key: RawSpan, info: KeyInfo) throws(RDBError) -> KeyDecision {
    current = info
    return .decode
  }

  public mutating func endKey(_ summary: KeySummary) throws(RDBError) {
    guard let info = current else { return }
    var counts = databases[info.database, default: Counts()]
    counts.keys += 1
    counts.types[info.dataType.rawValue, default: 0] += 1
    counts.encodings[summary.encoding.rawValue, default: 0] += 1
    if let expiresAt = info.expiresAt {
      counts.withExpiry += 1
      if let snapshotTime, expiresAt < snapshotTime { counts.expired += 1 }
    }
    databases[info.database] = counts
    current = nil
  }
}
