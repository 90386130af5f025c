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
/// The table is in two parts over memory it owns and reuses from value to value: the elements
/// recorded, in order (a string's address and length, or an integer, with the hash), and an
/// open-addressed index of 4-byte slots, each 16 bits of an element's hash beside its place in
/// that list, at most a quarter full. A probe reads only the index, so the memory it touches
/// at random is 4 bytes a slot: the index of the largest value checked in the table (16,384
/// elements) takes 256 KiB and stays in the core's cache, where slots holding the whole
/// element took 1 MiB and made the first probe of each element a cache miss (three quarters
/// of the check's time on `zsets.rdb`); and an element not there (most are) seldom probes a
/// second slot, a branch the processor mispredicted often with the 8-byte slots half full it
/// had before. Each value starts from a small index, grown as it fills, so a small
/// value after a large one probes a few cache lines; forgetting a value clears only the slots
/// it used. After warm-up the check allocates nothing. Elements are hashed with a
/// ``SeededHash``, so a crafted file cannot choose colliding elements. The caller frees the
/// table with ``release()``, exactly once.
///
/// The table takes 48 to 64 bytes per element, so it is used only for values small enough
/// that this stays small (``streamingLimit``). A larger value is checked in passes in bounded
/// memory (see `DuplicateCheck+Passes.swift`): its elements' 8-byte hashes are sorted, and
/// only the hashes that repeat are checked exactly, in the table, in a further pass. A value
/// read element by element (a hash table or skip list) is checked as it is read, its elements
/// copied for the table while they are few (see `DuplicateCheck+Elements.swift`).
@safe struct DuplicateCheck {
  /// One recorded element.
  private struct Entry {
    var hash: UInt64
    /// The integer's bit pattern, or the string's address.
    var payload: UInt64
    /// The string's length, or -1 for an integer.
    var length: Int
    /// The index slot that names this entry.
    var slot: Int
  }

  /// The index: 0 for an empty slot, else the top bits of an element's hash (``tagMask``)
  /// over its entry's number plus one (``numberMask``).
  private var slots: UnsafeMutablePointer<UInt32>
  private var slotCapacity: Int
  /// The number of slots the current value's index spans, less one (a power of two less one).
  private var mask: Int
  private var entries: UnsafeMutablePointer<Entry>
  private var entryCapacity: Int
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
  /// The header count from which a value read element by element is checked by its
  /// elements' hashes from the first one (as past ``elementTableLimit``), not in the table;
  /// `Int.max` (the default): never. See ``RDBParser/hashesLargeValues``.
  var hashesElementsFrom = Int.max

  /// The bits of a slot that hold an entry's number plus one: the low 16 while there are
  /// fewer than 65,535 entries (always, but for hash collisions in a verifying pass), then
  /// 24, then all 32 (``widenNumbers()``).
  private var numberMask: UInt32 = 0xFFFF
  /// The other bits of a slot: the top bits of the element's hash, compared before its entry
  /// is read.
  private var tagMask: UInt32 = 0xFFFF_0000

  /// The index size each value starts with: 1 KiB, in the first-level cache.
  private static let initialSlots = 256
  /// The index is kept at most a quarter full: an element not there (most are) then finds an
  /// empty first slot three times in four or more, so the probe loop seldom turns.
  private static let slotsPerElement = 4

  /// An empty table.
  init() {
    slotCapacity = Self.initialSlots
    mask = Self.initialSlots &- 1
    unsafe slots = .allocate(capacity: slotCapacity)
    unsafe slots.initialize(repeating: 0, count: slotCapacity)
    entryCapacity = Self.initialSlots / 2
    unsafe entries = .allocate(capacity: entryCapacity)
    unsafe arena = .allocate(byteCount: Self.arenaCapacity, alignment: 8)
  }

  /// Frees the table; it must not be used afterwards.
  func release() {
    unsafe slots.deallocate()
    unsafe entries.deallocate()
    unsafe arena.deallocate()
  }

  /// Forgets the previous value's elements and goes back to ``Mode/streaming``.
  @inline(__always)
  mutating func reset() {
    mode = .streaming
    forgetElements()
  }

  /// Empties the table: clears the slots in use, and goes back to the initial index size.
  @inline(__always)
  mutating func forgetElements() {
    if used &* 16 < mask {
      for index in 0..<used { unsafe slots[entries[index].slot] = 0 }
    } else {
      unsafe slots.update(repeating: 0, count: mask &+ 1)
    }
    used = 0
    mask = Self.initialSlots &- 1
    numberMask = 0xFFFF
    tagMask = 0xFFFF_0000
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

  /// Records text as it is, never as the integer it may spell, in ``Mode/streaming``;
  /// returns false when it was already there. For a value whose elements all arrive as text
  /// (a hash table or skip list, whose integer-encoded strings are rendered in canonical
  /// decimal), where equal text is the only equality: a member `123` stored as an integer and
  /// one stored as text are the same bytes, and are found equal without parsing either. The
  /// bytes must stay valid until ``reset()``. Not inlined: the element loops that call it
  /// stay small enough to inline their own steps.
  @inline(never)
  @unsafe mutating func insertStreamingText(_ bytes: UnsafeRawBufferPointer) -> Bool {
    unsafe insertInTable(bytes)
  }

  /// ``insertStreamingText(_:)`` of bytes that do not stay valid, copied into the arena
  /// first: the caller has checked that it has room (it holds at most the value's element
  /// bytes so far, see `DuplicateCheck+Elements.swift`).
  @inline(never)
  @unsafe mutating func insertCopiedText(_ bytes: UnsafeRawBufferPointer) -> Bool {
    let copy = unsafe arena.baseAddress.unsafelyUnwrapped + arenaUsed
    if let source = bytes.baseAddress {
      unsafe copy.copyMemory(from: source, byteCount: bytes.count)
    }
    arenaUsed &+= bytes.count
    return unsafe insertInTable(UnsafeRawBufferPointer(start: copy, count: bytes.count))
  }

  /// Keeps the hash of text (as ``insertStreamingText(_:)`` would record it, in
  /// ``Mode/collecting`` of one partition with no limit, which a value read element by
  /// element uses).
  @inline(__always)
  @unsafe mutating func collect(_ bytes: UnsafeRawBufferPointer) {
    unsafe hashes.append(hasher.hash(bytes))
  }

  /// Records bytes that spell no integer in the table.
  @inline(__always)
  @unsafe private mutating func insertInTable(_ bytes: UnsafeRawBufferPointer) -> Bool {
    let hash = unsafe hasher.hash(bytes)
    let tag = UInt32(truncatingIfNeeded: hash >> 32) & tagMask
    var index = Int(truncatingIfNeeded: hash) & mask
    while true {
      let slot = unsafe slots[index]
      if slot == 0 { break }
      if slot & tagMask == tag {
        let entry = unsafe entries[Int(truncatingIfNeeded: slot & numberMask) &- 1]
        if entry.hash == hash, entry.length == bytes.count,
          unsafe Self.bytes(at: entry.payload, equal: bytes)
        {
          return false
        }
      }
      index = (index &+ 1) & mask
    }
    let address = UInt64(UInt(bitPattern: bytes.baseAddress))
    record(Entry(hash: hash, payload: address, length: bytes.count, slot: index))
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
    let tag = UInt32(truncatingIfNeeded: hash >> 32) & tagMask
    var index = Int(truncatingIfNeeded: hash) & mask
    while true {
      let slot = unsafe slots[index]
      if slot == 0 { break }
      if slot & tagMask == tag {
        let entry = unsafe entries[Int(truncatingIfNeeded: slot & numberMask) &- 1]
        if entry.length < 0, entry.payload == bits { return false }
      }
      index = (index &+ 1) & mask
    }
    record(Entry(hash: hash, payload: bits, length: -1, slot: index))
    return true
  }

  /// Moves the hashes of the elements in the table to ``hashes`` (as ``Mode/collecting``
  /// would have kept them) and empties the table.
  mutating func moveTableToHashes() {
    for index in 0..<used { hashes.append(unsafe entries[index].hash) }
    forgetElements()
  }

  /// Appends `entry` and points its slot at it, keeping the index at most a quarter full.
  @inline(__always)
  private mutating func record(_ entry: Entry) {
    if used == entryCapacity { growEntries() }
    if UInt32(truncatingIfNeeded: used) == numberMask { widenNumbers() }
    unsafe entries[used] = entry
    used &+= 1
    unsafe slots[entry.slot] =
      UInt32(truncatingIfNeeded: entry.hash >> 32) & tagMask | UInt32(truncatingIfNeeded: used)
    if used &* Self.slotsPerElement > mask &+ 1 { growIndex(to: (mask &+ 1) &* 2) }
  }

  /// Gives entry numbers 8 more bits of each slot, and tags 8 fewer, and files every entry
  /// again; for a table of 65,535 entries or more.
  @inline(never)
  private mutating func widenNumbers() {
    // `used` stays below 2^32: each entry takes 32 bytes.
    numberMask = numberMask == 0xFFFF ? 0xFF_FFFF : 0xFFFF_FFFF
    tagMask = ~numberMask
    growIndex(to: mask &+ 1)
  }

  /// Sizes the empty table for `count` elements at once, so that the index is not grown and
  /// refilled as they come.
  mutating func reserve(_ count: Int) {
    let wanted = count &* Self.slotsPerElement
    guard used == 0, wanted > mask &+ 1 else { return }
    var size = mask &+ 1
    while size < wanted { size &*= 2 }
    growIndex(to: size)
    while entryCapacity < count { growEntries() }
  }

  @inline(never)
  private mutating func growEntries() {
    let old = unsafe entries
    entryCapacity &*= 2
    unsafe entries = .allocate(capacity: entryCapacity)
    unsafe entries.moveInitialize(from: old, count: used)
    unsafe old.deallocate()
  }

  /// Widens the current value's index to `count` slots (a larger power of two), within the
  /// slots allocated when they suffice, and files every entry again.
  @inline(never)
  private mutating func growIndex(to count: Int) {
    if count > slotCapacity {
      unsafe slots.deallocate()
      slotCapacity = count
      unsafe slots = .allocate(capacity: slotCapacity)
      unsafe slots.initialize(repeating: 0, count: slotCapacity)
    } else {
      // Slots past the old size are empty: only the old part holds anything.
      unsafe slots.update(repeating: 0, count: mask &+ 1)
    }
    mask = count &- 1
    for number in 0..<used {
      let hash = unsafe entries[number].hash
      var index = Int(truncatingIfNeeded: hash) & mask
      while unsafe slots[index] != 0 { index = (index &+ 1) & mask }
      unsafe slots[index] =
        UInt32(truncatingIfNeeded: hash >> 32) & tagMask | UInt32(truncatingIfNeeded: number &+ 1)
      unsafe entries[number].slot = index
    }
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
