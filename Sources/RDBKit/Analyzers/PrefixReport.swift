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
  /// Keys and bytes per prefix. A slice hashes and compares by its bytes, so a key's prefix is
  /// looked up as a slice of the key itself, with no copy; only a new prefix is copied.
  private var tallies: [ArraySlice<UInt8>: StatsAnalyzer.Tally] = [:]
  /// Keys whose prefix was not kept because the limit was reached.
  public private(set) var overflow = StatsAnalyzer.Tally()

  /// Groups by the part before the `depth`-th `separator`, keeping at most `limit` prefixes.
  public init(separator: UInt8 = UInt8(ascii: ":"), depth: Int = 1, limit: Int = 100_000) {
    self.separator = separator
    self.depth = max(1, depth)
    self.limit = limit
  }

  /// The prefix of `key`.
  public func prefix(of key: [UInt8]) -> ArraySlice<UInt8> {
    var seen = 0
    for (index, byte) in key.enumerated() where byte == separator {
      seen += 1
      if seen == depth { return key[..<index] }
    }
    return key[...]
  }

  /// The number of distinct prefixes kept.
  public var count: Int { tallies.count }

  mutating func add(_ key: [UInt8], bytes: Int) {
    let prefix = prefix(of: key)
    if let index = tallies.index(forKey: prefix) {
      tallies.values[index].add(bytes)
    } else if tallies.count >= limit {
      overflow.add(bytes)
    } else {
      // A copy, so the group does not keep the whole key name alive.
      tallies[ArraySlice(Array(prefix)), default: StatsAnalyzer.Tally()].add(bytes)
    }
  }

  mutating func merge(_ other: PrefixReport) {
    for (prefix, tally) in other.tallies {
      if let index = tallies.index(forKey: prefix) {
        tallies.values[index].add(tally)
      } else if tallies.count >= limit {
        overflow.add(tally)
      } else {
        tallies[prefix] = tally
      }
    }
    overflow.add(other.overflow)
  }

  /// The prefixes, most memory first; equal sizes in byte order of the prefix, so the order
  /// is the same on every run.
  public func byMemory() -> [(prefix: [UInt8], tally: StatsAnalyzer.Tally)] {
    tallies.map { (Array($0.key), $0.value) }.sorted { left, right in
      if left.tally.bytes != right.tally.bytes { return left.tally.bytes > right.tally.bytes }
      return left.prefix.lexicographicallyPrecedes(right.prefix)
    }
  }
}
