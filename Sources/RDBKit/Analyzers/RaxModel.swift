/// Counts the nodes rax.c would allocate for 16-byte stream IDs inserted in increasing order,
/// as `MEMORY USAGE` needs them (`streamRadixTreeMemoryUsage`).
///
/// In-order inserts only ever diverge from the path of the previous (largest) key, so the
/// model keeps that path's node boundaries (a bit per depth 0…16) instead of a tree: a node
/// spans two consecutive boundaries, one byte wide for a plain node, wider for a compressed
/// one. An insert that diverges at depth p splits the compressed node holding p (rax.c
/// "ALGO 1": the trimmed prefix keeps the old node, plus a split node and a postfix node),
/// adds a child, and compresses the rest of the key into one node and its key leaf.
///
/// It is exact for insert-only trees filled in order (stream node trees, most PELs); entries
/// removed by XACK, XDEL or XTRIM can leave a live tree with other node counts.
struct RaxModel: Sendable {
  /// Nodes, including the head: an empty rax has one.
  private(set) var nodes = 1
  /// Keys inserted.
  private(set) var elements = 0
  private var previous: (UInt64, UInt64) = (0, 0)
  /// Bit d set: a node of the previous key's path starts at depth d.
  private var boundaries: UInt32 = 1
  /// The allocator whose usable sizes ``allocatedBytes`` adds up, when it is tracked.
  private let allocator: MemoryModel.Allocator?
  /// Children of the one-byte (not compressed) node at each depth of the previous key's path.
  private var children = [Int](repeating: 1, count: 17)
  /// The usable sizes of the nodes off the previous key's path, which no later insert changes.
  private var settledBytes = 0

  /// A model that also tracks node allocations for `allocator` (``allocatedBytes``), or only
  /// counts nodes.
  init(allocator: MemoryModel.Allocator? = nil) { self.allocator = allocator }

  /// What the server counts for the tree: 16 bytes per ID and 4 + 30 × 8 per node.
  var cost: Int { 16 * elements + 244 * nodes }

  mutating func reset() { self = RaxModel(allocator: allocator) }

  /// What `raxAllocSize` reports (Valkey 9): the usable size of the `rax` struct and of every
  /// node. A node is a 4-byte header, then a compressed node's bytes, or a plain node's child
  /// bytes, padded to 8, then 8 bytes per child pointer, and 8 for a key's value pointer.
  var allocatedBytes: Int {
    guard let allocator else { return 0 }
    let rax = allocator.usableSize(32)
    guard elements > 0 else { return rax + allocator.usableSize(8) }
    var total = rax + settledBytes
    var start = 0
    while start < 16 {
      let end = nextBoundary(after: start)
      total += nodeBytes(start, end, allocator)
      start = end
    }
    return total + allocator.usableSize(16)
  }

  private func nextBoundary(after depth: Int) -> Int {
    (boundaries & ~((UInt32(2) << depth) - 1)).trailingZeroBitCount
  }

  /// The usable size of the path node spanning depths `start..<end`.
  private func nodeBytes(_ start: Int, _ end: Int, _ allocator: MemoryModel.Allocator) -> Int {
    let count = end - start
    if count >= 2 { return allocator.usableSize((4 + count + 7) / 8 * 8 + 8) }
    let childCount = children[start]
    return allocator.usableSize((4 + childCount + 7) / 8 * 8 + 8 * childCount)
  }

  /// Inserts `id`, which should not be below the previous one.
  mutating func insert(_ id: StreamID) {
    let key = (id.milliseconds, id.sequence)
    defer {
      previous = key
      elements += 1
    }
    guard elements > 0 else {
      // The empty head becomes a compressed node of all 16 bytes, over the key leaf.
      nodes += 1
      boundaries = 1 | 1 << 16
      return
    }
    let differing = key.0 != previous.0 ? key.0 ^ previous.0 : key.1 ^ previous.1
    guard differing != 0 else { return }
    let depth = (key.0 != previous.0 ? 0 : 8) + differing.leadingZeroBitCount / 8
    let below = boundaries & ((UInt32(2) << depth) - 1)
    let start = UInt32.bitWidth - 1 - below.leadingZeroBitCount
    let above = boundaries & ~((UInt32(2) << depth) - 1)
    let end = above.trailingZeroBitCount
    var kept = below
    if end - start > 1 {
      // A compressed node: split node (or the node itself when split at its start), plus
      // a postfix node for what followed the split byte.
      if depth > start {
        nodes += 1
        kept |= 1 << depth
      }
      if end - depth - 1 > 0 { nodes += 1 }
    }
    // The new child, and the leaf under the compressed rest of the key.
    nodes += depth + 1 < 16 ? 2 : 1
    kept |= UInt32(1) << (depth + 1) | 1 << 16
    if let allocator { settle(depth: depth, start: start, end: end, allocator) }
    boundaries = kept
  }

  /// Adds the nodes the insert at `depth` leaves off the path (below the node `start..<end`
  /// it diverged in, and the postfix of a split), and updates the path's child counts; the
  /// boundaries are still the previous key's.
  private mutating func settle(
    depth: Int, start: Int, end: Int, _ allocator: MemoryModel.Allocator
  ) {
    var node = end
    while node < 16 {
      let next = nextBoundary(after: node)
      settledBytes += nodeBytes(node, next, allocator)
      node = next
    }
    settledBytes += allocator.usableSize(16)  // the previous key's leaf
    if end - start > 1, end > depth + 1 {
      children[depth + 1] = 1
      settledBytes += nodeBytes(depth + 1, end, allocator)
    }
    if end - start > 1 {
      if depth > start { children[start] = 1 }
      children[depth] = 2
    } else {
      children[depth] += 1
    }
    children[depth + 1] = 1
  }
}
