/// Packed values measured on a second core (``measuresOnSecondCore``).
///
/// The longest element of a value stored packed (the `len_largest_element` column) needs its
/// blob decompressed, walked and its repeats checked: most of the parse's time on files of
/// small aggregates. With a second core, the parser hands each LZF-compressed ziplist and
/// listpack blob over undecoded (``RDBHandler/packedBlobAside(_:)``) to a
/// ``PackedBlobWorker``'s queue and reads on; when the queue is full, the parser measures the
/// blob itself, so the two threads share the work. Over a mapped file the worker keeps a
/// ``ReleaseHold`` at its oldest blob, so that the parse releases no page it has yet to read
/// and waits for it when it falls far behind.
///
/// A stream's nodes all go to the queue (``takesStreamNodesAside(releaseHold:)``), those the
/// parser walks itself summed up, so that the worker carries the stream's walk (entry order,
/// live entries) from node to node; their element counts come back with their longest
/// elements.
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
  /// The reports held at which a key's end takes the results measured so far; also the
  /// passed reports' name buffers kept for later keys whatever their size.
  static var collectedReportCount: Int { 64 }
  /// The most name buffers of at most ``spareNameCapacity`` bytes kept for later keys: the
  /// hundreds of keys held behind a stream's nodes are passed at once, and with 64 kept, the
  /// keys that followed each took a new buffer and freed it once passed (17,016 of the 20,050
  /// keys of a tenth of `streams.rdb`, 1 % of the instructions of `memory` there).
  static var spareNameLimit: Int { 1024 }
  /// The largest buffer kept beyond ``collectedReportCount``, so that the spares stay small.
  static var spareNameCapacity: Int { 256 }

  /// The most stream nodes taken before they are queued on the worker, all at once: queued
  /// one by one, each took the worker's lock and its reference (whose count shares a cache
  /// line with what the worker writes), 2 % of the parse's cycles on `streams.rdb`.
  static var stagedNodeLimit: Int { 16 }
  /// The most bytes of the input the staged nodes span, far less than
  /// ``ByteSource``'s release lag: their pages are kept (``ReleaseHold``) only once queued.
  static var stagedSpanLimit: Int { 256 << 10 }

  public static var measuresPackedBlobsAside: Bool { needsPackedElementLengths }

  public mutating func takesPackedBlobAside(releaseHold: ReleaseHold?) throws(RDBError) -> Bool {
    // Asked first without taking the worker: this runs for every blob.
    if aside.worker != nil, aside.outcome.queued < PackedBlobWorker.queueLimit { return true }
    guard startWorker(releaseHold) != nil else { return false }
    if aside.outcome.queued < PackedBlobWorker.queueLimit { return true }
    // A stream's node is pushed whoever walks it, and the push takes the worker's count: asked
    // here as well, the parser took the worker's lock twice for each node it walked.
    if aside.inStreamNodes { return false }
    try handOver()
    return aside.outcome.queued < PackedBlobWorker.queueLimit
  }

  /// A stream's nodes all go to the worker (walked there, or by the parser when the queue is
  /// full), so that it carries the stream's walk from node to node.
  public mutating func takesStreamNodesAside(releaseHold: ReleaseHold?) throws(RDBError) -> Bool {
    aside.inStreamNodes = startWorker(releaseHold) != nil
    return aside.inStreamNodes
  }

  /// A hash table goes to the worker whole (walked, checked and priced there) while fewer than
  /// ``PackedBlobWorker/hashTableQueueLimit`` blobs are queued, unless the estimate is of the
  /// file as loaded, or the model changed after the worker started. Past
  /// ``PackedBlobWorker/queueLimit`` the parser measures the blobs that follow itself, at the
  /// cost the worker would have paid, but still hands hash tables over: stepping over a field
  /// and walking it aside costs less than reading it on the parsing thread (a 90 MB cut of
  /// `hashtables.rdb`: 1,510 M instructions in all when the parser read the tables a full
  /// queue left it, 1,477 M handing them all over).
  public mutating func takesHashTableAside(count: UInt64, releaseHold: ReleaseHold?)
    throws(RDBError) -> Bool
  {
    guard loadLimits == nil, let worker = startWorker(releaseHold), worker.model == model else {
      return false
    }
    if aside.outcome.queued >= PackedBlobWorker.queueLimit { try handOver() }
    guard aside.outcome.queued < PackedBlobWorker.hashTableQueueLimit else { return false }
    aside.takesHashTable = true
    return true
  }

  /// The worker, started for the first blob; nil when blobs are measured by the parser.
  private mutating func startWorker(_ releaseHold: ReleaseHold?) -> PackedBlobWorker? {
    guard measuresOnSecondCore else { return nil }
    if let worker = aside.worker { return worker }
    guard PackedBlobWorker.hasSecondCore,
      let started = PackedBlobWorker(hold: releaseHold, model: model)
    else {
      measuresOnSecondCore = false
      return nil
    }
    aside.worker = started
    aside.hold = started.hold
    return started
  }

  public mutating func packedBlobAside(_ blob: PackedBlobAside) throws(RDBError) {
    guard aside.worker != nil else { return }
    if blob.isStreamPart, aside.outcome.queued >= PackedBlobWorker.streamQueueLimit {
      // A stream's nodes are queued even when the queue is full (those the parser walked,
      // summed up): past this many, the parse waits for the worker.
      try waitForWorker(below: PackedBlobWorker.queueLimit)
    }
    aside.staged.append(PackedBlobWorker.Job(blob: blob, report: aside.base + aside.reports.count))
    aside.outcome.queued += 1
    aside.keyBlobs += 1
    aside.blobsTaken += 1
    switch blob.stream {
    case .node, .walked:
      if aside.staged.count < Self.stagedNodeLimit,
        blob.origin + blob.bytes.count - aside.staged[0].blob.origin < Self.stagedSpanLimit
      {
        return
      }
    default:
      break
    }
    if case .end = blob.stream { aside.inStreamNodes = false }
    try handOver()
  }

  /// Queues the staged blobs on the worker and takes what it measured so far.
  private mutating func handOver() throws(RDBError) {
    guard let worker = aside.worker else { return }
    worker.push(&aside.staged, taking: &aside.outcome)
    try takeOutcome()
  }

  /// Queues the staged blobs, waits until fewer than `count` are queued (or one is found
  /// damaged, or none are left with `count` 1) and takes what the worker measured.
  private mutating func waitForWorker(below count: Int) throws(RDBError) {
    guard let worker = aside.worker else { return }
    worker.push(&aside.staged, taking: &aside.outcome)
    worker.wait(below: count, taking: &aside.outcome)
    try takeOutcome()
  }

  public mutating func finishPackedBlobsAside() throws(RDBError) -> [RDBWarning] {
    guard let worker = aside.worker else { return [] }
    defer {
      worker.stop()
      aside.worker = nil
    }
    try waitForWorker(below: 1)
    return aside.warnings
  }

  /// Passes `report` to the consumer, or holds it (and those after it) until its blobs are
  /// measured.
  mutating func deliverAside(_ report: consuming KeyMemoryReport) throws(RDBError) {
    guard aside.worker != nil, aside.keyBlobs > 0 || aside.first < aside.reports.count
    else { return try consumer.consume(report) }
    aside.reports.append(report)
    aside.waiting.append(aside.keyBlobs)
    aside.keyBlobs = 0
    // The held report keeps the key's buffer: the next key takes one a passed report left
    // instead of a new one.
    if let spare = aside.spareNames.popLast() { key = spare }
    let held = aside.reports.count - aside.first
    if held > Self.pendingReportLimit {
      try waitForWorker(below: 1)
    } else if held % Self.collectedReportCount == 0 {
      try handOver()
    }
  }

  /// Takes what the worker measured: each blob's longest element into its report (or the
  /// current key's), the warnings with their keys; passes the reports now finished, and
  /// throws the damage found.
  private mutating func takeOutcome() throws(RDBError) {
    // Warnings first: their reports are still held.
    if !aside.outcome.warnings.isEmpty {
      for (warning, report) in aside.outcome.warnings {
        var named = warning
        named.key = keyName(of: report)
        aside.warnings.append(named)
      }
      aside.outcome.warnings.removeAll()
    }
    if !aside.outcome.results.isEmpty {
      let current = aside.base + aside.reports.count
      for result in aside.outcome.results {
        let measure = result.measure
        // A stream node's elements, counted as ``valueBlob(_:)`` and ``beginStreamEntry``
        // count them: its header's count, else its live entries until a node gives a count.
        if result.report != aside.countingReport {
          aside.countingReport = result.report
          aside.countedFromBlobs = false
        }
        var added = 0
        if let count = measure.count {
          added = count
          aside.countedFromBlobs = true
        } else if !aside.countedFromBlobs {
          added = measure.liveEntries
        }
        if result.report == current {
          if measure.largest > largest { largest = measure.largest }
          elements += added
          valueCost += result.valueCost ?? 0
          aside.keyBlobs -= 1
        } else {
          let slot = result.report - aside.base
          if measure.largest > aside.reports[slot].largestElementLength {
            aside.reports[slot].largestElementLength = measure.largest
          }
          aside.reports[slot].elementCount += added
          // A hash table the worker priced: the report's size lacked its value's cost, which
          // every model adds to the key's (``endKey(_:)``).
          aside.reports[slot].sizeInBytes += result.valueCost ?? 0
          aside.waiting[slot] -= 1
        }
      }
      aside.outcome.results.removeAll(keepingCapacity: true)
      try passFinishedReports()
    }
    if let failure = aside.outcome.failure {
      var error = failure.error
      error.key = keyName(of: failure.report)
      throw error
    }
  }

  /// Passes the held reports, in order, up to the first whose blobs are not all measured.
  private mutating func passFinishedReports() throws(RDBError) {
    while aside.first < aside.reports.count, aside.waiting[aside.first] == 0 {
      try consumer.consume(aside.reports[aside.first])
      // Its name's buffer, unless the consumer kept the report, serves a later key: as many
      // as the keys a worker a stream behind holds (hundreds) while they are small.
      if aside.spareNames.count < Self.collectedReportCount
        || (aside.spareNames.count < Self.spareNameLimit
          && aside.reports[aside.first].name.capacity <= Self.spareNameCapacity)
      {
        var name = aside.passedName
        swap(&name, &aside.reports[aside.first].name)
        if name.isUnshared { aside.spareNames.append(name) }
      }
      aside.first += 1
    }
    if aside.first == aside.reports.count, aside.first > 0 {
      aside.base += aside.first
      aside.first = 0
      aside.reports.removeAll(keepingCapacity: true)
      aside.waiting.removeAll(keepingCapacity: true)
    } else if aside.first >= Self.collectedReportCount, aside.first * 2 >= aside.reports.count {
      // The worker may never have caught up when reports are passed: drop those passed once
      // they are half the array, or it would keep every report of the file (and its name).
      aside.reports.removeSubrange(..<aside.first)
      aside.waiting.removeSubrange(..<aside.first)
      aside.base += aside.first
      aside.first = 0
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
  /// What was last taken from the worker, and how many blobs it had queued then.
  var outcome = PackedBlobWorker.Outcome()
  /// Reports held, from ``first`` on; the number of report `n` is `base + n`.
  var reports: [KeyMemoryReport] = []
  /// The blobs of each held report not yet measured.
  var waiting: [Int] = []
  var first = 0
  var base = 0
  /// The current key's blobs not yet measured.
  var keyBlobs = 0
  /// The report whose stream nodes' results were taken last, and whether one of its nodes
  /// gave its element count (``MemoryEstimator/countedFromBlobs``).
  var countingReport = -1
  var countedFromBlobs = false
  /// Buffers of passed reports' names that nothing else holds, for the next keys'
  /// (``MemoryEstimator/key``), and the name left in a passed report's place.
  var spareNames: [KeyMemoryReport.Name] = []
  var passedName = KeyMemoryReport.Name()
  /// Warnings the worker's walks raised, with their keys.
  var warnings: [RDBWarning] = []
  /// The blobs handed to the worker in all.
  var blobsTaken = 0
  /// The worker's ``ReleaseHold``, kept after the parse for its figures.
  var hold: ReleaseHold?
  /// Whether the current key's hash table went to the worker whole.
  var takesHashTable = false
  /// Whether the current key is a stream whose nodes all go to the worker, until its end.
  var inStreamNodes = false
  /// A stream's nodes taken and not yet queued on the worker
  /// (``MemoryEstimator/stagedNodeLimit``), counted in ``outcome``'s queued blobs.
  var staged: [PackedBlobWorker.Job] = []
}
