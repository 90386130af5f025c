#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One value's elements, gathered while it is parsed, because the RDB format needs counts
/// and sizes before the elements. The writer buffers at most one value at a time; the storage
/// is kept from key to key, so after warm-up nothing is allocated per key.
///
/// Elements are byte strings in one arena of raw memory owned here; sorted-set scores, hash
/// field TTLs and stream structure sit beside them in parallel arrays. A buffer from
/// ``element(_:)`` stays valid until the next append or ``reset()``.
@safe final class ValueBuffer {
  private var storage: UnsafeMutableRawPointer
  private var capacity: Int
  private var used = 0
  /// The end offset of each element in the arena.
  private var ends: [Int] = []
  /// A sorted set's scores, one per member.
  var scores: [Double] = []
  /// A hash's field TTLs in Unix ms, one per field, 0 for none.
  var fieldExpiries: [Int64] = []
  /// Scratch for ``scoreOrder()``, kept from key to key.
  var order: [Int] = []
  /// The longest element so far.
  private(set) var longestElement = 0

  init() {
    capacity = 1 << 12
    guard let memory = unsafe malloc(capacity) else { fatalError("out of memory") }
    unsafe storage = memory
  }

  deinit {
    unsafe free(storage)
  }

  /// Empties the buffer, keeping its storage.
  func reset() {
    used = 0
    ends.removeAll(keepingCapacity: true)
    scores.removeAll(keepingCapacity: true)
    fieldExpiries.removeAll(keepingCapacity: true)
    longestElement = 0
  }

  /// The number of elements.
  var count: Int { ends.count }

  /// Appends one element; returns its index.
  @discardableResult
  func append(_ element: RawSpan) -> Int {
    let length = element.byteCount
    if used &+ length > capacity { grow(toFit: used &+ length) }
    unsafe element.withUnsafeBytes { source in
      if let base = source.baseAddress {
        unsafe (storage + used).copyMemory(from: base, byteCount: length)
      }
    }
    used &+= length
    ends.append(used)
    longestElement = max(longestElement, length)
    return ends.count &- 1
  }

  /// The length of element `index`.
  @inline(__always)
  func length(_ index: Int) -> Int {
    ends[index] &- (index == 0 ? 0 : ends[index &- 1])
  }

  /// Element `index`, valid until the next append or reset.
  @inline(__always)
  @unsafe func element(_ index: Int) -> UnsafeRawBufferPointer {
    let start = index == 0 ? 0 : ends[index &- 1]
    return unsafe UnsafeRawBufferPointer(start: storage + start, count: ends[index] &- start)
  }

  /// Whether elements `a` and `b` hold the same bytes.
  func elementsEqual(_ a: Int, _ b: Int) -> Bool {
    unsafe element(a).holdsSameBytes(as: element(b))
  }

  /// Grows with `realloc`, which for a large block moves its pages instead of copying them:
  /// a value of 1 GB does not need 2 GB while the buffer doubles.
  private func grow(toFit needed: Int) {
    var larger = capacity
    while larger < needed { larger = larger > Int.max / 2 ? needed : larger &* 2 }
    guard let moved = unsafe realloc(storage, larger) else { fatalError("out of memory") }
    unsafe storage = moved
    capacity = larger
  }
}
