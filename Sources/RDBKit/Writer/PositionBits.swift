/// A set of positions in a key sequence, one bit per position up to the largest: the keys a
/// writing pass leaves out for `--on-duplicate last` (``DuplicateKeyScan``), 125 KB for a
/// million keys.
struct PositionBits: Sendable {
  private var words: [UInt64] = []

  /// Adds `position` (not negative).
  mutating func insert(_ position: Int) {
    let word = position >> 6
    if word >= words.count {
      words += Array(repeating: 0, count: word + 1 - words.count)
    }
    words[word] |= 1 << UInt64(position & 63)
  }

  /// Whether `position` was added.
  func contains(_ position: Int) -> Bool {
    let word = position >> 6
    return word < words.count && words[word] & 1 << UInt64(position & 63) != 0
  }
}
