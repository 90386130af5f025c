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

  /// What the server counts for the tree: 16 bytes per ID and 4 + 30 × 8 per node.
  var cost: Int { 16 * elements + 244 * nodes }

  mutating func reset() { self = RaxModel() }

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
    boundaries = kept
  }
}
