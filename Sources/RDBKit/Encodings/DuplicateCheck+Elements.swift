/// The repeat check of a value read element by element: a set, hash or sorted set stored as a
/// hash table or skip list, whose fields or members a loading server puts in a dictionary
/// (and refuses the file at the second insert of one).
///
/// Its elements all arrive as text, integer-encoded ones rendered in canonical decimal, so they
/// are compared as text (``insertStreamingText(_:)``), never parsed as integers.
///
/// Such a value's size is known only at its end. While it is small (``elementTableLimit``
/// elements of ``elementBytesLimit`` bytes in all), each element is checked exactly in the
/// table as soon as it is read: in place when its bytes stay valid (a raw string of a mapped
/// file), else copied into the arena first (a stream's buffer, a decompressed string). The
/// limits do not depend on where the bytes are, so every path checks a value the same way
/// and reports a repeat at the same byte. Past them, its elements' 8-byte hashes are
/// kept, as in ``Mode/collecting``, and sorted whenever their number has doubled and at the
/// value's end; equal hashes are a repeat. Two different elements of a value of *n* elements
/// are taken for a repeat only when their 64-bit hashes (seeded per parse) collide, with a
/// probability under *n*²/2⁶⁵ (3 in a million for 10 million elements).
///
/// Memory: the table and the arena are bounded, the hashes are 8 bytes an element. Every
/// sort that finds no repeat proves that many distinct elements were read, which take two
/// bytes each at the least in the file (and a few more once there are many), so the hashes
/// stay within a small multiple of the value's size however many repeats follow.
extension DuplicateCheck {
  /// What ``insertElement(_:stable:)`` found.
  enum ElementCheck {
    /// The element is new.
    case new
    /// The element equals one recorded before it.
    case repeated
    /// Two of the elements recorded so far, this one included, have the same hash.
    case repeatedHash
  }

  /// The most elements a value checks exactly in the table (which then takes 1 MiB).
  static let elementTableLimit = 16_384
  /// The most bytes of elements a value checks exactly in the table; the arena's size.
  static let elementBytesLimit = 256 << 10
  static let arenaCapacity = elementBytesLimit
  /// The number of hashes collected before they are first sorted.
  static let firstCheckpoint = 4096
  /// The same for a value hashed from its first element (512 KiB of hashes).
  static let hashedFirstCheckpoint = 1 << 16

  /// Starts a value read element by element, of `count` elements as its header says (the
  /// table is sized for as many of them as it checks, so it is not grown as they come).
  mutating func beginElements(expecting count: UInt64) {
    reset()
    elementCount = 0
    elementBytes = 0
    arenaUsed = 0
    if count >= UInt64(hashesElementsFrom) {
      // Hashed from the first element, and sorted once at the end up to
      // ``hashedFirstCheckpoint`` elements (then whenever their number has doubled, which
      // bounds the memory of a value that repeats one element many times).
      beginCollecting(partition: 0, of: 1, limit: .max)
      nextCheckpoint = Self.hashedFirstCheckpoint
      return
    }
    reserve(Int(min(count, UInt64(Self.elementTableLimit))))
  }

  /// Starts a value read element by element, of `count` elements, whose elements are only
  /// hashed (``collect(_:)``) and compared at its end (``endElements()``), where equal hashes
  /// are taken for a repeat: for a reader that names a repeat by checking the value again
  /// with ``beginElements(expecting:)``. The hashes of a value the table would take (up to
  /// ``elementTableLimit`` elements) are written in order and compared in buckets the core
  /// keeps close, where the table's index is probed at random.
  mutating func beginHashedElements(expecting count: Int) {
    reset()
    beginCollecting(partition: 0, of: 1, limit: .max)
    hashes.reserveCapacity(count)
  }

  /// Records an element of the value; `stable` when its bytes stay valid until the value
  /// ends, else they are copied.
  @inline(__always)
  @unsafe mutating func insertElement(_ bytes: UnsafeRawBufferPointer, stable: Bool)
    -> ElementCheck
  {
    // Most elements: checked in the table, in place (a mapped file's) or copied into the
    // arena (a stream's, a decompressed string, an integer's text). Only the test is inlined
    // into the element loops.
    if mode == .streaming, elementCount < Self.elementTableLimit,
      bytes.count <= Self.elementBytesLimit &- elementBytes
    {
      elementCount &+= 1
      elementBytes &+= bytes.count
      if stable { return unsafe insertStreamingText(bytes) ? .new : .repeated }
      return unsafe insertCopiedText(bytes) ? .new : .repeated
    }
    return unsafe insertOtherElement(bytes)
  }

  /// ``insertElement(_:stable:)`` of an element past the table's limits: its hash is kept.
  @inline(never)
  @unsafe private mutating func insertOtherElement(_ bytes: UnsafeRawBufferPointer)
    -> ElementCheck
  {
    elementCount &+= 1
    if mode == .streaming { startCollectingElements() }
    unsafe collect(bytes)
    guard hashes.count >= nextCheckpoint else { return .new }
    nextCheckpoint = hashes.count &* 2
    return sortedHashesRepeat() ? .repeatedHash : .new
  }

  /// Ends the value; returns false when the last hashes sorted hold a repeat.
  mutating func endElements() -> Bool {
    defer { reset() }
    guard mode == .collecting else { return true }
    defer {
      // Values hashed from their first element come one after another: the memory of up to
      // ``hashedFirstCheckpoint`` hashes is kept for the next one.
      if hashes.capacity <= Self.hashedFirstCheckpoint {
        hashes.removeAll(keepingCapacity: true)
      } else {
        endPasses()
      }
    }
    return !sortedHashesRepeat()
  }

  /// Goes from the table to hashes, keeping those of the elements recorded so far.
  @inline(never)
  private mutating func startCollectingElements() {
    beginCollecting(partition: 0, of: 1, limit: .max)
    moveTableToHashes()
    nextCheckpoint = max(Self.firstCheckpoint, hashes.count &* 2)
  }

  /// Whether two of the hashes are equal.
  ///
  /// The hashes are spread evenly (they are seeded hashes), so they are put in buckets by
  /// their top bits, about 128 a bucket (a few hundred buckets at most for a value the exact
  /// table did not take: the bucket starts stay in the first-level cache, and the hashes are
  /// written to each bucket in order), and each bucket's hashes are put in a small
  /// open-addressed table by their low bits, which meets any two equal hashes: two passes
  /// over them and about one probe each, in memory the core keeps close. Buckets of about
  /// four hashes each, sorted by insertion, had their starts and their hashes written at
  /// random across the whole copy (the repeat check of a rewrite's read-back spent most of
  /// its time there). More than ``bucketedLimit`` hashes are sorted in place instead, so the
  /// copy and the bucket starts stay within tens of megabytes.
  /// - Complexity: O(*n*) expected, O(*n* log *n*) past ``bucketedLimit``.
  private mutating func sortedHashesRepeat() -> Bool {
    let count = hashes.count
    guard count > 1 else { return false }
    guard count <= Self.bucketedLimit else {
      hashes.sort()
      var index = 1
      while index < count {
        if hashes[index] == hashes[index &- 1] { return true }
        index &+= 1
      }
      return false
    }
    var bits = 0
    while count >> bits > 128 { bits &+= 1 }
    let shift = UInt64(64 &- bits)
    // Bucket `b` is `bucketed[starts[b - 1]..<starts[b]]` once the hashes are placed.
    var starts = [Int](repeating: 0, count: (1 << bits) &+ 1)
    var bucketed = [UInt64](repeating: 0, count: count)
    return unsafe hashes.withUnsafeBufferPointer { hashes in
      unsafe starts.withUnsafeMutableBufferPointer { starts in
        unsafe bucketed.withUnsafeMutableBufferPointer { bucketed in
          for hash in unsafe hashes {
            unsafe starts[Int(truncatingIfNeeded: hash >> shift) &+ 1] &+= 1
          }
          var total = 0
          var largest = 0
          for bucket in unsafe starts.indices {
            largest = unsafe max(largest, starts[bucket])
            total &+= unsafe starts[bucket]
            unsafe starts[bucket] = total
          }
          for hash in unsafe hashes {
            let bucket = Int(truncatingIfNeeded: hash >> shift)
            unsafe bucketed[starts[bucket]] = hash
            unsafe starts[bucket] &+= 1
          }
          // A table of at least twice the largest bucket's slots; 0 marks an empty slot, so
          // a hash of 0 is noted apart.
          var capacity = 16
          while capacity < largest &* 2 { capacity &*= 2 }
          return unsafe withUnsafeTemporaryAllocation(of: UInt64.self, capacity: capacity) {
            table in
            var low = 0
            for bucket in 0..<(1 << bits) {
              let high = unsafe starts[bucket]
              defer { low = high }
              guard high &- low > 1 else { continue }
              var size = 16
              while size < (high &- low) &* 2 { size &*= 2 }
              let mask = size &- 1
              unsafe UnsafeMutableBufferPointer(rebasing: table[..<size]).update(repeating: 0)
              var sawZero = false
              for index in low..<high {
                let hash = unsafe bucketed[index]
                if hash == 0 {
                  if sawZero { return true }
                  sawZero = true
                  continue
                }
                var slot = Int(truncatingIfNeeded: hash) & mask
                while true {
                  let held = unsafe table[slot]
                  if held == 0 {
                    unsafe table[slot] = hash
                    break
                  }
                  if held == hash { return true }
                  slot = (slot &+ 1) & mask
                }
              }
            }
            return false
          }
        }
      }
    }
  }

  /// The most hashes ``sortedHashesRepeat()`` puts in buckets (a copy of 32 MiB, 8 MiB of
  /// bucket starts).
  static let bucketedLimit = 1 << 22
}
