/// Counts keys per database, per type and per encoding, with their expiry state.
///
/// "Expired" means the key's expiry is before the file's `ctime` (the snapshot time): the
/// server that wrote the file still had it, one that loads the file drops it. Counting costs
/// a few array increments per key: no hashing, no allocation.
public struct KeyCountAnalyzer: RDBHandler, Sendable {
  /// Counts for one database (or several, merged).
  public struct Counts: Sendable, Equatable, Encodable {
    /// Keys.
    public var keys = 0
    /// Keys with an expiry.
    public var withExpiry = 0
    /// Keys whose expiry had passed when the file was written.
    public var expired = 0
    /// Per ``DataTypeIndex`` and ``EncodingIndex``: fixed storage, no uniqueness checks.
    @usableFromInline var typeCounts = InlineArray<7, Int>(repeating: 0)
    @usableFromInline var encodingCounts = InlineArray<13, Int>(repeating: 0)

    /// No keys.
    public init() {
      assert(DataType.allCases.count == 7 && Encoding.allCases.count == 13, "resize the counts")
    }

    /// Keys per `TYPE` name (types with no key left out).
    public var types: [String: Int] {
      var result: [String: Int] = [:]
      for type in DataType.allCases where typeCounts[DataTypeIndex.of(type)] > 0 {
        result[type.rawValue] = typeCounts[DataTypeIndex.of(type)]
      }
      return result
    }

    /// Keys per `OBJECT ENCODING` name (encodings with no key left out).
    public var encodings: [String: Int] {
      var result: [String: Int] = [:]
      for encoding in Encoding.allCases where encodingCounts[EncodingIndex.of(encoding)] > 0 {
        result[encoding.rawValue] = encodingCounts[EncodingIndex.of(encoding)]
      }
      return result
    }

    @inlinable
    mutating func count(type: DataType, encoding: Encoding) {
      keys &+= 1
      typeCounts[DataTypeIndex.of(type)] &+= 1
      encodingCounts[EncodingIndex.of(encoding)] &+= 1
    }

    /// Adds another file's or database's counts.
    public mutating func merge(_ other: Counts) {
      keys += other.keys
      withExpiry += other.withExpiry
      expired += other.expired
      for index in typeCounts.indices { typeCounts[index] += other.typeCounts[index] }
      for index in encodingCounts.indices { encodingCounts[index] += other.encodingCounts[index] }
    }

    public static func == (lhs: Counts, rhs: Counts) -> Bool {
      guard lhs.keys == rhs.keys, lhs.withExpiry == rhs.withExpiry, lhs.expired == rhs.expired
      else { return false }
      for index in lhs.typeCounts.indices where lhs.typeCounts[index] != rhs.typeCounts[index] {
        return false
      }
      for index in lhs.encodingCounts.indices
      where lhs.encodingCounts[index] != rhs.encodingCounts[index] {
        return false
      }
      return true
    }

    private enum CodingKeys: String, CodingKey {
      case keys, withExpiry, expired, types, encodings
    }

    public func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(keys, forKey: .keys)
      try container.encode(withExpiry, forKey: .withExpiry)
      try container.encode(expired, forKey: .expired)
      try container.encode(types, forKey: .types)
      try container.encode(encodings, forKey: .encodings)
    }
  }

  /// The snapshot time (`ctime`) in Unix ms, when the file has it.
  public private(set) var snapshotTime: Int64?
  private var finished: [Int: Counts] = [:]
  // Inlinable, with the per-key methods that use them: verify specializes the parser in
  // rdbtool, which otherwise calls `beginKey` and `endKey` out of line for every key.
  @usableFromInline var currentDatabase = 0
  @usableFromInline var current = Counts()
  /// The key being read: what counting it needs from its ``KeyInfo``.
  @usableFromInline var pending: (database: Int, type: DataType, expiresAt: Int64?)?

  /// Creates an empty analyzer.
  public init() {}

  /// Counting needs a string's encoding, never its bytes.
  public static var needsStringValues: Bool { false }

  /// Counting needs a value's encoding, never its elements.
  public static var needsElements: Bool { false }

  /// Its results live in its own value, so a copy can start over.
  public static var restartsCleanly: Bool { true }

  /// Counts per database number.
  public var databases: [Int: Counts] {
    var all = finished
    if current.keys > 0 { all[currentDatabase, default: Counts()].merge(current) }
    return all
  }

  /// The counts of all databases together.
  public var total: Counts {
    var total = Counts()
    for counts in databases.values { total.merge(counts) }
    return total
  }

  /// Adds another file's counts (another shard of the same export).
  public mutating func merge(_ other: KeyCountAnalyzer) {
    switchDatabase(to: -1)
    for (database, counts) in other.databases {
      finished[database, default: Counts()].merge(counts)
    }
  }

  public mutating func aux(key: RawSpan, value: RawSpan) throws(RDBError) {
    if let time = AuxField.snapshotTime(key: key, value: value) { snapshotTime = time }
  }

  /// An empty aggregate (``KeyInfo/isEmptyAggregate``) is decoded, so its structure is
  /// checked, but not counted: a loading server skips it (``ParseSummary/emptyKeys`` counts
  /// them).
  @inlinable
  public mutating func beginKey(_ key: RawSpan, info: KeyInfo) throws(RDBError) -> KeyDecision {
    pending = info.isEmptyAggregate ? nil : (info.database, info.dataType, info.expiresAt)
    return .decode
  }

  @inlinable @inline(__always)
  public mutating func endKey(_ summary: KeySummary) throws(RDBError) {
    guard let info = pending else { return }
    if info.database != currentDatabase { switchDatabase(to: info.database) }
    current.count(type: info.type, encoding: summary.encoding)
    if let expiresAt = info.expiresAt {
      current.withExpiry &+= 1
      if let snapshotTime, expiresAt < snapshotTime { current.expired &+= 1 }
    }
    pending = nil
  }

  @usableFromInline mutating func switchDatabase(to database: Int) {
    if current.keys > 0 { finished[currentDatabase, default: Counts()].merge(current) }
    current = Counts()
    currentDatabase = database
  }
}

/// Array positions of data types and encodings, for counting without hashing.
@usableFromInline enum DataTypeIndex {
  @inlinable
  static func of(_ type: DataType) -> Int {
    switch type {
    case .string: 0
    case .list: 1
    case .set: 2
    case .hash: 3
    case .stream: 4
    case .module: 5
    case .sortedSet: 6
    }
  }
}

@usableFromInline enum EncodingIndex {
  @inlinable
  static func of(_ encoding: Encoding) -> Int {
    switch encoding {
    case .int: 0
    case .embstr: 1
    case .raw: 2
    case .linkedlist: 3
    case .ziplist: 4
    case .quicklist: 5
    case .listpack: 6
    case .listpackex: 7
    case .intset: 8
    case .hashtable: 9
    case .skiplist: 10
    case .zipmap: 11
    case .stream: 12
    }
  }
}
