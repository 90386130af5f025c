/// The per-version sizes and rules of ``MemoryModel`` (docs/memory-model.md, section 5).
extension MemoryModel {
  private var isRedis4Through6: Bool {
    switch version {
    case .redis40, .redis50, .redis60, .redis62: return true
    default: return false
    }
  }

  /// `sdsAllocSize` unrounded (4.0, 5.0) rather than `sdsZmallocSize` (a size class).
  var measuresStringsUnrounded: Bool { version == .redis40 || version == .redis50 }

  /// Whether an embstr counts as its allocation class (7.0+) or as `len + 18`.
  var embstrIsRounded: Bool { !isRedis4Through6 }

  /// Whether ziplists, intsets and listpacks count unrounded (up to 6.2, and 8.6) or as a size
  /// class.
  var packedBlobsAreRounded: Bool { !isRedis4Through6 && version != .redis86 }

  /// Whether the key lives in the value's object instead of a dict entry and an sds (Redis
  /// 8.6, Valkey 9), so a key costs ``keyedObjectSize(keyLength:slots:embedded:)``.
  var embedsKeyInObject: Bool { version == .redis86 || version == .valkey90 }

  /// Whether small lists are plain listpacks rather than quicklists (7.2+, Valkey).
  var hasListpackLists: Bool { embstrIsRounded && version != .redis70 }

  /// `sizeof(dict)`: 96 up to 6.2, 56 from 7.0.
  var dictSize: Int { isRedis4Through6 ? 96 : 56 }

  /// `sizeof(quicklist)` as measured: 40, 48 on Redis 8.6.
  var quicklistSize: Int { version == .redis86 ? 48 : 40 }

  /// The header a `listpackex` hash allocates besides its listpack, as measured: 32, 24 on
  /// Redis 8.6.
  var listpackExSize: Int { version == .redis86 ? 24 : 32 }

  /// What that header counts: its size class, but on Redis 8.6 the 24 bytes it tracks (an
  /// 8-byte quantum gives both; Debian's jemalloc would round it to 32).
  var listpackExCost: Int {
    version == .redis86 ? listpackExSize : allocationSize(listpackExSize)
  }

  /// What Redis 8.6 counts for a module value beyond the keyed object and the module's own
  /// figure, as measured on its vector sets: 16.
  var moduleValueExtra: Int { version == .redis86 ? 16 : 0 }

  /// `sizeof(quicklistNode)`: 32 up to 6.2, 40 from 7.0.
  var quicklistNodeSize: Int { isRedis4Through6 ? 32 : 40 }

  /// Whether hash fields in a hash table are `mstr`s (7.4+), not sds strings.
  var hashFieldsAreMstr: Bool { version == .redis74 || version == .redis86 }

  /// The fixed part of a skiplist sorted set, without its dict buckets.
  var skiplistFixedCost: Int {
    switch version {
    case .redis40: return 16 + 16
    case .redis50: return 16 + 16 + 32 + dictSize + allocationSize(24 + 16 * 64)
    default: return 16 + 16 + 32 + dictSize + allocationSize(24 + 16 * 32)
    }
  }

  /// The expected size of a skiplist node: levels are random, P(level ≥ k) = 4^-(k-1).
  var expectedSkiplistNodeCost: Double {
    let maxLevel = version == .redis50 ? 64 : 32
    var expectation = 0.0
    var probability = 0.75
    for level in 1...maxLevel {
      let weight = level == maxLevel ? probability / 0.75 : probability
      expectation += weight * Double(allocationSize(24 + 16 * level))
      probability *= 0.25
    }
    return expectation
  }

  /// `sizeof(stream)`: not counted in 5.0 and 6.0, 40 in 6.2, 80 from 7.0; Redis 8.6 counts
  /// the allocation of its 160-byte struct.
  var streamSize: Int {
    switch version {
    case .redis40, .redis50, .redis60: return 0
    case .redis62: return 40
    case .redis86: return allocationSize(160)
    default: return 80
    }
  }

  /// Whether stream listpacks count as their size class (6.2+) or as `lpBytes` (and Redis
  /// 8.6, which adds up `lpBytes` as it tracks a stream's allocations, with no pre-allocation).
  var streamListpacksAreRounded: Bool {
    switch version {
    case .redis40, .redis50, .redis60, .redis86: return false
    default: return true
    }
  }

  /// Whether stream radix trees count their real allocations (Valkey 9's `raxAllocSize`,
  /// Redis 8.6's tracked sizes) rather than a flat figure per node.
  var countsRaxAllocations: Bool {
    version == .valkey81 || version == .valkey90 || version == .redis86
  }

  /// `sizeof(streamCG)`: 32 up to 6.2, 40 from 7.0; Redis 8.6 counts its 56-byte allocation.
  var consumerGroupSize: Int {
    version == .redis86 ? allocationSize(56) : isRedis4Through6 ? 32 : 40
  }

  /// `sizeof(streamNACK)`: 24; Redis 8.6 counts its 64-byte allocation (links to the
  /// group index and the delivery-time list).
  var nackSize: Int { version == .redis86 ? allocationSize(64) : 24 }

  /// Whether the server counts a stream's group and consumer trees by name, its index from
  /// pending IDs to groups, consumer names as allocated and IDMP producers (Redis 8.6).
  var countsStreamGroupTrees: Bool { version == .redis86 }

  /// `sizeof(streamConsumer)`: 24 up to 7.0, 32 from 7.2 and in Valkey.
  var consumerSize: Int { isRedis4Through6 || version == .redis70 ? 24 : 32 }

  /// The size a packed blob (ziplist, listpack, intset) of `bytes` is counted as.
  func packedCost(_ bytes: Int) -> Int { packedBlobsAreRounded ? allocationSize(bytes) : bytes }

  /// The cost of a hash-table hash field of `length` bytes, with or without a field TTL.
  @inline(__always)
  func hashFieldCost(_ length: Int, hasTTL: Bool) -> Int {
    guard hashFieldsAreMstr else { return stringCost(length) }
    let header = length < 32 ? 1 : length < 65536 ? 3 : 9
    return allocationSize((hasTTL ? 18 : 0) + header + length + 1)
  }
}
