/// Packed values measured on a second core (``measuresOnSecondCore``).
///
/// The longest element of a value stored packed (the `len_largest_element` column) needs its
/// blob decompressed, walked and its repeats checked: most of the parse's time on files of
/// small aggregates. With a second core, the parser hands each LZF-compressed ziplist and
/// listpack blob over undecoded (``RDBHandler/packedBlobAside(_:)``) to a
/// ``PackedBlobWorker``, a batch at a time, and reads on; when the worker is still busy with
/// the batch before, the parser measures the blob itself, so the two threads share the work.
///
/// A blob's longest element only feeds its key's report (never the size, which the blob's
/// length and header count give), so a report is finished but for that figure: reports wait,
/// in file order, until their blobs are measured, and go to the consumer in that order. A
/// damaged blob stops the reports at its key and its error is thrown, as when the parser meets
/// it; an error the parser meets later first is preceded by the blobs before it
/// (``RDBHandler/finishPackedBlobsAside()``), and the parse that fails is run again by the
/// parser to name the first damage as a whole decode does.
extension MemoryEstimator {
  /// The most reports held for their blobs before the parse waits for the worker.
  static var pendingReportLimit: Int { 8192 }
  /// How far the parse may read past the oldest blob not yet measured before it waits for the
  /// worker: the parser releases a mapped file's pages 4 MiB behind its read position
  /// (``ByteSource``), and a page the worker reads after that would stay resident.
  static var lagLimit: Int { 2 << 20 }

  public static var measuresPackedBlobsAside: Bool { needsPackedElementLengths }

  public mutating func takesPackedBlobAside() throws(RDBError) -> Bool {
    guard measuresOnSecondCore else { return false }
    guard let worker = aside.worker else {
      guard PackedBlobWorker.hasSecondCore, let started = PackedBlobWorker() else {
        measuresOnSecondCore = false
        return false
      }
      aside.worker = started
      return true
    }
    if worker.filling.count < PackedBlobWorker.batchSize { return true }
    guard worker.pollIdle() else { return false }
    try collectMeasuredBlobs(worker)
    worker.handOver()
    return true
  }

  public mutating func packedBlobAside(_ blob: PackedBlobAside) throws(RDBError) {
    guard let worker = aside.worker else { return }
    worker.filling.append(
      PackedBlobWorker.Job(blob: blob, report: aside.base + aside.reports.count))
    aside.keyBlobs += 1
    aside.blobsTaken += 1
    if let oldest = worker.oldestOrigin, blob.origin - oldest > Self.lagLimit {
      try drainMeasuredBlobs(worker)
    }
  }

  public mutating func finishPackedBlobsAside() throws(RDBError) -> [RDBWarning] {
    guard let worker = aside.worker else { return [] }
    defer {
      worker.stop()
      aside.worker = nil
    }
    try drainMeasuredBlobs(worker)
    return aside.warnings
  }

  /// Passes `report` to the consumer, or holds it (and those after it) until its blobs are
  /// measured.
  /// `offset` is the key's record offset.
  mutating func deliverAside(_ report: KeyMemoryReport, offset: Int) throws(RDBError) {
    guard let worker = aside.worker, aside.keyBlobs > 0 || aside.first < aside.reports.count
    else { return try consumer.consume(report) }
    aside.reports.append(report)
    aside.waiting.append(aside.keyBlobs)
    aside.keyBlobs = 0
    if aside.reports.count - aside.first > Self.pendingReportLimit
      || offset - (worker.oldestOrigin ?? offset) > Self.lagLimit
    {
      try drainMeasuredBlobs(worker)
    }
  }

  /// Measures every blob taken and passes every report held.
  private mutating func drainMeasuredBlobs(_ worker: PackedBlobWorker) throws(RDBError) {
    worker.waitUntilIdle()
    try collectMeasuredBlobs(worker)
    guard !worker.filling.isEmpty else { return }
    worker.handOver()
    worker.waitUntilIdle()
    try collectMeasuredBlobs(worker)
  }

  /// Takes the results of the batch the idle worker measured: each blob's longest element
  /// into its report (or the current key's), the warnings with their keys; passes the
  /// reports now finished, and throws the damage the batch found.
  private mutating func collectMeasuredBlobs(_ worker: PackedBlobWorker) throws(RDBError) {
    guard worker.hasResults else { return }
    worker.forgetResults()
    let current = aside.base + aside.reports.count
    for (index, largest) in worker.results.enumerated() {
      let report = worker.measured[index].report
      if report == current {
        if largest > self.largest { self.largest = largest }
        aside.keyBlobs -= 1
      } else {
        let slot = report - aside.base
        if largest > aside.reports[slot].largestElementLength {
          aside.reports[slot].largestElementLength = largest
        }
        aside.waiting[slot] -= 1
      }
    }
    for (warning, report) in worker.newWarnings {
      var named = warning
      named.key = keyName(of: report)
      aside.warnings.append(named)
    }
    try passFinishedReports()
    if let failure = worker.failure {
      var error = failure.error
      error.key = keyName(of: worker.measured[failure.index].report)
      throw error
    }
  }

  /// Passes the held reports, in order, up to the first whose blobs are not all measured.
  private mutating func passFinishedReports() throws(RDBError) {
    while aside.first < aside.reports.count, aside.waiting[aside.first] == 0 {
      try consumer.consume(aside.reports[aside.first])
      aside.first += 1
    }
    if aside.first == aside.reports.count, aside.first > 0 {
      aside.base += aside.first
      aside.first = 0
      aside.reports.removeAll(keepingCapacity: true)
      aside.waiting.removeAll(keepingCapacity: true)
    }
  }

  /// The name of the key of report `number`, held or current, as warnings and errors give it.
  private func keyName(of number: Int) -> String {
    let slot = number - aside.base
    let name = slot < aside.reports.count ? aside.reports[slot].name : key
    return unsafe name.withUnsafeBytes { unsafe String(decoding: $0, as: UTF8.self) }
  }
}

/// The state of ``MemoryEstimator/measuresOnSecondCore``.
struct AsideReports {
  /// The worker, once the first blob is taken.
  var worker: PackedBlobWorker?
  /// Reports held, from ``first`` on; the number of report `n` is `base + n`.
  var reports: [KeyMemoryReport] = []
  /// The blobs of each held report not yet measured.
  var waiting: [Int] = []
  var first = 0
  var base = 0
  /// The current key's blobs not yet measured.
  var keyBlobs = 0
  /// Warnings the worker's walks raised, with their keys.
  var warnings: [RDBWarning] = []
  /// The blobs handed to the worker in all.
  var blobsTaken = 0
}
