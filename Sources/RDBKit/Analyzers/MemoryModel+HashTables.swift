/// The shape of a value's hash table (sets, hashes, sorted sets) on the server that built it
/// with commands (docs/memory-model.md, 3.4).
///
/// A table doubles when an insert finds it full, and then moves one non-empty bucket from the
/// old table per rehash step; value tables are never rehashed in the background, so a value
/// whose last inserts came soon after a doubling keeps both tables. The model replays the
/// growth from the element count with the defaults of the version: where the compact encoding
/// converts to a table (512 integers of a set, 512 hash fields, 128 sorted-set members, 128
/// short set members from 7.2), whether the conversion pre-sizes the table, and how many steps
/// one insert makes (SADD 1; HSET 2 up to 7.0, then 1; ZADD 2). From 7.2 a value of at most
/// 128 elements is taken to be created by one command, which sizes its table exactly.
extension MemoryModel {
  /// A hash table's buckets, split between the tables of a rehash in progress.
  struct TableShape: Equatable {
    /// Buckets of the newer (or only) table.
    var buckets: Int
    /// Buckets of the old table still being rehashed, 0 when none is.
    var oldBuckets = 0
    /// Old buckets that still hold entries (expected), when rehashing.
    var oldOccupied = 0.0
    /// Elements still in the old table (expected), when rehashing.
    var oldElements = 0.0

    /// Every bucket the server counts: `8 * (size0 + size1)`.
    var totalBuckets: Int { buckets + oldBuckets }
  }

  /// How a value's table came to be: built by commands from `count` elements.
  ///
  /// - Parameters:
  ///   - count: Elements in the table.
  ///   - type: The value's data type (set, hash or sorted set).
  ///   - allIntegers: For sets, whether every member is a canonical integer (an intset first).
  ///   - allShort: For sets, whether every member fits a listpack (at most 64 bytes).
  /// - Returns: The table's bucket count and rehash state.
  func builtTable(count: Int, type: DataType, allIntegers: Bool, allShort: Bool) -> TableShape {
    guard count > 4 else { return TableShape(buckets: 4) }
    if count <= 128, !hasNoListpackSets {
      // 7.2+ size a new table from the argument count of the command that creates it, and a
      // small value is usually created by one command: its table is exactly sized.
      return TableShape(buckets: Self.loadedBuckets(count))
    }
    let modern = dictSize == 56
    var converted = 0
    var presized = false
    var steps = 1
    switch type {
    case .set:
      if allIntegers, count > 512 {
        (converted, presized) = (513, true)
      } else if !allIntegers, allShort, count > 128, !hasNoListpackSets {
        (converted, presized) = (129, true)
      }
    case .hash:
      steps = modern && version != .redis70 ? 1 : 2
      if count > 512 { (converted, presized) = (513, modern) }
    default:
      // Redis 8.6's ZADD looks a member up once (`dictFindLink`), not twice.
      steps = version == .redis86 ? 1 : 2
      if count > 128 { (converted, presized) = (129, version != .redis70 && modern) }
    }
    var initial = 4
    if presized {
      while initial < converted { initial <<= 1 }
    }
    guard count > initial else { return TableShape(buckets: initial) }
    // The last doubling: at the insert that found `old` entries in `old` buckets.
    var old = initial
    while old * 2 < count { old <<= 1 }
    // Inserts after the doubling each step `steps` times; those of a conversion, once.
    let first = old + 2
    let convertingInserts = max(0, min(converted, count) - first + 1)
    let commandInserts = max(0, count - max(first, converted + 1) + 1)
    let stepsDone = Double(convertingInserts + steps * commandInserts)
    let size = Double(old)
    let occupied = size * (1 - power(1 - 1 / size, old))
    guard stepsDone < occupied else { return TableShape(buckets: old * 2) }
    let remaining = occupied - stepsDone
    return TableShape(
      buckets: old * 2, oldBuckets: old, oldOccupied: remaining,
      oldElements: remaining * size / occupied)
  }

  /// Before 7.2 a set of strings starts as a hash table (no listpack sets).
  private var hasNoListpackSets: Bool {
    switch version {
    case .redis40, .redis50, .redis60, .redis62, .redis70: return true
    default: return false
    }
  }

  /// Valkey 8.0: the expected bytes of set entries, 16 for each member that shares its
  /// bucket (a member alone in its bucket is stored as a bare pointer).
  func sharedSetEntryCost(count: Int, table: TableShape) -> Double {
    let inNewTable = Double(count) - table.oldElements
    let buckets = Double(table.buckets)
    let occupied = buckets * (1 - power(1 - 1 / buckets, Int(inNewTable.rounded())))
    return 16 * (Double(count) - occupied - table.oldOccupied)
  }

  /// `base` to a non-negative integer power, by squaring.
  func power(_ base: Double, _ exponent: Int) -> Double {
    var result = 1.0
    var factor = base
    var remaining = exponent
    while remaining > 0 {
      if remaining & 1 == 1 { result *= factor }
      factor *= factor
      remaining >>= 1
    }
    return result
  }
}

extension MemoryModel {
  /// The table of a hash that a loader began as a listpack (the file's hash table had few
  /// enough fields) and converted at its first field or value over the listpack limit, after
  /// `listpackFields` fields: the conversion sizes the table for those fields (7.0+; 4 buckets
  /// before), the loader then expands it for the fields still to come, and each later insert
  /// moves one bucket of a rehash in progress (`rdbLoadObject`, `hashTypeConvertListpack`).
  func convertedWhileLoading(count: Int, listpackFields: Int) -> TableShape {
    var table = TableShape(buckets: dictSize == 56 ? Self.loadedBuckets(listpackFields) : 4)
    var used = 0
    func occupied(_ buckets: Int, _ entries: Int) -> Double {
      Double(buckets) * (1 - power(1 - 1 / Double(buckets), entries))
    }
    func startRehash(to buckets: Int) {
      table.oldBuckets = table.buckets
      table.oldOccupied = occupied(table.buckets, used)
      table.buckets = buckets
    }
    // dictAdd: one rehash step, then the table grows if it is full and not rehashing.
    func add() {
      if table.oldBuckets > 0 {
        table.oldOccupied -= 1
        if table.oldOccupied <= 0 { table = TableShape(buckets: table.buckets) }
      }
      if table.oldBuckets == 0, used >= table.buckets {
        startRehash(to: Self.loadedBuckets(used + 1))
      }
      used += 1
    }
    for _ in 0..<min(listpackFields + 1, count) { add() }
    let remaining = count - used
    let expanded = Self.loadedBuckets(remaining)
    if remaining > 4, table.oldBuckets == 0, used <= remaining, expanded != table.buckets {
      startRehash(to: expanded)
    }
    for _ in 0..<remaining { add() }
    if table.oldBuckets > 0 {
      table.oldElements = table.oldOccupied * Double(used) / Double(table.buckets)
    }
    return table
  }
}

extension MemoryModel {
  /// What `MEMORY USAGE` counts of a hash stored as a hash table built by commands, without
  /// field TTLs: `count` fields whose entries cost `entryCosts` in all
  /// (``hashEntryCost(fieldLength:valueLength:hasTTL:)``) and whose longest field or value is
  /// `largest` bytes. ``MemoryEstimator`` prices a hash table the parser read so, and one its
  /// worker measured (``PackedBlobWorker``).
  func builtHashTableCost(count: Int, entryCosts: Int, largest: Int) -> Int {
    let buckets =
      usesOpenHashTables
      ? Int(
        openTable(count: count, type: .hash, allIntegers: true, loaded: asLoaded).cost.rounded())
      : 8
        * builtTable(count: count, type: .hash, allIntegers: true, allShort: largest <= 64)
        .totalBuckets
    return 16 + tableFixedCost(type: .hash) + buckets
      + Self.averagedSum(entryCosts, count: count)
  }
}
