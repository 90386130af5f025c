extension StatsAnalyzer {
  /// The flat prefix report's entry and the prefix tree's node of first segments met lately
  /// (the bytes of a key name before its first separator), so that a key whose first segment
  /// is one of them is counted in both without hashing its segment twice and comparing names:
  /// most files have few first segments (`user`, `session`, `cache`) shared by millions of
  /// keys.
  ///
  /// Only for a flat report of depth 1 with the tree's separator, where the report's prefix is
  /// the tree's first-level node (a name with no separator, a longer segment or a miss takes
  /// the report's and the tree's own lookups). Direct-mapped: a line holds a segment of up to
  /// 16 bytes in two words, its report entry and its tree node, and the tree's
  /// ``PrefixTree/generation`` when the node was found, so a prune that folded or renumbered
  /// nodes makes every line miss. What the lines hold changes no figure: a hit counts the key
  /// where the two lookups would have.
  struct FirstSegments: Sendable {
    struct Line: Sendable {
      var low: UInt64 = 0
      var high: UInt64 = 0
      /// The segment's length, or −1 for an empty line.
      var length = -1
      var entry = 0
      var node: Int32 = 0
      var generation = 0
    }

    static let lineCount = 128
    var lines = [Line](repeating: Line(), count: lineCount)

    /// The longest segment a line holds.
    static let longest = 16

    /// `count` (at most ``longest``) bytes at `base` as two words: with the length, they tell
    /// the bytes apart (the loads overlap, as ``UnsafeRawBufferPointer/holdsSameBytes(as:)``'s).
    @inline(__always)
    @unsafe static func words(_ base: UnsafeRawPointer, count: Int) -> (UInt64, UInt64) {
      if count >= 8 {
        return unsafe (
          base.loadUnaligned(as: UInt64.self),
          base.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
        )
      }
      if count >= 4 {
        return unsafe (
          UInt64(base.loadUnaligned(as: UInt32.self)),
          UInt64(base.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self))
        )
      }
      if count == 0 { return (0, 0) }
      let bytes = unsafe base.assumingMemoryBound(to: UInt8.self)
      return unsafe (
        UInt64(bytes[0]) | UInt64(bytes[count &>> 1]) &<< 8 | UInt64(bytes[count &- 1]) &<< 16, 0
      )
    }

    /// The line for the segment whose words are `low` and `high`.
    @inline(__always)
    static func index(_ low: UInt64, _ high: UInt64, _ count: Int) -> Int {
      let mixed =
        (low &* 0x9E37_79B9_7F4A_7C15) ^ (high &* 0xC2B2_AE3D_27D4_EB4F)
        ^ UInt64(truncatingIfNeeded: count)
      return Int(truncatingIfNeeded: (mixed &* 0x1656_67B1_9E37_79F9) &>> 57)
    }
  }

  /// Counts the key named `key` in the flat prefix report and the prefix tree.
  @inline(__always)
  @unsafe mutating func countPrefixes(
    of key: UnsafeRawBufferPointer, bytes: Int, ttl: TTLClass
  ) {
    guard sharesFirstSegment, let base = unsafe key.baseAddress,
      let separatorIndex = unsafe key.firstIndex(of: tree.separator, from: 0),
      separatorIndex <= FirstSegments.longest
    else {
      unsafe prefixes.add(keyBytes: key, bytes: bytes)
      unsafe tree.add(keyBytes: key, bytes: bytes, ttl: ttl)
      return
    }
    tree.pruneIfFull()
    let (low, high) = unsafe FirstSegments.words(base, count: separatorIndex)
    let index = FirstSegments.index(low, high, separatorIndex)
    let line = firstSegments.lines[index]
    if line.length == separatorIndex, line.low == low, line.high == high,
      line.generation == tree.generation
    {
      prefixes.add(bytes: bytes, toEntry: line.entry)
      unsafe tree.add(
        keyBytes: key, bytes: bytes, ttl: ttl, firstNode: line.node, separatorIndex: separatorIndex)
      return
    }
    let segment = unsafe UnsafeRawBufferPointer(start: base, count: separatorIndex)
    let entry = unsafe prefixes.add(prefix: segment, bytes: bytes)
    let node = unsafe tree.child(of: 0, named: segment)
    unsafe tree.add(
      keyBytes: key, bytes: bytes, ttl: ttl, firstNode: node, separatorIndex: separatorIndex)
    guard entry >= 0 else { return }
    firstSegments.lines[index] = FirstSegments.Line(
      low: low, high: high, length: separatorIndex, entry: entry, node: node,
      generation: tree.generation)
  }
}
