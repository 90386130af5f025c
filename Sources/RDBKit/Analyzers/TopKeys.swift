/// The `limit` largest keys by estimated size, kept in a bounded min-heap.
///
/// Memory stays O(limit) however many keys a file has: each report either replaces the
/// smallest kept one or is dropped. Ties keep the key seen first.
///
///     var top = TopKeys(limit: 10)
///     var estimator = MemoryEstimator(consumer: top)
///     try RDBParser().parse(path: "dump.rdb", into: &estimator)
///     for report in estimator.consumer.largestFirst() { print(report.sizeInBytes) }
public struct TopKeys: KeyMemoryConsumer, Sendable {
  /// How many keys are kept.
  public let limit: Int
  /// A min-heap on (size, then later arrival first), so the root is the first to evict.
  private var heap: [(report: KeyMemoryReport, order: Int)] = []
  private var arrivals = 0

  /// Keeps the `limit` largest keys (none when `limit` is 0 or less).
  public init(limit: Int) {
    self.limit = max(0, limit)
    heap.reserveCapacity(min(self.limit, 1 << 16))
  }

  /// Packed values are measured in place (``KeyMemoryConsumer/readsEveryPackedElement``).
  public static var readsEveryPackedElement: Bool { false }

  /// Offers a report.
  ///
  /// - Complexity: O(log limit).
  public mutating func consume(_ report: KeyMemoryReport) throws(RDBError) {
    insert(report)
  }

  /// Whether ``insert(_:)`` would keep `report`: not when the heap is full and `report` is no
  /// bigger than the smallest kept (on a tie the kept one came first).
  @inline(__always)
  func wouldKeep(_ report: KeyMemoryReport) -> Bool {
    heap.count < limit || (!heap.isEmpty && report.sizeInBytes > heap[0].report.sizeInBytes)
  }

  /// Offers a report.
  ///
  /// - Complexity: O(log limit).
  @inline(__always)
  public mutating func insert(_ report: KeyMemoryReport) {
    arrivals += 1
    // Most reports are dropped: decided here, before a call or a copy.
    guard wouldKeep(report) else { return }
    keep(report)
  }

  /// Puts `report`, which ``wouldKeep(_:)`` accepts, in the heap.
  @inline(never)
  private mutating func keep(_ report: KeyMemoryReport) {
    let item = (report: report, order: arrivals)
    if heap.count < limit {
      heap.append(item)
      siftUp(heap.count - 1)
    } else if let root = heap.first, Self.isBefore(root, item) {
      heap[0] = item
      siftDown(0)
    }
  }

  /// Adds another shard's top keys; the result is the top `limit` of both.
  ///
  /// - Complexity: O(other.limit × log limit).
  public mutating func merge(_ other: TopKeys) {
    for report in other.largestFirst() { insert(report) }
  }

  /// The kept reports, largest first (ties in arrival order).
  ///
  /// - Complexity: O(limit × log limit).
  public func largestFirst() -> [KeyMemoryReport] {
    heap.sorted { Self.isBefore($1, $0) }.map(\.report)
  }

  /// Whether `lhs` ranks below `rhs`: smaller, or the same size and seen later.
  private static func isBefore(
    _ lhs: (report: KeyMemoryReport, order: Int), _ rhs: (report: KeyMemoryReport, order: Int)
  ) -> Bool {
    if lhs.report.sizeInBytes != rhs.report.sizeInBytes {
      return lhs.report.sizeInBytes < rhs.report.sizeInBytes
    }
    return lhs.order > rhs.order
  }

  private mutating func siftUp(_ start: Int) {
    var child = start
    while child > 0 {
      let parent = (child - 1) / 2
      guard Self.isBefore(heap[child], heap[parent]) else { return }
      heap.swapAt(child, parent)
      child = parent
    }
  }

  private mutating func siftDown(_ start: Int) {
    var parent = start
    while true {
      var smallest = parent
      for child in [2 * parent + 1, 2 * parent + 2]
      where child < heap.count && Self.isBefore(heap[child], heap[smallest]) {
        smallest = child
      }
      guard smallest != parent else { return }
      heap.swapAt(parent, smallest)
      parent = smallest
    }
  }
}
