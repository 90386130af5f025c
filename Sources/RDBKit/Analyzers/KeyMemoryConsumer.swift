/// Receives each key's memory estimate from ``MemoryEstimator``, in file order.
///
/// ``TopKeys`` keeps the largest; ``KeyMemoryCollector`` keeps every report; the `rdbtool`
/// writer streams them out.
public protocol KeyMemoryConsumer {
  /// Whether the consumer reads ``KeyMemoryReport/largestElementLength`` of values stored
  /// packed (ziplists, listpacks, intsets, zipmaps, quicklists, streams). One that returns
  /// false, and whose estimator does not estimate `--as-loaded`, lets ``MemoryEstimator``
  /// count such values' elements from their blobs' headers, without decompressing or walking
  /// them (``RDBHandler/needsPackedElements``); their largest element is then reported as 0.
  /// One that returns true has them decompressed and walked in place, their elements measured
  /// but not reported one by one (``RDBHandler/needsPackedElementLengths``). The default is
  /// true.
  static var needsLargestElementLength: Bool { get }
  /// Whether the estimator is given every element of values stored packed, one by one, as an
  /// estimate `--as-loaded` needs (``ReadingPackedElements``). A consumer that returns false
  /// (and reads the largest element) gets the same reports from blobs measured in place. The
  /// default is ``needsLargestElementLength``.
  static var readsEveryPackedElement: Bool { get }
  /// Takes one finished key's report.
  mutating func consume(_ report: KeyMemoryReport) throws(RDBError)
  /// Learns when the file was written (its `ctime`, Unix ms), before the keys.
  mutating func snapshotTime(_ time: Int64)
}

extension KeyMemoryConsumer {
  public static var needsLargestElementLength: Bool { true }
  public static var readsEveryPackedElement: Bool { needsLargestElementLength }
  public mutating func snapshotTime(_ time: Int64) {}
}

/// Passes every report to `next`, and has the estimator read every packed element whatever
/// `next` needs: for an estimate `--as-loaded`, which converts values by their elements.
public struct ReadingPackedElements<Next: KeyMemoryConsumer>: KeyMemoryConsumer {
  /// The consumer of the reports.
  public var next: Next

  /// Passes reports to `next`.
  public init(_ next: Next) { self.next = next }

  public static var readsEveryPackedElement: Bool { true }

  public mutating func consume(_ report: KeyMemoryReport) throws(RDBError) {
    try next.consume(report)
  }

  public mutating func snapshotTime(_ time: Int64) { next.snapshotTime(time) }
}
