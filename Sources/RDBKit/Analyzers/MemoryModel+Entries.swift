/// What one element of a hash-table set, hash or skiplist sorted set costs, per version
/// (docs/memory-model.md, sections 4.2–4.4 and 5).
///
/// Up to Redis 7.4 and Valkey 8.0 an element is a dict entry and its own strings. Redis 8.6
/// adds up the sizes it tracks as it allocates (`setTypeAllocSize`, `hashTypeAllocSize`,
/// `zsetAllocSize`): a hash field and its value share one allocation (`entry.c`), a sorted-set
/// member lives in its skiplist node, and strings count as `sdsAllocSize` (unrounded for
/// embedded strings and sdshdr5). Valkey 9 keeps no dict entries: its `hashtable` holds the
/// element pointers in 64-byte buckets (``MemoryModel/openTableCost(count:type:allIntegers:)``).
extension MemoryModel {
  /// Whether the version keeps sets, hashes and sorted sets in the open `hashtable` (Valkey 8.1
  /// and 9).
  var usesOpenHashTables: Bool { version == .valkey81 || version == .valkey90 }

  /// Whether the version embeds a hash field and its value in one allocation, and a sorted-set
  /// member in its skiplist node (Redis 8.6, Valkey 9; Valkey 8.1 only the hash field).
  var embedsElements: Bool { version == .redis86 || usesOpenHashTables }

  /// Redis 8.6's `sdsAllocSize` of a string made by `sdsnewlen`: an sdshdr5 string (1 to 31
  /// bytes) has no `alloc` field and counts `1 + len + 1`; the others count their usable size,
  /// capped by what their header's `alloc` field can hold.
  @inline(__always)
  func trackedStringCost(_ length: Int) -> Int {
    let header = Self.sdsHeader(length)
    guard header > 1 else { return 1 + length + 1 }
    let limit = header == 3 ? 255 : header == 5 ? 65535 : Int.max - 64
    return min(allocationSize(header + length + 1), header + limit + 1)
  }

  /// A hash-table set member: its sds, plus the dict entry where the version counts one.
  @inline(__always)
  func setMemberCost(_ length: Int) -> Int {
    switch version {
    case .redis86: return trackedStringCost(length) + 24
    case .valkey81, .valkey90: return stringCost(length)
    default: return stringCost(length)  // entries are added by the caller
    }
  }

  /// A hash-table hash field with its value (and its TTL when it has one), including the dict
  /// entry where the version has one.
  @inline(__always)
  func hashEntryCost(fieldLength: Int, valueLength: Int, hasTTL: Bool) -> Int {
    guard embedsElements else {
      return hashFieldCost(fieldLength, hasTTL: hasTTL) + stringCost(valueLength) + 24
    }
    // entry.c: the field is an sds (sdshdr8 at least when it carries a TTL or a value pointer),
    // after the TTL (an 8-byte time in Valkey, a 16-byte ExpireMeta in Redis); the value is
    // embedded as an sdshdr8 when the whole fits 128 bytes, else it is its own sds.
    let ttlBytes = hasTTL ? (usesOpenHashTables ? 8 : 16) : 0
    var fieldHeader = Self.sdsHeader(fieldLength)
    if fieldLength == 0 || (hasTTL && fieldHeader == 1) { fieldHeader = 3 }
    let embeddedValue = 3 + valueLength + 1
    if fieldHeader + fieldLength + 1 + ttlBytes + embeddedValue <= 128 {
      let bytes = fieldHeader + fieldLength + 1 + ttlBytes + embeddedValue
      // Valkey counts the allocation's usable size; Redis the two strings as written.
      return usesOpenHashTables ? allocationSize(bytes) : bytes + 24
    }
    fieldHeader = max(3, fieldHeader)
    let field = fieldHeader + fieldLength + 1 + ttlBytes + 8
    if usesOpenHashTables { return allocationSize(field) + stringCost(valueLength) }
    return field + trackedStringCost(valueLength) + 24
  }

  /// The expected cost of a skiplist member of `length` bytes: its node (whose level is random)
  /// and, before Redis 8.6 and Valkey 9, its separate sds and dict entry.
  ///
  /// `nodeCost` is ``expectedSkiplistNodeCost``, which a caller pricing many members computes
  /// once (it is a sum over 32 levels).
  func skiplistMemberCost(_ length: Int, nodeCost: Double) -> Double {
    guard embedsElements else {
      return Double(stringCost(length) + 24) + nodeCost
    }
    if version == .valkey81 {
      // The member is its own sds beside the node (measured: Valkey 9 plus the sds).
      return Double(stringCost(length)) + nodeCost
    }
    // The node: score, backward pointer, 16 bytes per level, then the member as an sds
    // (sdshdr5 below 32 bytes, even when empty); Valkey adds a byte for the header size.
    let header = length < 32 ? 1 : Self.sdsHeader(length)
    let fixed = 16 + header + length + 1 + (usesOpenHashTables ? 1 : 0)
    var expectation = 0.0
    var probability = 0.75
    for level in 1...12 {
      expectation +=
        (level == 12 ? probability / 0.75 : probability)
        * Double(allocationSize(fixed + 16 * level))
      probability *= 0.25
    }
    return version == .redis86 ? expectation + 24 : expectation
  }

  /// Valkey 9's index of a hash's fields with a TTL (`vset`), which `MEMORY USAGE` adds: nothing
  /// for one field, a vector of pointers after an 8-byte header for up to 127 (allocated for 2,
  /// then grown by `realloc`). Larger indexes are radix trees of time buckets, whose shape
  /// depends on the TTLs; they are counted as one vector per 127 fields.
  func volatileFieldsCost(_ fields: Int) -> Int {
    guard version == .valkey90, fields > 1 else { return 0 }
    if fields == 2 { return 8 + 16 }
    let full = (fields - 1) / 127
    let rest = fields - 127 * full
    return full * allocationSize(8 + 8 * 127) + allocationSize(8 + 8 * rest)
  }

  /// The fixed part of a hash-table set or hash: the dict, or Valkey 9's hashtable struct (with
  /// a hash's 8-byte metadata), without buckets.
  func tableFixedCost(type: DataType) -> Int {
    guard usesOpenHashTables else { return dictSize }
    if version == .valkey81 { return 72 }  // as measured on one-element sets and hashes
    return type == .hash ? 88 : 80
  }

  /// The fixed part of a skiplist sorted set, without its table's buckets.
  var sortedSetFixedCost: Int {
    switch version {
    case .redis86:
      // zset, the zskiplist and its 32-level header node, the dict.
      return 16 + 16 + allocationSize(40) + allocationSize(24 + 16 * 32) + dictSize
    case .valkey81:
      // zset, the zskiplist, its 32-level header node as allocated, the hashtable.
      return 16 + 16 + 32 + allocationSize(24 + 16 * 32) + 72
    case .valkey90:
      // zset, the zskiplist with its header's 32 levels (counted unrounded), the hashtable.
      return 16 + 16 + 32 + 31 * 16 + 80
    default:
      return skiplistFixedCost
    }
  }
}
