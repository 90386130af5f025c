/// Keys and memory grouped by key-name prefix: the part before the `depth`-th separator
/// (`user:42:cart` is `user` at depth 1, `user:42` at depth 2). A name with fewer separators
/// is its own group.
///
/// At most `limit` distinct prefixes are kept; keys whose prefix would be one more are counted
/// under ``overflow``, so a keyspace without structure cannot exhaust memory.
public struct PrefixReport: Sendable {
  /// The separator byte (default `:`).
  public let separator: UInt8
  /// How many separated parts make a prefix.
  public let depth: Int
  /// The most distinct prefixes kept.
  public let limit: Int
  /// The prefixes kept, one after another, and where each is.
  private var names: [UInt8] = []
  private var entries: [Entry] = []
  /// An open-addressed index of `entries`, at most half full: per slot, the entry's number
  /// plus one (0 for an empty slot) in the low 32 bits and its hash's high 32 bits above.
  private var slots: [UInt64] = Array(repeating: 0, count: 64)
  private let hasher = SeededHash()
  /// Keys whose prefix was not kept because the limit was reached.
  public private(set) var overflow = StatsAnalyzer.Tally()

  private struct Entry: Sendable {
    var start: Int
    var count: Int
    var tally: StatsAnalyzer.Tally
  }

  /// Groups by the part before the `depth`-th `separator`, keeping at most `limit` prefixes.
  public init(separator: UInt8 = UInt8(ascii: ":"), depth: Int = 1, limit: Int = 100_000) {
    self.separator = separator
    self.depth = max(1, depth)
    self.limit = min(max(0, limit), Int(Int32.max))
  }

  /// The prefix of `key`.
  public func prefix(of key: [UInt8]) -> ArraySlice<UInt8> {
    key[..<(unsafe key.withUnsafeBytes { unsafe prefixLength(of: $0) })]
  }

  /// The length of `key`'s prefix: up to its `depth`-th separator, or all of it.
  @unsafe private func prefixLength(of key: UnsafeRawBufferPointer) -> Int {
    var seen = 0
    var start = 0
    while let index = unsafe key.firstIndex(of: separator, from: start) {
      seen &+= 1
      if seen == depth { return index }
      start = index &+ 1
    }
    return key.count
  }

  /// The number of distinct prefixes kept.
  public var count: Int { entries.count }

  mutating func add(_ key: [UInt8], bytes: Int) {
    unsafe key.withUnsafeBytes { unsafe add(keyBytes: $0, bytes: bytes) }
  }

  /// Counts the key whose name is `key` (`stats` passes every key's bytes where they lie).
  @unsafe mutating func add(keyBytes key: UnsafeRawBufferPointer, bytes: Int) {
    unsafe add(
      UnsafeRawBufferPointer(start: key.baseAddress, count: prefixLength(of: key)),
      StatsAnalyzer.Tally(keys: 1, bytes: bytes))
  }

  mutating func merge(_ other: PrefixReport) {
    unsafe other.names.withUnsafeBytes { names in
      for entry in other.entries {
        unsafe add(
          UnsafeRawBufferPointer(rebasing: names[entry.start..<entry.start + entry.count]),
          entry.tally)
      }
    }
    overflow.add(other.overflow)
  }

  /// Counts a key of `bytes` estimated bytes whose prefix is `prefix` (not its whole name);
  /// returns the number of the entry that counted it, or −1 when ``overflow`` did.
  @unsafe mutating func add(prefix: UnsafeRawBufferPointer, bytes: Int) -> Int {
    unsafe add(prefix, StatsAnalyzer.Tally(keys: 1, bytes: bytes))
  }

  /// Counts a key of `bytes` estimated bytes in entry `number`, as returned by
  /// ``add(prefix:bytes:)`` for the same prefix (entries are never renumbered).
  @inline(__always)
  mutating func add(bytes: Int, toEntry number: Int) {
    entries[number].tally.add(bytes)
  }

  /// Adds `tally` to `prefix`'s entry, making one if the limit allows; returns the entry's
  /// number, or −1 when the key counted in ``overflow``.
  @discardableResult
  @unsafe private mutating func add(_ prefix: UnsafeRawBufferPointer, _ tally: StatsAnalyzer.Tally)
    -> Int
  {
    let hash = unsafe hasher.hash(prefix)
    let tag = hash & 0xFFFF_FFFF_0000_0000
    let mask = slots.count - 1
    var index = Int(truncatingIfNeeded: hash) & mask
    while true {
      let slot = slots[index]
      if slot == 0 { break }
      if slot & 0xFFFF_FFFF_0000_0000 == tag {
        let number = Int(slot & 0xFFFF_FFFF) - 1
        if unsafe isEntry(number, spelling: prefix) {
          entries[number].tally.add(tally)
          return number
        }
      }
      index = (index + 1) & mask
    }
    guard entries.count < limit else {
      overflow.add(tally)
      return -1
    }
    entries.append(Entry(start: names.count, count: prefix.count, tally: tally))
    unsafe names.append(contentsOf: prefix)
    slots[index] = tag | UInt64(entries.count)
    if entries.count * 2 > slots.count { rebuildSlots(count: slots.count * 2) }
    return entries.count - 1
  }

  @unsafe private func isEntry(_ number: Int, spelling prefix: UnsafeRawBufferPointer) -> Bool {
    let entry = entries[number]
    guard entry.count == prefix.count else { return false }
    return unsafe names.withUnsafeBytes { names in
      unsafe UnsafeRawBufferPointer(rebasing: names[entry.start..<entry.start + entry.count])
        .holdsSameBytes(as: prefix)
    }
  }

  private mutating func rebuildSlots(count: Int) {
    slots = Array(repeating: 0, count: count)
    let mask = count - 1
    unsafe names.withUnsafeBytes { names in
      for (number, entry) in entries.enumerated() {
        let hash = unsafe hasher.hash(
          UnsafeRawBufferPointer(rebasing: names[entry.start..<entry.start + entry.count]))
        var index = Int(truncatingIfNeeded: hash) & mask
        while slots[index] != 0 { index = (index + 1) & mask }
        slots[index] = hash & 0xFFFF_FFFF_0000_0000 | UInt64(number + 1)
      }
    }
  }

  /// The prefixes, most memory first; equal sizes in byte order of the prefix, so the order
  /// is the same on every run.
  public func byMemory() -> [(prefix: [UInt8], tally: StatsAnalyzer.Tally)] {
    entries.map { (Array(names[$0.start..<$0.start + $0.count]), $0.tally) }.sorted {
      left, right in
      if left.tally.bytes != right.tally.bytes { return left.tally.bytes > right.tally.bytes }
      return left.prefix.lexicographicallyPrecedes(right.prefix)
    }
  }
}
