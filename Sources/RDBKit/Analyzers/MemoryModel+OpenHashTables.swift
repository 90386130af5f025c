import Foundation

/// Valkey 9's `hashtable` (hashtable.c), which holds the elements of sets, hashes and sorted
/// sets: 64-byte buckets of 7 element pointers, a table of a power of two of them, and a
/// separately allocated child bucket for each 6 elements a full bucket overflows by.
///
/// `MEMORY USAGE` counts every top-level and child bucket (`hashtableMemUsage`). A table is
/// sized for `n` elements as `nextpow2(ceil(5n / 32))` buckets (a fill of at most 7/8 of the
/// slots); it grows, to the size for its element count, when an insert finds it full, and
/// moves one bucket chain to the new table per lookup. Which bucket an element lands in
/// depends on the server's random hash seed, so the child buckets are the expectation for
/// elements spread at random.
extension MemoryModel {
  /// The buckets (top-level and expected children) of a table of `count` elements.
  struct OpenTableShape: Equatable {
    /// Top-level buckets, of both tables while a rehash is in progress.
    var buckets: Int
    /// Expected child buckets.
    var children: Double

    /// What `hashtableMemUsage` adds for them: 64 bytes each.
    var cost: Double { 64 * (Double(buckets) + children) }
  }

  /// `nextBucketExp`: the buckets a table sized for `capacity` elements gets.
  static func openTableBuckets(forCapacity capacity: Int) -> Int {
    guard capacity > 0 else { return 0 }
    let needed = (capacity * 5 - 1) / 32 + 1
    var buckets = 1
    while buckets < needed { buckets <<= 1 }
    return buckets
  }

  /// The table of a value holding `count` elements: sized once for `count` when the value was
  /// loaded from a file (or created by one command), else grown as commands added elements
  /// after the compact encoding converted (see ``builtTable(count:type:allIntegers:allShort:)``
  /// for where that happens).
  func openTable(count: Int, type: DataType, allIntegers: Bool, loaded: Bool) -> OpenTableShape {
    guard count > 0 else { return OpenTableShape(buckets: 0, children: 0) }
    var buckets = Self.openTableBuckets(forCapacity: count)
    guard !loaded, count > 128 else {
      return OpenTableShape(buckets: buckets, children: expectedChildren(count, buckets))
    }
    // Where the compact encoding converted, the table was sized for the elements it had.
    let converted: Int
    switch type {
    case .set: converted = allIntegers ? min(count, 513) : 129
    case .hash: converted = min(count, 513)
    default: converted = 129
    }
    buckets = Self.openTableBuckets(forCapacity: converted)
    var grownAt = 0
    var previous = 0
    while count > 7 * buckets {
      grownAt = 7 * buckets + 1
      previous = buckets
      buckets = Self.openTableBuckets(forCapacity: grownAt)
    }
    // Each insert after the growth looks its element up first, which moves one old bucket.
    let stillRehashing = previous > 0 && count - grownAt < previous
    let total = buckets + (stillRehashing ? previous : 0)
    return OpenTableShape(buckets: total, children: expectedChildren(count, buckets))
  }

  /// The expected child buckets when `count` elements fall at random into `buckets` buckets: a
  /// bucket of k > 7 elements has ceil((k - 7) / 6) children (a chained bucket keeps 6 and its
  /// last child up to 7).
  func expectedChildren(_ count: Int, _ buckets: Int) -> Double {
    guard buckets > 0, count > 7 else { return 0 }
    // Poisson with the table's mean fill: elements per bucket are binomial(count, 1/buckets).
    let mean = Double(count) / Double(buckets)
    var probability = Foundation.exp(-mean)
    var expected = 0.0
    var k = 0
    while k < 64 {
      if k > 7 { expected += probability * Double((k - 7 + 5) / 6) }
      k += 1
      probability *= mean / Double(k)
    }
    return expected * Double(buckets)
  }
}
