/// A packed sorted set's order: members by ascending score, then by member bytes.
extension ValueBuffer {
  /// Whether the members are already in that order, as they are when the value was packed
  /// in the input (then nothing needs sorting).
  func isInScoreOrder() -> Bool {
    guard count > 1 else { return true }
    for index in 1..<count where !precedes(index &- 1, index) { return false }
    return true
  }

  /// Member indices in that order; the array is kept for the next sorted set.
  func scoreOrder() -> [Int] {
    order.removeAll(keepingCapacity: true)
    order.append(contentsOf: 0..<count)
    order.sort { precedes($0, $1) }
    return order
  }

  /// Whether member `left` comes before member `right`.
  @inline(__always)
  private func precedes(_ left: Int, _ right: Int) -> Bool {
    let a = scores[left]
    let b = scores[right]
    if a != b { return a < b }
    return unsafe element(left).lexicographicallyPrecedes(element(right))
  }
}
