#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Measures ``PackedBlobAside`` blobs on a thread of its own while the parsing thread reads on
/// (``MemoryEstimator/measuresOnSecondCore``).
///
/// The parsing thread queues blobs a few at a time (``push(_:taking:)``); the thread takes
/// the whole queue at once, measures its blobs oldest first, hands their results back
/// ``publishCount`` at a time, stops at the first that is damaged, and sleeps when the queue
/// is empty: one take of the lock for many blobs, where a take before and after each blob
/// kept the parsing thread waiting for it. Each push takes the results handed back so far,
/// in queue order. The queue is guarded by the condition of a ``ReleaseHold``, where the thread
/// also keeps the offset of the oldest blob it has yet to finish: a mapped file's pages from
/// there on are not released, and a parse that reads more than ``ReleaseHold/lag`` past it
/// waits at its next 1 MiB step, even inside a large hash table where no blob is pushed. So
/// the resident part of the file stays bounded however far behind the thread falls.
@safe final class PackedBlobWorker: @unchecked Sendable {
  /// One blob and the number of the report whose longest element it may be.
  struct Job {
    var blob: PackedBlobAside
    var report: Int
  }

  /// What a measured blob holds, and its report's number; for a hash table
  /// (``PackedBlobAside/isElementRun``), the value's cost as well.
  struct Result {
    var report: Int
    var measure: PackedBlobMeasure
    var valueCost: Int? = nil
  }

  /// The first damaged blob: its report's number and its error.
  struct Failure {
    var report: Int
    var error: RDBError
  }

  /// What the parsing thread takes from the thread: results in queue order, the warnings
  /// their walks raised, the first damage found, and the number of blobs not yet measured.
  struct Outcome {
    var results: [Result] = []
    var warnings: [(warning: RDBWarning, report: Int)] = []
    var failure: Failure?
    var queued = 0
  }

  /// Whether the machine has a core for the worker beside the parsing thread's.
  static var hasSecondCore: Bool { sysconf(Int32(_SC_NPROCESSORS_ONLN)) > 1 }

  /// The most blobs queued: past it, the parser measures a blob itself, so that the two
  /// threads share the work when the worker is the slower.
  static let queueLimit = 512
  /// The most blobs queued while a stream's nodes are
  /// (``MemoryEstimator/takesStreamNodesAside(releaseHold:)``): past it, the parse waits for
  /// the worker.
  static let streamQueueLimit = 4 * queueLimit
  /// The most blobs queued when the parser hands a hash table over
  /// (``MemoryEstimator/takesHashTableAside(count:releaseHold:)``): past it, the parser reads
  /// the table itself.
  static let hashTableQueueLimit = 4 * queueLimit
  /// The blobs queued at which a sleeping thread is woken.
  static let wakeCount = 128
  /// The blobs the thread measures between two takes of the lock, where it hands their
  /// results back and moves its hold on.
  static let publishCount = 32
  /// Microseconds the thread sleeps before each blob while the parser reads on (not while it
  /// waits for the thread): a worker slowed down, for tests.
  nonisolated(unsafe) static var delayForTests: UInt32 = 0

  let hold: ReleaseHold
  // Guarded by `hold.condition`.
  /// The blobs queued and not yet taken by the thread, and the number it took and has not
  /// finished.
  private var jobs: [Job] = []
  private var taken = 0
  private var results: [Result] = []
  private var warnings: [(warning: RDBWarning, report: Int)] = []
  private var failure: Failure?
  private var stopping = false
  private var finished = false
  private var sleeps = false
  // The thread's own.
  private var measurer = PackedBlobMeasurer()
  private var warningsSeen = 0
  /// The model hash tables are priced with, and its element costs.
  let model: MemoryModel
  private let costs: MemoryModel.ElementCosts
  /// The sums of the hash table being measured (in parts, of those measured so far).
  private var tally: HashTableTally

  /// Starts the thread, keeping `hold` (or a hold of its own, over an input whose pages are
  /// not released) up to date, pricing hash tables with `model`; nil when no thread can be
  /// started (the parser then measures every blob itself).
  init?(hold: ReleaseHold?, model: MemoryModel) {
    self.hold = hold ?? ReleaseHold()
    self.model = model
    costs = MemoryModel.ElementCosts(model)
    tally = HashTableTally(costs: costs, model: model)
    jobs.reserveCapacity(Self.queueLimit)
    results.reserveCapacity(Self.queueLimit)
    guard DetachedThread.start({ [self] in run() }) else { return nil }
  }

  /// The blobs not yet measured; the caller holds the lock.
  private var unfinished: Int { jobs.count &+ taken }

  /// Queues `staged`, oldest first, leaving it empty, and takes the results measured so far
  /// into `outcome`. After a damaged blob (``Outcome/failure``) nothing more is queued.
  func push(_ staged: inout [Job], taking outcome: inout Outcome) {
    hold.condition.lock()
    defer { hold.condition.unlock() }
    take(&outcome)
    defer { staged.removeAll(keepingCapacity: true) }
    guard failure == nil, let first = staged.first else { return }
    if unfinished == 0 { hold.move(to: first.blob.origin) }
    jobs.append(contentsOf: staged)
    outcome.queued = unfinished
    // A sleeping thread is woken for a few blobs at once: a wake-up per blob cost the
    // parsing thread a system call and a context switch each.
    if sleeps, outcome.queued >= Self.wakeCount { hold.condition.broadcast() }
  }

  /// Waits until fewer than `count` blobs are queued (or one is found damaged), then takes
  /// the results into `outcome`.
  func wait(below count: Int, taking outcome: inout Outcome) {
    hold.condition.lock()
    defer { hold.condition.unlock() }
    if sleeps { hold.condition.broadcast() }
    while unfinished >= count, !finished {
      hold.parserWaits = true
      hold.condition.wait()
    }
    hold.parserWaits = false
    take(&outcome)
  }

  /// Ends the thread, once it has finished the blobs it is measuring between two takes of
  /// the lock; the blobs still queued are dropped and the hold lets every page go.
  func stop() {
    hold.condition.lock()
    defer { hold.condition.unlock() }
    stopping = true
    hold.condition.broadcast()
    while !finished { hold.condition.wait() }
    hold.move(to: .max)
  }

  /// Moves the results, warnings and failure into `outcome`; the caller holds the lock.
  private func take(_ outcome: inout Outcome) {
    if !results.isEmpty {
      if outcome.results.isEmpty {
        swap(&outcome.results, &results)
      } else {
        outcome.results.append(contentsOf: results)
        results.removeAll(keepingCapacity: true)
      }
    }
    if !warnings.isEmpty {
      outcome.warnings.append(contentsOf: warnings)
      warnings.removeAll()
    }
    if outcome.failure == nil { outcome.failure = failure }
    outcome.queued = unfinished
  }

  private func run() {
    let condition = hold.condition
    // The blobs taken, and what was measured of them since the lock was last taken.
    var batch: [Job] = []
    var measured: [Result] = []
    var raised: [(warning: RDBWarning, report: Int)] = []
    batch.reserveCapacity(Self.queueLimit)
    measured.reserveCapacity(Self.publishCount)
    condition.lock()
    while !stopping {
      // Asleep once the queue is empty, until ``wakeCount`` blobs are queued or the parser
      // waits for them (``wait(below:taking:)``, ``ReleaseHold/floor(at:)``).
      guard !jobs.isEmpty, failure == nil else {
        sleeps = true
        condition.wait()
        sleeps = false
        continue
      }
      swap(&batch, &jobs)
      taken = batch.count
      var next = 0
      while next < batch.count, !stopping {
        let end = min(batch.count, next &+ Self.publishCount)
        for index in next..<end { hold.reads(at: batch[index].blob.origin) }
        condition.unlock()
        var damage: RDBError?
        while next < end {
          if unsafe Self.delayForTests > 0 { delayUnlessTheParserWaits() }
          let report = batch[next].report
          do {
            if batch[next].blob.isElementRun {
              measured.append(try measureHashTable(batch[next].blob, report: report))
            } else {
              let measure = try measurer.measure(batch[next].blob)
              measured.append(Result(report: report, measure: measure))
            }
          } catch {
            damage = error
          }
          while warningsSeen < measurer.warningCount {
            raised.append((measurer.warning(at: warningsSeen), report))
            warningsSeen &+= 1
          }
          if damage != nil { break }
          next &+= 1
        }
        condition.lock()
        results.append(contentsOf: measured)
        measured.removeAll(keepingCapacity: true)
        if !raised.isEmpty {
          warnings.append(contentsOf: raised)
          raised.removeAll()
        }
        if let damage {
          failure = Failure(report: batch[next].report, error: damage)
          next = batch.count
          jobs.removeAll(keepingCapacity: true)
        }
        taken = batch.count &- next
        hold.move(
          to: next < batch.count ? batch[next].blob.origin : jobs.first?.blob.origin ?? .max)
        if unfinished == 0 { condition.broadcast() }
      }
      // Stopped with blobs in hand: they are dropped, as those still queued.
      taken = 0
      batch.removeAll(keepingCapacity: true)
    }
    measurer.release()
    finished = true
    condition.broadcast()
    condition.unlock()
  }

  /// Sleeps ``delayForTests`` unless the parser waits for this thread: a test's parse finds
  /// the thread as far behind as a slow one, without waiting out a delay for every blob.
  private func delayUnlessTheParserWaits() {
    hold.condition.lock()
    let parserWaits = hold.parserWaits
    hold.condition.unlock()
    if !parserWaits { unsafe usleep(Self.delayForTests) }
  }

  /// Checks and measures the hash table `run`, priced as
  /// ``MemoryEstimator/hashField(_:value:expiresAt:)`` and ``MemoryEstimator/endKey(_:)`` price
  /// one read by the parser.
  private func measureHashTable(_ run: PackedBlobAside, report: Int) throws(RDBError) -> Result {
    try measurer.measureHashTable(run, into: &tally)
    // A table in parts is priced at its last.
    guard !run.continuesHashTable else {
      return Result(report: report, measure: PackedBlobMeasure())
    }
    defer { tally = HashTableTally(costs: costs, model: model) }
    return Result(
      report: report, measure: PackedBlobMeasure(largest: tally.largest, count: tally.count),
      valueCost: model.builtHashTableCost(
        count: tally.count, entryCosts: tally.entryCosts, largest: tally.largest))
  }
}

/// The sums ``MemoryEstimator`` keeps of a hash table's fields, made on the worker's thread.
private struct HashTableTally: HashFieldLengths {
  let costs: MemoryModel.ElementCosts
  let model: MemoryModel
  var count = 0
  var largest = 0
  var entryCosts = 0

  @inline(__always)
  mutating func field(length: Int, valueLength: Int) {
    count &+= 1
    largest = max(largest, length, valueLength)
    entryCosts += costs.hashEntry(
      fieldLength: length, valueLength: valueLength, hasTTL: false, model: model)
  }
}
