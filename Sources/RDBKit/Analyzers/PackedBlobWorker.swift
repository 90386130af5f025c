#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Measures ``PackedBlobAside`` blobs on a thread of its own, a batch at a time, while the
/// parsing thread reads on (``MemoryEstimator/measuresOnSecondCore``).
///
/// The parsing thread fills ``filling``; ``handOver()`` gives the batch to the thread, which
/// measures its blobs in order, stops at the first that is damaged, and says it is idle again.
/// Once ``pollIdle()`` or ``waitUntilIdle()`` has seen it idle, the parsing thread reads the
/// batch's results (``measured``, ``results``, ``failure``, ``newWarnings``) until the next
/// hand-over. The hand-over is two semaphores, which order every access of one side before
/// the other's.
@safe final class PackedBlobWorker: @unchecked Sendable {
  /// One blob and the number of the report whose longest element it may be.
  struct Job {
    var blob: PackedBlobAside
    var report: Int
  }

  /// Whether the machine has a core for the worker beside the parsing thread's.
  static var hasSecondCore: Bool { sysconf(Int32(_SC_NPROCESSORS_ONLN)) > 1 }

  /// The blobs a batch holds before it is handed over: a few hundred microseconds of work.
  static let batchSize = 256

  /// The batch the parsing thread is filling.
  var filling: [Job] = []
  /// The batch handed over, then measured.
  private(set) var measured: [Job] = []
  /// The longest element of each blob of ``measured`` before the first damaged one.
  private(set) var results: [Int] = []
  /// The first damaged blob of ``measured`` (its place) and its error.
  private(set) var failure: (index: Int, error: RDBError)?
  /// Warnings raised by the blobs of ``measured``, each with its blob's report number.
  private(set) var newWarnings: [(warning: RDBWarning, report: Int)] = []
  /// Whether a batch was handed over and the thread has not been seen idle since.
  private(set) var isBusy = false
  /// Whether the batch measured is yet to be read (until ``forgetResults()``).
  private(set) var hasResults = false

  private var measurer = PackedBlobMeasurer()
  private var warningsSeen = 0
  private var stopping = false
  /// Posted by the parsing thread when ``measured`` holds a batch (or ``stopping`` is set).
  private let handedOver: UnsafeMutablePointer<sem_t>
  /// Posted by the thread when it has measured the batch it was given.
  private let idle: UnsafeMutablePointer<sem_t>

  /// Starts the thread; nil when no thread can be started (the parser then measures every
  /// blob itself).
  init?() {
    unsafe handedOver = .allocate(capacity: 1)
    unsafe idle = .allocate(capacity: 1)
    unsafe sem_init(handedOver, 0, 0)
    unsafe sem_init(idle, 0, 0)
    filling.reserveCapacity(Self.batchSize)
    measured.reserveCapacity(Self.batchSize)
    results.reserveCapacity(Self.batchSize)
    var thread = pthread_t()
    let context = Unmanaged.passRetained(self).toOpaque()
    // Started with SIGINT, SIGTERM and SIGHUP blocked, as ``BackgroundWriter``'s thread.
    var blocked = sigset_t()
    var previous = sigset_t()
    unsafe sigemptyset(&blocked)
    for signal in [SIGINT, SIGTERM, SIGHUP] { unsafe sigaddset(&blocked, signal) }
    unsafe pthread_sigmask(SIG_BLOCK, &blocked, &previous)
    defer { unsafe pthread_sigmask(SIG_SETMASK, &previous, nil) }
    let started = unsafe pthread_create(
      &thread, nil,
      { context in
        guard let context = unsafe context else { return nil }
        unsafe Unmanaged<PackedBlobWorker>.fromOpaque(context).takeRetainedValue().run()
        return nil
      }, context)
    guard started == 0 else {
      unsafe Unmanaged<PackedBlobWorker>.fromOpaque(context).release()
      return nil
    }
    pthread_detach(thread)
  }

  deinit {
    unsafe sem_destroy(handedOver)
    unsafe sem_destroy(idle)
    unsafe handedOver.deallocate()
    unsafe idle.deallocate()
  }

  /// Gives the thread the batch in ``filling`` and starts a new one; the thread must be idle.
  func handOver() {
    swap(&filling, &measured)
    filling.removeAll(keepingCapacity: true)
    results.removeAll(keepingCapacity: true)
    newWarnings.removeAll(keepingCapacity: true)
    failure = nil
    isBusy = true
    hasResults = true
    unsafe sem_post(handedOver)
  }

  /// The offset of the oldest blob taken and not yet read back, if any.
  var oldestOrigin: Int? {
    hasResults ? measured.first?.blob.origin : filling.first?.blob.origin
  }

  /// Marks the results of the batch measured as read.
  func forgetResults() { hasResults = false }

  /// Whether the thread is idle (the batch handed over, if any, measured), without waiting.
  func pollIdle() -> Bool {
    guard isBusy else { return true }
    guard unsafe sem_trywait(idle) == 0 else { return false }
    isBusy = false
    return true
  }

  /// Waits until the batch handed over, if any, is measured.
  func waitUntilIdle() {
    guard isBusy else { return }
    while unsafe sem_wait(idle) != 0 {}
    isBusy = false
  }

  /// Ends the thread once it is idle.
  func stop() {
    waitUntilIdle()
    stopping = true
    unsafe sem_post(handedOver)
  }

  private func run() {
    while true {
      while unsafe sem_wait(handedOver) != 0 {}
      if stopping {
        measurer.release()
        return
      }
      for job in measured {
        do {
          results.append(try measurer.measure(job.blob))
        } catch {
          failure = (results.count, error)
          break
        }
        let warnings = measurer.warnings
        while warningsSeen < warnings.count {
          newWarnings.append((warnings[warningsSeen], job.report))
          warningsSeen += 1
        }
      }
      unsafe sem_post(idle)
    }
  }
}
