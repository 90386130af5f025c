/// Receives each key's memory estimate from ``MemoryEstimator``, in file order.
///
/// ``TopKeys`` keeps the largest; ``KeyMemoryCollector`` keeps every report; the `rdbtool`
/// writer streams them out.
public protocol KeyMemoryConsumer {
  /// Takes one finished key's report.
  mutating func consume(_ report: KeyMemoryReport) throws(RDBError)
  /// Learns when the file was written (its `ctime`, Unix ms), before the keys.
  mutating func snapshotTime(_ time: Int64)
}

extension KeyMemoryConsumer {
  public mutating func snapshotTime(_ time: Int64) {}
}
