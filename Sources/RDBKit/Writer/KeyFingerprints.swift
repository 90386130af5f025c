/// A set of 64-bit fingerprints of (output database, key name), open-addressed with linear
/// probing in one flat array: 8 bytes a slot, at most three quarters full, so about 11 to 21
/// bytes a key instead of a copy of every name.
///
/// Two different keys can share a fingerprint, so a hit only says "maybe seen": callers
/// confirm hits against the exact names (``DuplicateKeyScan``). The hash is a ``SeededHash``
/// with a random seed, so a crafted file cannot choose names whose fingerprints collide.
///
///     var seen = KeyFingerprints()
///     let fingerprint = seen.fingerprint(key, database: 0)
///     if seen.insert(fingerprint) { /* possibly a repeat: confirm */ }
///
/// - Complexity: ``insert(_:)`` is O(1) on average; growing rehashes every entry.
public struct KeyFingerprints: Sendable {
  private var slots: [UInt64]
  private var mask: Int
  /// The number of fingerprints held.
  public private(set) var count = 0
  /// The seeded hash the fingerprints are made with; a ``DuplicateKeys`` check of the
  /// writing pass takes it over to recognize the same keys.
  let hasher = SeededHash()

  /// An empty set with room for `capacity` fingerprints before it grows.
  public init(capacity: Int = 1 << 16) {
    var size = 16
    while size / 4 * 3 < capacity { size <<= 1 }
    slots = Array(repeating: 0, count: size)
    mask = size - 1
  }

  /// The fingerprint of `key` in output database `database`; never 0 (the empty slot).
  public func fingerprint(_ key: RawSpan, database: Int) -> UInt64 {
    Self.fingerprint(key, database: database, hasher: hasher)
  }

  /// The fingerprint of `key` in `database` made with `hasher`.
  static func fingerprint(_ key: RawSpan, database: Int, hasher: SeededHash) -> UInt64 {
    let name = unsafe key.withUnsafeBytes { unsafe hasher.hash($0) }
    let value = hasher.hash(name &+ UInt64(truncatingIfNeeded: database) &* 0x9E37_79B9_7F4A_7C15)
    return value == 0 ? 1 : value
  }

  /// Adds `fingerprint`; returns true when it was already there.
  @discardableResult
  public mutating func insert(_ fingerprint: UInt64) -> Bool {
    var index = Int(truncatingIfNeeded: fingerprint) & mask
    while true {
      let slot = slots[index]
      if slot == fingerprint { return true }
      if slot == 0 { break }
      index = (index &+ 1) & mask
    }
    slots[index] = fingerprint
    count += 1
    if count > slots.count / 4 * 3 { grow() }
    return false
  }

  /// Whether `fingerprint` is in the set.
  public func contains(_ fingerprint: UInt64) -> Bool {
    var index = Int(truncatingIfNeeded: fingerprint) & mask
    while true {
      let slot = slots[index]
      if slot == fingerprint { return true }
      if slot == 0 { return false }
      index = (index &+ 1) & mask
    }
  }

  /// Forgets every fingerprint and frees the table; the hash (and its seed) stays, so the
  /// same keys get the same fingerprints afterwards.
  public mutating func removeAll() {
    slots = Array(repeating: 0, count: 16)
    mask = 15
    count = 0
  }

  /// Twice the slots, every fingerprint placed again.
  private mutating func grow() {
    let old = slots
    slots = Array(repeating: 0, count: old.count * 2)
    mask = slots.count - 1
    for fingerprint in old where fingerprint != 0 {
      var index = Int(truncatingIfNeeded: fingerprint) & mask
      while slots[index] != 0 { index = (index &+ 1) & mask }
      slots[index] = fingerprint
    }
  }
}
