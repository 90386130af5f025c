import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A lock and a condition variable, with `NSCondition`'s calls, whose lock first spins for a
/// few microseconds when another thread holds it, and only then sleeps.
///
/// Two threads that hand work to each other under one lock (the parse and a
/// ``PackedBlobWorker``, through ``ReleaseHold``) each hold it for a microsecond or so at a
/// time, hundreds of thousands of times a run. A lock that sleeps as soon as it is taken
/// (`NSCondition`'s) put the parse to sleep on it about a thousand times in a run of `memory`
/// on `streams.rdb`, a tenth of a millisecond each as its core went to another thread, while
/// the worker had long let go: a core's worth of idle time of 50 to 150 ms in a 0.55 s run.
/// Spinning on the holder's flag, a thread nearly always gets the lock before the limit.
///
/// Every call but ``init()`` goes to the C functions `pthread_mutex_*` and `pthread_cond_*`,
/// which is why the class can be `@unchecked Sendable`.
@safe final class SpinningCondition: @unchecked Sendable {
  /// How many times a thread looks at the lock before it sleeps on it: a few microseconds.
  static let spinLimit = 4096

  private let mutex: UnsafeMutablePointer<pthread_mutex_t>
  private let condition: UnsafeMutablePointer<pthread_cond_t>
  /// Whether a thread holds the lock (one waiting in ``wait()`` does not): what a thread about
  /// to take it spins on, reading it rather than trying the mutex, which would take its cache
  /// line from the holder.
  private let held = Atomic<Bool>(false)

  init() {
    unsafe mutex = .allocate(capacity: 1)
    unsafe condition = .allocate(capacity: 1)
    unsafe pthread_mutex_init(mutex, nil)
    unsafe pthread_cond_init(condition, nil)
  }

  deinit {
    unsafe pthread_cond_destroy(condition)
    unsafe pthread_mutex_destroy(mutex)
    unsafe condition.deallocate()
    unsafe mutex.deallocate()
  }

  /// Takes the lock: spins while another thread holds it, up to ``spinLimit`` looks, then
  /// sleeps until it is free.
  func lock() {
    var looks = 0
    while looks < Self.spinLimit {
      if !held.load(ordering: .relaxed), unsafe pthread_mutex_trylock(mutex) == 0 {
        held.store(true, ordering: .relaxed)
        return
      }
      looks &+= 1
    }
    unsafe pthread_mutex_lock(mutex)
    held.store(true, ordering: .relaxed)
  }

  /// Lets the lock go.
  func unlock() {
    held.store(false, ordering: .relaxed)
    unsafe pthread_mutex_unlock(mutex)
  }

  /// Lets the lock go and sleeps until a ``broadcast()`` (or a spurious wake-up), then takes it
  /// again; the caller holds the lock, and checks its condition again in a loop.
  func wait() {
    held.store(false, ordering: .relaxed)
    unsafe pthread_cond_wait(condition, mutex)
    held.store(true, ordering: .relaxed)
  }

  /// Wakes every thread in ``wait()``.
  func broadcast() {
    unsafe pthread_cond_broadcast(condition)
  }
}
