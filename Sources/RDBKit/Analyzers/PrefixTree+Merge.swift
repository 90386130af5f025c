extension PrefixTree {
  /// Adds another tree's figures, node by node, breadth first with each node's children most
  /// bytes first, pruning as adding keys does (a node folded by a prune takes nothing more:
  /// its subtree's totals already count in the `(other)` above it), then prunes if the tree
  /// holds twice ``nodeLimit`` nodes or more.
  ///
  /// - Complexity: O(n log n) in `other`'s nodes.
  public mutating func merge(_ other: PrefixTree) {
    let children = other.childLists()
    add(other.tallies(of: 0), to: 0)
    var queue: [(source: Int32, target: Int32)] = [(0, 0)]
    var position = 0
    while position < queue.count {
      let (source, target) = queue[position]
      position += 1
      if nodes[Int(target)].isFolded { continue }
      for child in children[Int(source)] {
        let mapped =
          other.nodes[Int(child)].isOther
          ? otherChild(of: target) : self.child(of: target, named: Array(other.name(of: child)))
        add(other.tallies(of: child), to: mapped)
        // Below an `(other)` node nothing is kept; its totals already hold its subtree.
        if !nodes[Int(mapped)].isOther { queue.append((child, mapped)) }
      }
    }
    if nodes.count >= 2 * nodeLimit { prune() }
  }

  /// Adds the figures of a tree written as ``PrefixTreeNode``s, as ``merge(_:)`` does, in the
  /// order of their children (``node(naming:)`` gives them most bytes first). Names are taken
  /// as the UTF-8 bytes of their text.
  ///
  /// - Complexity: O(n) in the nodes.
  public mutating func add(_ root: PrefixTreeNode) {
    add(Self.tallies(root)[...], to: 0)
    var queue: [(source: PrefixTreeNode, target: Int32)] = [(root, 0)]
    var position = 0
    while position < queue.count {
      let (source, target) = queue[position]
      position += 1
      if nodes[Int(target)].isFolded { continue }
      for child in source.children ?? [] {
        let mapped =
          child.other == true
          ? otherChild(of: target) : self.child(of: target, named: Array(child.name.utf8))
        add(Self.tallies(child)[...], to: mapped)
        if !nodes[Int(mapped)].isOther { queue.append((child, mapped)) }
      }
    }
    if nodes.count >= 2 * nodeLimit { prune() }
  }

  /// The child of `parent` named `name`, made if the limits allow, else `parent`'s `(other)`.
  private mutating func child(of parent: Int32, named name: [UInt8]) -> Int32 {
    unsafe name.withUnsafeBytes { unsafe child(of: parent, named: $0) }
  }

  private static func tallies(_ node: PrefixTreeNode) -> [StatsAnalyzer.Tally] {
    StatsAnalyzer.TTLClass.allCases.map { node.ttl[$0.rawValue] ?? StatsAnalyzer.Tally() }
  }

  /// The tree as nested nodes, pruned to its limits (see ``prune()``), each node's children
  /// most bytes first (equal sizes by name's bytes), names made text by `naming`.
  ///
  /// - Complexity: O(n log n).
  public func node(naming: (ArraySlice<UInt8>) -> String) -> PrefixTreeNode {
    var tree = self
    tree.prune()
    return tree.nested(naming: naming)
  }

  private func nested(naming: (ArraySlice<UInt8>) -> String) -> PrefixTreeNode {
    let children = childLists()
    func build(_ number: Int32) -> PrefixTreeNode {
      var ttl: [String: StatsAnalyzer.Tally] = [:]
      for (index, tally) in tallies(of: number).enumerated() where tally.keys > 0 {
        ttl[StatsAnalyzer.TTLClass.allCases[index].rawValue] = tally
      }
      var node = PrefixTreeNode(
        name: naming(name(of: number)), ttl: ttl, other: nodes[Int(number)].isOther)
      let list = children[Int(number)]
      if !list.isEmpty { node.children = list.map(build) }
      return node
    }
    return build(0)
  }

  /// Every node's children, most bytes first, equal sizes by name; folded nodes left out.
  private func childLists() -> [[Int32]] {
    var children = [[Int32]](repeating: [], count: nodes.count)
    for number in nodes.indices.dropFirst() where !nodes[number].isFolded {
      children[Int(nodes[number].parent)].append(Int32(number))
    }
    var bytes = [Int](repeating: 0, count: nodes.count)
    for number in nodes.indices {
      bytes[number] = tallies(of: Int32(number)).reduce(0) { $0 + $1.bytes }
    }
    for index in children.indices where children[index].count > 1 {
      children[index].sort { left, right in
        if bytes[Int(left)] != bytes[Int(right)] { return bytes[Int(left)] > bytes[Int(right)] }
        return name(of: left).lexicographicallyPrecedes(name(of: right))
      }
    }
    return children
  }
}
