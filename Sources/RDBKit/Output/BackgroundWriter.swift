import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes one block at a time to a file descriptor on a thread of its own, so that the
/// thread producing the next block never waits in `write`: a pipe whose reader is a little
/// behind, or the kernel's copy into a pipe or the page cache, costs the producer nothing
/// while the two keep pace.
///
/// The hand-over is two semaphores: ``write(_:)`` waits until the thread is idle, hands it a
/// block and returns; the thread writes it whole and says it is idle again. The block stays
/// the caller's memory, untouched by the caller until the next ``waitUntilIdle()`` returns.
/// A failed write is kept and thrown by the next ``waitUntilIdle()``; later blocks are then
/// dropped. A closed pipe raises SIGPIPE on the writing thread, which ends the process as a
/// write on the main thread would.
@safe final class BackgroundWriter: @unchecked Sendable {
  private let descriptor: FileDescriptor
  /// Posted by the producer when ``pending`` holds a block (or ``stopping`` is set).
  private let handedOver: UnsafeMutablePointer<sem_t>
  /// Posted by the thread when it has written the block it was given (and once at the start).
  private let idle: UnsafeMutablePointer<sem_t>
  // Written by one side before it posts a semaphore and read by the other after it waits
  // on that semaphore, which orders the accesses.
  private var pending = unsafe UnsafeRawBufferPointer(start: nil, count: 0)
  private var failure: (any Error)?
  private var stopping = false

  /// Starts the thread that writes to `descriptor`; returns nil when no thread can be started
  /// (the caller then writes itself).
  init?(descriptor: FileDescriptor) {
    self.descriptor = descriptor
    unsafe handedOver = .allocate(capacity: 1)
    unsafe idle = .allocate(capacity: 1)
    unsafe sem_init(handedOver, 0, 0)
    unsafe sem_init(idle, 0, 1)
    guard DetachedThread.start({ [self] in run() }) else { return nil }
  }

  deinit {
    unsafe sem_destroy(handedOver)
    unsafe sem_destroy(idle)
    unsafe handedOver.deallocate()
    unsafe idle.deallocate()
  }

  /// Waits until the last block handed over is written.
  /// - Throws: the `write` error of an earlier block, as long as there was one.
  func waitUntilIdle() throws {
    while unsafe sem_wait(idle) != 0 {}
    unsafe sem_post(idle)
    if let failure { throw failure }
  }

  /// Hands `block` to the thread, after waiting for the one before it; `block` must stay
  /// valid and unchanged until the next ``waitUntilIdle()`` returns.
  /// - Throws: the `write` error of an earlier block.
  @unsafe func write(_ block: UnsafeRawBufferPointer) throws {
    while unsafe sem_wait(idle) != 0 {}
    if let failure {
      unsafe sem_post(idle)
      throw failure
    }
    unsafe pending = block
    unsafe sem_post(handedOver)
  }

  /// Ends the thread once the block it holds is written, without waiting for it.
  func stop() {
    while unsafe sem_wait(idle) != 0 {}
    stopping = true
    unsafe sem_post(handedOver)
  }

  private func run() {
    while true {
      while unsafe sem_wait(handedOver) != 0 {}
      if stopping { return }
      if failure == nil {
        do {
          _ = try unsafe descriptor.writeAll(pending)
        } catch {
          failure = error
        }
      }
      unsafe pending = UnsafeRawBufferPointer(start: nil, count: 0)
      unsafe sem_post(idle)
    }
  }
}
