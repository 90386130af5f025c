/// A ``KeyMemoryConsumer`` that keeps every report in an array.
///
/// Memory grows with the number of keys: use it for tests and small files, and ``TopKeys``
/// when only the largest matter.
public struct KeyMemoryCollector: KeyMemoryConsumer, Sendable {
  /// The reports, in file order.
  public private(set) var reports: [KeyMemoryReport] = []

  /// Creates an empty collector.
  public init() {}

  public mutating func consume(_ report: KeyMemoryReport) throws(RDBError) {
    reports.append(report)
  }
}
