/// Exact key names (output database and bytes), each with an integer, for the exact part of
/// the duplicate check: the names back to back in one byte array, an entry of 24 bytes per
/// name, and an open-addressed index of 4 bytes a slot, so a name costs its length plus about
/// 30 bytes instead of an array of its own in a `Set`.
///
/// The caller gives each name's ``KeyFingerprints`` fingerprint, which places it in the
/// index; names are always compared in full, so two names with the same fingerprint stay
/// two names.
///
///     var names = KeyNameTable()
///     let earlier = names.update(key, database: 0, fingerprint: fingerprint, value: position)
///
/// - Complexity: ``update(_:database:fingerprint:value:)`` is O(1) on average plus the name's
///   length; growing re-places every entry.
struct KeyNameTable: Sendable {
  private struct Entry: Sendable {
    var fingerprint: UInt64
    var start: Int
    var length: UInt32
    var database: UInt32
  }

  private var bytes: [UInt8] = []
  private var entries: [Entry] = []
  private var values: [Int] = []
  /// Entry index plus one per slot; 0 is an empty slot.
  private var index: [UInt32] = Array(repeating: 0, count: 16)

  /// The number of names held.
  var count: Int { entries.count }

  /// Records `value` for `key` in `database` and returns the value it had, or nil when the
  /// name is new.
  ///
  /// - Precondition: the same name always comes with the same `fingerprint`.
  @discardableResult
  mutating func update(_ key: RawSpan, database: Int, fingerprint: UInt64, value: Int) -> Int? {
    let mask = index.count - 1
    var slot = Int(truncatingIfNeeded: fingerprint) & mask
    while index[slot] != 0 {
      let position = Int(index[slot]) - 1
      if matches(entries[position], key, database: database, fingerprint: fingerprint) {
        defer { values[position] = value }
        return values[position]
      }
      slot = (slot &+ 1) & mask
    }
    let start = bytes.count
    unsafe key.withUnsafeBytes { unsafe bytes.append(contentsOf: $0) }
    entries.append(
      Entry(
        fingerprint: fingerprint, start: start, length: UInt32(key.byteCount),
        database: UInt32(truncatingIfNeeded: database)))
    values.append(value)
    index[slot] = UInt32(entries.count)
    if entries.count > index.count / 4 * 3 { grow() }
    return nil
  }

  private func matches(_ entry: Entry, _ key: RawSpan, database: Int, fingerprint: UInt64)
    -> Bool
  {
    guard entry.fingerprint == fingerprint, Int(entry.length) == key.byteCount,
      entry.database == UInt32(truncatingIfNeeded: database)
    else { return false }
    return unsafe key.withUnsafeBytes { name in
      unsafe bytes.withUnsafeBytes { stored in
        unsafe name.elementsEqual(stored[entry.start..<entry.start + Int(entry.length)])
      }
    }
  }

  /// Twice the slots, every entry placed again.
  private mutating func grow() {
    index = Array(repeating: 0, count: index.count * 2)
    let mask = index.count - 1
    for (position, entry) in entries.enumerated() {
      var slot = Int(truncatingIfNeeded: entry.fingerprint) & mask
      while index[slot] != 0 { slot = (slot &+ 1) & mask }
      index[slot] = UInt32(position + 1)
    }
  }
}
