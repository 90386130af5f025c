#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Blocks of ``blockBytes`` lent to the ``OutputBuffer``s that hold a long text for a while
/// (a ``JSONLinesBatcher``'s held text and its batches' text), at most ``limit`` of them made,
/// each given back once its text is written and lent again to whichever buffer, on whichever
/// thread, next outgrows its own room.
///
/// A stream's text is megabytes: grown by doubling in a buffer of its own and freed once
/// written, each one left its blocks in the allocator (glibc keeps freed blocks of that size
/// in the arena of the thread that made them), and the peak RSS grew with the text in
/// flight. From a pool, the same few blocks go round, and nothing is allocated per text.
/// A text larger than a block (or grown while every block is out) leaves the pool's block
/// and grows as before.
@safe final class OutputBufferPool: @unchecked Sendable {
  /// The size of each block.
  let blockBytes: Int
  /// The most blocks ever made.
  let limit: Int
  /// Blocks given back, ``freeCount`` of them (``limit`` slots); guarded by ``lock``.
  private let free: UnsafeMutablePointer<UnsafeMutableRawPointer>
  private var freeCount = 0
  private var made = 0
  private let lock: UnsafeMutablePointer<pthread_mutex_t>

  init(blockBytes: Int, limit: Int) {
    self.blockBytes = blockBytes
    self.limit = limit
    unsafe free = .allocate(capacity: max(limit, 1))
    unsafe lock = .allocate(capacity: 1)
    unsafe pthread_mutex_init(lock, nil)
  }

  deinit {
    // Every buffer holding a block keeps the pool alive: all made blocks are back.
    for index in 0..<freeCount { unsafe free[index].deallocate() }
    unsafe free.deallocate()
    unsafe pthread_mutex_destroy(lock)
    unsafe lock.deallocate()
  }

  /// A block of ``blockBytes``, or nil when ``limit`` blocks are out.
  func take() -> UnsafeMutableRawPointer? {
    unsafe pthread_mutex_lock(lock)
    defer { unsafe pthread_mutex_unlock(lock) }
    if freeCount > 0 {
      freeCount &-= 1
      return unsafe free[freeCount]
    }
    guard made < limit else { return nil }
    made &+= 1
    return .allocate(byteCount: blockBytes, alignment: 16)
  }

  /// Takes back a block ``take()`` gave.
  @unsafe func give(_ block: UnsafeMutableRawPointer) {
    unsafe pthread_mutex_lock(lock)
    unsafe free[freeCount] = block
    freeCount &+= 1
    unsafe pthread_mutex_unlock(lock)
  }

  /// Blocks made so far and blocks given back (tests: every block made is recycled).
  var counts: (made: Int, free: Int) {
    unsafe pthread_mutex_lock(lock)
    defer { unsafe pthread_mutex_unlock(lock) }
    return (made, freeCount)
  }
}
