/// Passes on the memory reports of keys at least `minimumBytes` large (`--min-size`).
public struct SizeFilter<Next: KeyMemoryConsumer>: KeyMemoryConsumer {
  /// The consumer of the reports that pass.
  public var next: Next
  /// The smallest estimated size kept.
  public let minimumBytes: Int

  /// Keeps reports of at least `minimumBytes` for `next`.
  public init(_ next: Next, minimumBytes: Int) {
    self.next = next
    self.minimumBytes = minimumBytes
  }

  public mutating func consume(_ report: KeyMemoryReport) throws(RDBError) {
    if report.sizeInBytes >= minimumBytes { try next.consume(report) }
  }

  public mutating func snapshotTime(_ time: Int64) { next.snapshotTime(time) }

  public static var needsLargestElementLength: Bool { Next.needsLargestElementLength }
  public static var readsEveryPackedElement: Bool { Next.readsEveryPackedElement }
}
