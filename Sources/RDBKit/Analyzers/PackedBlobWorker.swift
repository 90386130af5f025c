#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Measures ``PackedBlobAside`` blobs on a thread of its own while the parsing thread reads on
/// (``MemoryEstimator/measuresOnSecondCore``).
///
/// The parsing thread queues blobs (``push(_:taking:)``); the thread takes them one at a time,
/// oldest first, measures each, stops at the first that is damaged, and sleeps when the queue
/// is empty. Each push or ``collect(_:)`` takes the results measured so far, in queue order.
/// The queue is guarded by the condition of a ``ReleaseHold``, where the thread also keeps the
/// offset of the oldest blob it has yet to finish: a mapped file's pages from there on are not
/// released, and a parse that reads more than ``ReleaseHold/lag`` past it waits at its next
/// 1 MiB step, even inside a large hash table where no blob is pushed. So the resident part
/// of the file stays bounded however far behind the thread falls.
@safe final class PackedBlobWorker: @unchecked Sendable {
  /// One blob and the number of the report whose longest element it may be.
  struct Job {
    var blob: PackedBlobAside
    var report: Int
  }

  /// What a measured blob holds, and its report's number.
  struct Result {
    var report: Int
    var measure: PackedBlobMeasure
  }

  /// What the parsing thread takes from the thread: results in queue order, the warnings
  /// their walks raised, the first damage found, and the number of blobs still queued.
  struct Outcome {
    var results: [Result] = []
    var warnings: [(warning: RDBWarning, report: Int)] = []
    var failure: (report: Int, error: RDBError)?
    var queued = 0
  }

  /// Whether the machine has a core for the worker beside the parsing thread's.
  static var hasSecondCore: Bool { sysconf(Int32(_SC_NPROCESSORS_ONLN)) > 1 }

  /// The most blobs queued: past it, the parser measures a blob itself, so that the two
  /// threads share the work when the worker is the slower.
  static let queueLimit = 512
  /// The most blobs queued while a stream's nodes are (``MemoryEstimator/takesStreamNodesAside(releaseHold:)``):
  /// past it, the parse waits for the worker.
  static let streamQueueLimit = 4 * queueLimit
  /// The blobs queued at which a sleeping thread is woken.
  static let wakeCount = 128
  /// Microseconds the thread sleeps before each blob: a worker slowed down, for tests.
  nonisolated(unsafe) static var delayForTests: UInt32 = 0

  let hold: ReleaseHold
  // Guarded by `hold.condition`.
  /// The blobs queued; `jobs[next...]` are not measured yet, `jobs[next]` the one being
  /// measured.
  private var jobs: [Job] = []
  private var next = 0
  private var results: [Result] = []
  private var warnings: [(warning: RDBWarning, report: Int)] = []
  private var failure: (report: Int, error: RDBError)?
  private var stopping = false
  private var finished = false
  private var sleeps = false
  // The thread's own.
  private var measurer = PackedBlobMeasurer()
  private var warningsSeen = 0

  /// Starts the thread, keeping `hold` (or a hold of its own, over an input whose pages are
  /// not released) up to date; nil when no thread can be started (the parser then measures
  /// every blob itself).
  init?(hold: ReleaseHold?) {
    self.hold = hold ?? ReleaseHold()
    jobs.reserveCapacity(Self.queueLimit)
    results.reserveCapacity(Self.queueLimit)
    guard DetachedThread.start({ [self] in run() }) else { return nil }
  }

  /// Queues `job` and takes the results measured so far into `outcome`. After a damaged
  /// blob (``Outcome/failure``) nothing more is queued.
  func push(_ job: Job, taking outcome: inout Outcome) {
    hold.condition.lock()
    defer { hold.condition.unlock() }
    take(&outcome)
    guard failure == nil else { return }
    if next == jobs.count {
      jobs.removeAll(keepingCapacity: true)
      next = 0
      hold.move(to: job.blob.origin)
    } else if next >= Self.queueLimit, next * 2 >= jobs.count {
      // A worker never idle at a push (a stream's nodes follow one another) would otherwise
      // keep every job of the file: drop those measured once they are half the array.
      jobs.removeSubrange(..<next)
      next = 0
    }
    jobs.append(job)
    outcome.queued = jobs.count &- next
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
    while jobs.count &- next >= count, !finished {
      hold.parserWaits = true
      hold.condition.wait()
    }
    hold.parserWaits = false
    take(&outcome)
  }

  /// Takes the results measured so far into `outcome`, without waiting.
  func collect(_ outcome: inout Outcome) {
    hold.condition.lock()
    defer { hold.condition.unlock() }
    take(&outcome)
  }

  /// Waits until every blob queued is measured (or one is found damaged), then takes the
  /// results into `outcome`.
  func drain(_ outcome: inout Outcome) {
    wait(below: 1, taking: &outcome)
  }

  /// Ends the thread, once it has finished the blob it is measuring; the blobs still queued
  /// are dropped and the hold lets every page go.
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
    outcome.queued = jobs.count &- next
  }

  private func run() {
    let condition = hold.condition
    condition.lock()
    while !stopping {
      // Asleep once the queue is empty, until ``wakeCount`` blobs are queued or the parser
      // waits for them (``drain(_:)``, ``ReleaseHold/floor(at:)``).
      guard next < jobs.count, failure == nil else {
        sleeps = true
        condition.wait()
        sleeps = false
        continue
      }
      let job = jobs[next]
      hold.reads(at: job.blob.origin)
      condition.unlock()
      if unsafe Self.delayForTests > 0 { unsafe usleep(Self.delayForTests) }
      var measure = PackedBlobMeasure()
      var damage: RDBError?
      do {
        measure = try measurer.measure(job.blob)
      } catch {
        damage = error
      }
      let raised = measurer.warningCount
      condition.lock()
      while warningsSeen < raised {
        warnings.append((measurer.warning(at: warningsSeen), job.report))
        warningsSeen &+= 1
      }
      if let damage {
        failure = (job.report, damage)
        next = jobs.count
      } else {
        results.append(Result(report: job.report, measure: measure))
        next &+= 1
      }
      hold.move(to: next < jobs.count ? jobs[next].blob.origin : .max)
      if next == jobs.count { condition.broadcast() }
    }
    measurer.release()
    finished = true
    condition.broadcast()
    condition.unlock()
  }
}
