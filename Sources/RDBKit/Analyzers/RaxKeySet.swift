/// The node allocations rax.c makes for a set of arbitrary keys (consumer group and consumer
/// names, the pending IDs of Redis 8.6's group index), each with a value pointer.
///
/// Inserts alone (as when a server loads a file) leave a tree whose node boundaries depend only
/// on the keys: a node starts at the root, at every key's end, after every branching byte, and
/// a compressed node runs on while its keys share their next byte and none of them ends.
struct RaxKeySet: Sendable {
  private var keys: [[UInt8]] = []

  /// The keys inserted.
  var count: Int { keys.count }

  mutating func insert(_ key: [UInt8]) { keys.append(key) }

  mutating func removeAll() { keys.removeAll(keepingCapacity: true) }

  /// The usable sizes of the `rax` struct and of every node, as Redis 8.6 adds them up.
  func allocatedBytes(_ allocator: MemoryModel.Allocator) -> Int {
    let sorted = Set(keys).sorted { $0.lexicographicallyPrecedes($1) }
    return allocator.usableSize(32) + nodeBytes(sorted[...], depth: 0, allocator)
  }

  /// The node starting at `depth` under `keys` (which all share their first `depth` bytes),
  /// and the nodes below it.
  private func nodeBytes(
    _ keys: ArraySlice<[UInt8]>, depth: Int, _ allocator: MemoryModel.Allocator
  ) -> Int {
    var rest = keys
    let isKey = rest.first?.count == depth
    if isKey { rest = rest.dropFirst() }
    let value = isKey ? 8 : 0
    guard let first = rest.first, let last = rest.last else {
      return allocator.usableSize(8 + value)
    }
    if first[depth] != last[depth] {
      // A plain node: one byte and one child pointer per distinct next byte.
      var total = 0
      var children = 0
      var start = rest.startIndex
      while start < rest.endIndex {
        let byte = rest[start][depth]
        var end = start + 1
        while end < rest.endIndex, rest[end][depth] == byte { end += 1 }
        total += nodeBytes(rest[start..<end], depth: depth + 1, allocator)
        children += 1
        start = end
      }
      return total + allocator.usableSize((4 + children + 7) / 8 * 8 + 8 * children + value)
    }
    // A compressed node over the bytes all keys share, up to the shortest key's end.
    let shortest = rest.map(\.count).min() ?? depth
    var end = depth + 1
    while end < shortest, first[end] == last[end] { end += 1 }
    let length = end - depth
    return allocator.usableSize((4 + length + 7) / 8 * 8 + 8 + value)
      + nodeBytes(rest, depth: end, allocator)
  }
}
