extension PrefixTree {
  /// Node `number`'s estimated bytes, all TTL classes.
  func bytes(of number: Int) -> Int {
    var total = 0
    for offset in 0..<Self.classCount {
      total += ttlTallies[number * Self.classCount + offset].bytes
    }
    return total
  }

  /// `list` ordered as siblings are: most bytes first, equal sizes by name.
  private func sortedAsSiblings(_ list: [Int32], bytes: [Int]) -> [Int32] {
    list.sorted { left, right in
      if bytes[Int(left)] != bytes[Int(right)] { return bytes[Int(left)] > bytes[Int(right)] }
      return name(of: left).lexicographicallyPrecedes(name(of: right))
    }
  }

  /// Folds `parent`'s smallest children (by bytes, equal sizes by name) into its `(other)`
  /// until it has ``childLimit``; they and their subtrees stay in place, marked folded, until
  /// the next ``prune()``.
  ///
  /// - Complexity: O(n) in the nodes plus O(c log c) in `parent`'s children.
  mutating func pruneChildren(of parent: Int32) {
    var children: [Int32] = []
    var sizes = [Int](repeating: 0, count: nodes.count)
    for number in nodes.indices.dropFirst()
    where nodes[number].parent == parent && !nodes[number].isOther && !nodes[number].isFolded {
      children.append(Int32(number))
      sizes[number] = bytes(of: number)
    }
    let folded = sortedAsSiblings(children, bytes: sizes).dropFirst(childLimit)
    guard !folded.isEmpty else { return }
    let other = otherChild(of: parent)
    for child in folded {
      nodes[Int(child)].isFolded = true
      add(tallies(of: child), to: other)
    }
    nodes[Int(parent)].childCount = Int32(childLimit)
    rebuildSlots(count: slots.count)
  }

  /// Brings the tree within its limits and drops folded nodes: breadth first, each node keeps
  /// its ``childLimit`` largest children (equal sizes by name), then of those the
  /// ``nodeLimit`` − 1 largest nodes stay besides the root (equal sizes: the one met first
  /// breadth first, so a parent, never smaller than its child, stays before it); each node
  /// left out counts in the `(other)` child of its parent.
  ///
  /// - Complexity: O(n log n) in the nodes.
  mutating func prune() {
    for number in nodes.indices.dropFirst() where nodes[Int(nodes[number].parent)].isFolded {
      nodes[number].isFolded = true
    }
    let sizes = nodes.indices.map { bytes(of: $0) }
    var children = [[Int32]](repeating: [], count: nodes.count)
    for number in nodes.indices.dropFirst() where !nodes[number].isFolded && !nodes[number].isOther
    {
      children[Int(nodes[number].parent)].append(Int32(number))
    }
    var order: [Int32] = [0]
    var position = 0
    while position < order.count {
      let list = children[Int(order[position])]
      position += 1
      order.append(contentsOf: sortedAsSiblings(list, bytes: sizes).prefix(childLimit))
    }
    let ranked = order.indices.dropFirst().sorted { left, right in
      let (a, b) = (sizes[Int(order[left])], sizes[Int(order[right])])
      return a != b ? a > b : left < right
    }
    var keep = [Bool](repeating: false, count: nodes.count)
    keep[0] = true
    for index in ranked.prefix(nodeLimit - 1) { keep[Int(order[index])] = true }
    let count = nodes.count
    for number in 1..<count {
      let parent = nodes[number].parent
      if nodes[number].isOther || !keep[Int(parent)] {
        keep[number] = keep[Int(parent)] && !nodes[number].isFolded
      } else if !keep[number] && !nodes[number].isFolded {
        let other = otherChild(of: parent)
        if Int(other) == keep.count { keep.append(true) }
        add(tallies(of: Int32(number)), to: other)
      }
    }
    compact(keeping: keep)
  }

  /// Keeps the nodes marked in `keep` (a parent before its children, as before), renumbered.
  private mutating func compact(keeping keep: [Bool]) {
    var numbers = [Int32](repeating: -1, count: nodes.count)
    var kept: [Node] = []
    var keptNames: [UInt8] = []
    var keptTallies: [StatsAnalyzer.Tally] = []
    for number in nodes.indices where keep[number] {
      numbers[number] = Int32(kept.count)
      var node = nodes[number]
      if number > 0 { node.parent = numbers[Int(node.parent)] }
      node.nameStart = keptNames.count
      node.childCount = 0
      node.other = -1
      keptNames.append(contentsOf: name(of: Int32(number)))
      keptTallies.append(contentsOf: tallies(of: Int32(number)))
      kept.append(node)
    }
    for number in kept.indices.dropFirst() {
      let parent = Int(kept[number].parent)
      if kept[number].isOther {
        kept[parent].other = Int32(number)
      } else {
        kept[parent].childCount += 1
      }
    }
    nodes = kept
    names = keptNames
    ttlTallies = keptTallies
    var size = 64
    while size < nodes.count * 2 { size *= 2 }
    rebuildSlots(count: size)
  }
}
