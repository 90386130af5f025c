#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Rejects a repeated field or member within one packed value, as a loading server does
/// (it builds a dictionary and fails on the second insert).
///
/// Elements are compared by their text: an integer element equals a string element holding
/// its decimal digits. Such a string is keyed by its integer value, so integers are never
/// rendered as text.
///
/// The table is open-addressed over memory it owns and reused from value to value: each
/// slot is stamped with the value it belongs to, so forgetting a value costs nothing, and after
/// warm-up the check allocates nothing. Elements are hashed with a ``SeededHash``, so a
/// crafted file cannot choose colliding elements. The caller frees the table with
/// ``release()``, exactly once.
///
/// The table takes 64 to 128 bytes per element, so it is used only for values small enough
/// that this stays small (``streamingLimit``). A larger value is checked in passes in bounded
/// memory (see `DuplicateCheck+Passes.swift`): its elements' 8-byte hashes are sorted, and
/// only the hashes that repeat are checked exactly, in the table, in a further pass. A value
/// read element by element (a hash table or skip list) is checked as it is read, its elements
/// copied for the table while they are few (see `DuplicateCheck+Elements.swift`).
@safe struct DuplicateCheck {
  /// One recorded element: a string's address and length, or an integer.
  private struct Slot {
    var stamp: UInt32
    var isInteger: Bool
    var hash: UInt64
    var length: Int
    /// The integer's bit pattern, or the string's address.
    var payload: UInt64
  }

  private var slots: UnsafeMutablePointer<Slot>
  private var capacity: Int
  private var stamp: UInt32 = 1
  private var used = 0
  private let hasher = SeededHash()
  /// What ``insert(_:)`` does with an element.
  var mode = Mode.streaming
  /// The hashes collected in ``Mode/collecting``.
  var hashes: [UInt64] = []
  /// Which hashes are kept: those whose top two bits are `partition` (all when `partitions`
  /// is 1), at most `hashLimit` of them.
  var partition: UInt64 = 0
  var partitions: UInt64 = 1
  var hashLimit = Int.max
  /// Whether more than `hashLimit` hashes were offered while collecting.
  var overflowed = false
  /// The hashes whose elements are compared exactly in ``Mode/verifying``.
  var candidates: Set<UInt64> = []
  /// Whether a ``Mode/verifying`` pass found a repeat.
  var foundRepeat = false
  /// Copies of the elements of a value read element by element, for the table, how many of
  /// its bytes are used, and the value's elements and their bytes so far (see
  /// `DuplicateCheck+Elements.swift`).
  let arena: UnsafeMutableRawBufferPointer
  var arenaUsed = 0
  var elementCount = 0
  var elementBytes = 0
  /// The number of collected hashes at which they are sorted next.
  var nextCheckpoint = 0

  /// An empty table.
  init() {
    capacity = 256
    unsafe slots = Self.allocate(capacity)
    unsafe arena = .allocate(byteCount: Self.arenaCapacity, alignment: 8)
  }

  /// Frees the table; it must not be used afterwards.
  func release() {
    unsafe slots.deallocate()
    unsafe arena.deallocate()
  }

  /// Forgets the previous value's elements and goes back to ``Mode/streaming``.
  @inline(__always)
  mutating func reset() {
    mode = .streaming
    forgetElements()
  }

  /// Empties the table.
  @inline(__always)
  mutating func forgetElements() {
    used = 0
    stamp &+= 1
    if stamp == 0 {
      // After 2^32 values the stamps wrap: clear them once.
      unsafe slots.update(repeating: Self.emptySlot, count: capacity)
      stamp = 1
    }
  }

  /// Records `element`; returns false when it was already there. A string element must stay
  /// valid until ``reset()``.
  @inline(__always)
  mutating func insert(_ element: PackedElement) -> Bool {
    if element.isInteger { return insert(integer: element.integer) }
    return unsafe insert(element.string)
  }

  /// Records raw bytes; returns false when they (or the integer they spell) were already
  /// there. The bytes must stay valid until ``reset()``.
  @unsafe mutating func insert(_ bytes: UnsafeRawBufferPointer) -> Bool {
    if let integer = unsafe Self.canonicalInteger(bytes) { return insert(integer: integer) }
    guard mode == .streaming else {
      return unsafe offer(hasher.hash(bytes)) { unsafe $0.insertInTable(bytes) }
    }
    return unsafe insertInTable(bytes)
  }

  /// Records bytes that spell no integer in the table.
  @inline(__always)
  @unsafe private mutating func insertInTable(_ bytes: UnsafeRawBufferPointer) -> Bool {
    let hash = unsafe hasher.hash(bytes)
    let address = UInt64(UInt(bitPattern: bytes.baseAddress))
    var index = Int(truncatingIfNeeded: hash) & (capacity &- 1)
    while true {
      let slot = unsafe slots[index]
      if slot.stamp != stamp { break }
      if slot.hash == hash, !slot.isInteger, slot.length == bytes.count,
        unsafe Self.bytes(at: slot.payload, equal: bytes)
      {
        return false
      }
      index = (index &+ 1) & (capacity &- 1)
    }
    unsafe slots[index] = Slot(
      stamp: stamp, isInteger: false, hash: hash, length: bytes.count, payload: address)
    recordInsert()
    return true
  }

  @inline(__always)
  private mutating func insert(integer: Int64) -> Bool {
    let bits = UInt64(bitPattern: integer)
    let hash = hasher.hash(bits)
    guard mode == .streaming else { return offer(hash) { $0.insertInTable(integer: bits) } }
    return insertInTable(integer: bits, hash: hash)
  }

  @inline(__always)
  private mutating func insertInTable(integer bits: UInt64) -> Bool {
    insertInTable(integer: bits, hash: hasher.hash(bits))
  }

  @inline(__always)
  private mutating func insertInTable(integer bits: UInt64, hash: UInt64) -> Bool {
    var index = Int(truncatingIfNeeded: hash) & (capacity &- 1)
    while true {
      let slot = unsafe slots[index]
      if slot.stamp != stamp { break }
      if slot.isInteger, slot.payload == bits { return false }
      index = (index &+ 1) & (capacity &- 1)
    }
    unsafe slots[index] = Slot(stamp: stamp, isInteger: true, hash: hash, length: 0, payload: bits)
    recordInsert()
    return true
  }

  /// Moves the hashes of the elements in the table to ``hashes`` (as ``Mode/collecting``
  /// would have kept them) and empties the table.
  mutating func moveTableToHashes() {
    for index in 0..<capacity where unsafe slots[index].stamp == stamp {
      hashes.append(unsafe slots[index].hash)
    }
    forgetElements()
  }

  /// Keeps the table at most half full.
  @inline(__always)
  private mutating func recordInsert() {
    used &+= 1
    if used &* 2 > capacity { grow() }
  }

  @inline(never)
  private mutating func grow() {
    let old = unsafe slots
    let oldCapacity = capacity
    capacity = oldCapacity &* 2
    unsafe slots = Self.allocate(capacity)
    for index in 0..<oldCapacity {
      let slot = unsafe old[index]
      guard slot.stamp == stamp else { continue }
      var target = Int(truncatingIfNeeded: slot.hash) & (capacity &- 1)
      while unsafe slots[target].stamp == stamp { target = (target &+ 1) & (capacity &- 1) }
      unsafe slots[target] = slot
    }
    unsafe old.deallocate()
  }

  /// Whether the recorded string at `address` (of the same length) holds `bytes`.
  @unsafe private static func bytes(at address: UInt64, equal bytes: UnsafeRawBufferPointer)
    -> Bool
  {
    guard bytes.count > 0 else { return true }
    guard let other = unsafe UnsafeRawPointer(bitPattern: UInt(address)),
      let base = bytes.baseAddress
    else { return false }
    return unsafe memcmp(other, base, bytes.count) == 0
  }

  private static let emptySlot = Slot(stamp: 0, isInteger: false, hash: 0, length: 0, payload: 0)

  private static func allocate(_ capacity: Int) -> UnsafeMutablePointer<Slot> {
    let slots = UnsafeMutablePointer<Slot>.allocate(capacity: capacity)
    unsafe slots.initialize(repeating: emptySlot, count: capacity)
    return unsafe slots
  }

  /// The integer `bytes` spells in canonical decimal (as the server would have stored it), or
  /// nil; cheap for anything that does not start with a digit or `-`.
  @inline(__always)
  @unsafe private static func canonicalInteger(_ bytes: UnsafeRawBufferPointer) -> Int64? {
    guard bytes.count > 0, bytes.count <= 20 else { return nil }
    let first = unsafe bytes[0]
    guard first == UInt8(ascii: "-") || first &- 48 <= 9 else { return nil }
    return unsafe IntegerText.canonicalValue(RawSpan(_unsafeBytes: bytes))
  }
}
