/// Keys and memory in a tree of key-name prefixes: `user:42:cart` counts in `user` and in
/// `user` → `42` (the part after the last separator is the key's own name, never a node), each
/// node's figures split by TTL class. A key with no separator counts in the root only.
///
/// The tree is bounded: what it gives out (``node(naming:)``) has at most ``childLimit``
/// children under a node and ``nodeLimit`` nodes, `(other)` children aside (one per node at
/// most), and no node deeper than ``maxDepth`` (a deeper key stops at that depth). While keys
/// are added a node may hold up to twice ``childLimit`` children and the tree up to twice
/// ``nodeLimit`` nodes; on reaching that, the smallest children (by estimated bytes, equal sizes
/// by name) are folded into the `(other)` child of their parent until the limits hold again,
/// and the same prune runs before the tree is given out. So the root's totals are exact and
/// each node's keys are its children's, its `(other)`'s and its own, and memory stays bounded;
/// a prefix is folded only when ``childLimit`` of its siblings held at least the bytes it had
/// seen so far (or, for the node limit, ``nodeLimit`` − 1 nodes did).
///
/// What a prune folded away is not brought back: a prefix folded early and seen again later
/// is made again from zero, its earlier keys staying in its parent's `(other)`, so a kept
/// node holds at most (not always all) of its prefix's keys, and the kept set depends on the
/// order of the keys. A merge (``merge(_:)``, or adding a given-out tree) prunes the same
/// way: merging given-out trees in the same order always gives the same tree, and it equals
/// the tree of all their keys read in one run as long as no prune folded anything, in the
/// parts or in the merge.
///
/// - Complexity: O(depth × segment length) per key; a prune is O(n log n) in the nodes and
///   runs at most once per ``childLimit`` new prefixes of a node or ``nodeLimit`` new nodes;
///   memory O(``nodeLimit``): at most about twice ``nodeLimit`` nodes of about 150 bytes plus
///   their names.
public struct PrefixTree: Sendable {
  /// The name of the child that holds what the limits left out.
  public static let otherName: [UInt8] = Array("(other)".utf8)

  /// The separator byte (default `:`).
  public let separator: UInt8
  /// The deepest level kept (1: only the first segment).
  public let maxDepth: Int
  /// The most nodes given out, `(other)` children aside.
  public let nodeLimit: Int
  /// The most children a node has when given out, its `(other)` child aside.
  public let childLimit: Int

  struct Node: Sendable {
    var parent: Int32
    var nameStart: Int
    var nameCount: Int32
    var childCount: Int32 = 0
    /// The node's `(other)` child, or −1.
    var other: Int32 = -1
    var depth: Int32
    var isOther: Bool
    /// Folded into its parent's `(other)` by a prune (or below such a node): unreachable,
    /// dropped at the next compaction.
    var isFolded = false
  }

  /// Node 0 is the root; a parent always comes before its children.
  var nodes: [Node] = [
    Node(parent: -1, nameStart: 0, nameCount: 0, depth: 0, isOther: false)
  ]
  var names: [UInt8] = []
  /// Per node, one tally per ``StatsAnalyzer/TTLClass`` (node × class count + class index):
  /// every key at or below the node.
  var ttlTallies = [StatsAnalyzer.Tally](
    repeating: StatsAnalyzer.Tally(), count: StatsAnalyzer.TTLClass.allCases.count)
  /// Open-addressed index of (parent, name) → node, at most half full: node number plus one in
  /// the low 32 bits (0: empty), the hash's high 32 bits above.
  var slots: [UInt64] = Array(repeating: 0, count: 64)
  private let hasher = SeededHash()
  /// Changes at every rebuild of ``slots``, which is when nodes are folded or renumbered: a
  /// node number kept from an earlier key (``StatsAnalyzer``'s first segments) is still the
  /// node its name leads to while this has not changed.
  private(set) var generation = 0

  /// A tree split at `separator`, `maxDepth` levels deep, of at most `nodeLimit` nodes with
  /// at most `childLimit` children each.
  public init(
    separator: UInt8 = UInt8(ascii: ":"), maxDepth: Int = 4, nodeLimit: Int = 20_000,
    childLimit: Int = 500
  ) {
    self.separator = separator
    self.maxDepth = max(1, maxDepth)
    self.nodeLimit = min(max(1, nodeLimit), 1 << 30)
    self.childLimit = min(max(1, childLimit), 1 << 30)
  }

  /// The number of nodes, root and `(other)` children included.
  public var count: Int { nodes.count }

  static let classCount = StatsAnalyzer.TTLClass.allCases.count

  /// Counts a key of `bytes` estimated bytes in TTL class `ttl` along its prefix path.
  mutating func add(_ key: [UInt8], bytes: Int, ttl: StatsAnalyzer.TTLClass) {
    unsafe key.withUnsafeBytes { unsafe add(keyBytes: $0, bytes: bytes, ttl: ttl) }
  }

  /// Counts the key whose name is `key` (`stats` passes every key's bytes where they lie).
  @unsafe mutating func add(
    keyBytes key: UnsafeRawBufferPointer, bytes: Int, ttl: StatsAnalyzer.TTLClass
  ) {
    pruneIfFull()
    let tally = StatsAnalyzer.Tally(keys: 1, bytes: bytes)
    let column = ttl.index
    ttlTallies[column].add(tally)
    unsafe addBelow(0, key: key, from: 0, depth: 0, tally: tally, column: column)
  }

  /// Prunes the tree when it holds twice ``nodeLimit`` nodes: what ``add(keyBytes:bytes:ttl:)``
  /// does first.
  @inline(__always)
  mutating func pruneIfFull() {
    if nodes.count >= 2 * nodeLimit { prune() }
  }

  /// Counts the key whose name is `key` in the root and in `node`, the root's child named by
  /// the bytes before its first separator, at `separatorIndex` (a number the tree gave for
  /// that name at this ``generation``, after ``pruneIfFull()``), then along the rest of its path.
  @unsafe mutating func add(
    keyBytes key: UnsafeRawBufferPointer, bytes: Int, ttl: StatsAnalyzer.TTLClass,
    firstNode node: Int32, separatorIndex: Int
  ) {
    let tally = StatsAnalyzer.Tally(keys: 1, bytes: bytes)
    let column = ttl.index
    ttlTallies[column].add(tally)
    ttlTallies[Int(node) &* Self.classCount &+ column].add(tally)
    unsafe addBelow(
      node, key: key, from: separatorIndex &+ 1, depth: 1, tally: tally, column: column)
  }

  /// Counts `tally` in column `column` along the segments of `key` from `start` on, below
  /// `node` at `depth`.
  @inline(__always)
  @unsafe private mutating func addBelow(
    _ node: Int32, key: UnsafeRawBufferPointer, from start: Int, depth: Int,
    tally: StatsAnalyzer.Tally, column: Int
  ) {
    guard let base = key.baseAddress else { return }
    var node = node
    var start = start
    var depth = depth
    while depth < maxDepth, let index = unsafe key.firstIndex(of: separator, from: start) {
      node = unsafe child(
        of: node, named: UnsafeRawBufferPointer(start: base + start, count: index &- start))
      ttlTallies[Int(node) &* Self.classCount &+ column].add(tally)
      depth &+= 1
      start = index &+ 1
    }
  }

  /// Adds `tallies` (one per TTL class) to `node`.
  mutating func add(_ tallies: ArraySlice<StatsAnalyzer.Tally>, to node: Int32) {
    for (offset, tally) in tallies.enumerated() {
      ttlTallies[Int(node) * Self.classCount + offset].add(tally)
    }
  }

  /// The child of `parent` named `name`, made if missing; when `parent` already has twice
  /// ``childLimit`` children, its smallest are folded into its `(other)` first.
  @unsafe mutating func child(of parent: Int32, named name: UnsafeRawBufferPointer) -> Int32 {
    let hash = unsafe hasher.hash(name) ^ hasher.hash(UInt64(parent))
    let tag = hash & 0xFFFF_FFFF_0000_0000
    let mask = slots.count - 1
    var index = Int(truncatingIfNeeded: hash) & mask
    while true {
      let slot = slots[index]
      if slot == 0 { break }
      if slot & 0xFFFF_FFFF_0000_0000 == tag {
        let number = Int32(slot & 0xFFFF_FFFF) - 1
        if nodes[Int(number)].parent == parent, unsafe isNode(number, named: name) {
          return number
        }
      }
      index = (index + 1) & mask
    }
    if nodes[Int(parent)].childCount >= Int32(2 * childLimit) {
      pruneChildren(of: parent)
      index = Int(truncatingIfNeeded: hash) & (slots.count - 1)
      while slots[index] != 0 { index = (index + 1) & (slots.count - 1) }
    }
    let number = Int32(nodes.count)
    unsafe append(parent: parent, name: name, isOther: false)
    nodes[Int(parent)].childCount += 1
    slots[index] = tag | UInt64(number + 1)
    if nodes.count * 2 > slots.count { rebuildSlots(count: slots.count * 2) }
    return number
  }

  /// `parent`'s `(other)` child, made on first use.
  mutating func otherChild(of parent: Int32) -> Int32 {
    if nodes[Int(parent)].other >= 0 { return nodes[Int(parent)].other }
    let number = Int32(nodes.count)
    unsafe Self.otherName.withUnsafeBytes { unsafe append(parent: parent, name: $0, isOther: true) }
    nodes[Int(parent)].other = number
    return number
  }

  @unsafe private mutating func append(
    parent: Int32, name: UnsafeRawBufferPointer, isOther: Bool
  ) {
    nodes.append(
      Node(
        parent: parent, nameStart: names.count, nameCount: Int32(name.count),
        depth: nodes[Int(parent)].depth + 1, isOther: isOther))
    unsafe names.append(contentsOf: name)
    ttlTallies.append(
      contentsOf: repeatElement(StatsAnalyzer.Tally(), count: Self.classCount))
  }

  @unsafe private func isNode(_ number: Int32, named name: UnsafeRawBufferPointer) -> Bool {
    let node = nodes[Int(number)]
    guard !node.isOther, Int(node.nameCount) == name.count else { return false }
    return unsafe names.withUnsafeBytes { names in
      unsafe UnsafeRawBufferPointer(
        rebasing: names[node.nameStart..<node.nameStart + Int(node.nameCount)]
      ).holdsSameBytes(as: name)
    }
  }

  /// Rebuilds the index of (parent, name) → node, `count` slots, leaving out folded nodes
  /// (after marking folded every node below one).
  mutating func rebuildSlots(count: Int) {
    for number in nodes.indices.dropFirst() where nodes[Int(nodes[number].parent)].isFolded {
      nodes[number].isFolded = true
    }
    slots = Array(repeating: 0, count: count)
    generation &+= 1
    let mask = count - 1
    unsafe names.withUnsafeBytes { names in
      for (number, node) in nodes.enumerated().dropFirst() where !node.isOther && !node.isFolded {
        let name = unsafe UnsafeRawBufferPointer(
          rebasing: names[node.nameStart..<node.nameStart + Int(node.nameCount)])
        let hash = unsafe hasher.hash(name) ^ hasher.hash(UInt64(node.parent))
        var index = Int(truncatingIfNeeded: hash) & mask
        while slots[index] != 0 { index = (index + 1) & mask }
        slots[index] = hash & 0xFFFF_FFFF_0000_0000 | UInt64(number + 1)
      }
    }
  }

  /// The name of node `number` (empty for the root).
  func name(of number: Int32) -> ArraySlice<UInt8> {
    let node = nodes[Int(number)]
    return names[node.nameStart..<node.nameStart + Int(node.nameCount)]
  }

  /// Node `number`'s tallies, one per TTL class in ``StatsAnalyzer/TTLClass/allCases`` order.
  func tallies(of number: Int32) -> ArraySlice<StatsAnalyzer.Tally> {
    ttlTallies[Int(number) * Self.classCount..<(Int(number) + 1) * Self.classCount]
  }
}
