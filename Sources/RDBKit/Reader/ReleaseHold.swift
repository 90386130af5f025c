/// The oldest byte of a mapped input that another thread has still to read, so that
/// ``ByteSource`` does not release its pages before that thread is done with them.
///
/// ``ByteSource`` releases a mapping's pages a few MiB behind its read position (as far as the
/// CRC thread has read them, ``ChecksumAhead``). A thread that reads bytes the parser has
/// passed (``PackedBlobWorker``, measuring packed values on a second core) would fault
/// released pages back in, where they stay: so at each 1 MiB step the source releases no page
/// at or after ``oldest``, and waits while ``oldest`` is more than ``lag`` behind its read
/// position. The resident part of the file then stays bounded whichever thread is faster.
///
/// The owner of the other thread sets ``oldest`` under ``condition`` (``Int/max`` when it has
/// nothing left to read) and broadcasts when it moves forward. Every mutable field is guarded
/// by `condition`, which is why the class can be `@unchecked Sendable`.
public final class ReleaseHold: @unchecked Sendable {
  /// How far the parser may read past ``oldest`` before it waits.
  static let lag = 4 << 20

  /// Guards the fields below; also the lock of the thread that sets them, which waits on it.
  /// Its lock spins before it sleeps: both threads take it for a moment, very often.
  let condition = SpinningCondition()
  /// The offset of the oldest byte still to be read by the other thread, or `Int.max`.
  var oldest = Int.max
  /// Whether the parser waits in ``floor(at:)``: a move of ``oldest`` then broadcasts.
  var parserWaits = false
  /// The offset below which pages were released (``released(through:)``).
  private(set) var released = 0
  /// How often the parser waited, and how many reads of the other thread started before
  /// ``released`` (which would fault released pages back in): for tests.
  private(set) var waits = 0
  var readsBehindRelease = 0

  init() {}

  /// Called by the parser at a 1 MiB step, at read position `position`: waits while the
  /// other thread is more than ``lag`` behind, then returns ``oldest``, below which pages may
  /// be released.
  func floor(at position: Int) -> Int {
    condition.lock()
    defer { condition.unlock() }
    if oldest < position &- Self.lag {
      waits &+= 1
      // The other thread may sleep until it has more to do: wake it.
      condition.broadcast()
    }
    while oldest < position &- Self.lag {
      parserWaits = true
      condition.wait()
    }
    parserWaits = false
    return oldest
  }

  /// Notes that the pages below `offset` were released.
  func released(through offset: Int) {
    condition.lock()
    released = offset
    condition.unlock()
  }

  /// Notes that the other thread starts reading at `offset`; the caller holds ``condition``.
  func reads(at offset: Int) {
    if offset < released { readsBehindRelease &+= 1 }
  }

  /// Sets ``oldest``; the caller holds ``condition``.
  func move(to offset: Int) {
    oldest = offset
    if parserWaits { condition.broadcast() }
  }
}
