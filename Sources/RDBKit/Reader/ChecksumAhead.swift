import Foundation

/// The CRC-64 of a mapped file, computed on a thread of its own a few steps ahead of the
/// parser: the second core takes the checksum and the page faults that bring the file into
/// memory, and the parser finds the pages mapped when it gets there.
///
/// The worker runs in steps of ``ByteSource``'s CRC step and records the CRC at the end of
/// each, staying at most ``lead`` steps ahead of the last step the parser reported
/// (``parserReached(_:)``); a parser more than ``lag`` steps ahead of the worker (which pages
/// are released only once the worker has read them) waits for it. So the resident part of the
/// file stays bounded whichever thread is faster. ``checksum(through:)`` waits for a step's CRC.
/// ``stop()`` must be called before the mapping goes away.
///
/// The worker, asleep at its lead, is woken for ``wakeSteps`` steps at once, and by a
/// broadcast made once the lock is let go: woken at every step under the lock, it slept on
/// the lock right after (the parser still held it), two context switches a step, about a
/// thousand a run of a 500 MB file, each one taking a core from the parse or the blob worker.
///
/// Every field but the immutable ones is guarded by `condition`, which is why the class can
/// be `@unchecked Sendable`.
final class ChecksumAhead: @unchecked Sendable {
  /// How many steps the worker may run ahead of the parser.
  static let lead = 4
  /// How many steps the parser may run ahead of the worker.
  static let lag = 8
  /// How many steps the worker may take when the parser wakes it: it then stays at least
  /// ``lead`` minus this ahead of the parser.
  static let wakeSteps = 2

  private let bytes: UnsafeRawBufferPointer
  private let step: Int
  private let condition = SpinningCondition()
  /// The CRC of the file's first `(n + 1) * step` bytes, for each step `n` done.
  private var crcs: [UInt64] = []
  /// Steps the worker may finish before it waits for the parser.
  private var allowed = ChecksumAhead.lead
  private var stopped = false
  private var finished = false
  /// Whether the worker waits for the parser to let it run on.
  private var workerSleeps = false

  /// Starts the worker over `bytes`, which must stay mapped until ``stop()`` returns.
  @unsafe init(bytes: UnsafeRawBufferPointer, step: Int) {
    unsafe self.bytes = bytes
    self.step = step
    crcs.reserveCapacity(bytes.count / step)
    let thread = Thread { [self] in run() }
    thread.name = "rdbtool-crc"
    thread.start()
  }

  /// Says the parser has read `steps` whole steps, which lets the worker run on; waits while
  /// the worker is more than ``lag`` steps behind, and returns how many steps it has done.
  func parserReached(_ steps: Int) -> Int {
    condition.lock()
    allowed = max(allowed, steps &+ Self.lead)
    if crcs.count &+ Self.lag < steps, !finished {
      condition.broadcast()
      while crcs.count &+ Self.lag < steps, !finished { condition.wait() }
    }
    let done = crcs.count
    let wakes = workerSleeps && allowed &- done >= Self.wakeSteps
    condition.unlock()
    if wakes { condition.broadcast() }
    return done
  }

  /// The CRC of the file's first `steps` steps, once the worker has it.
  func checksum(through steps: Int) -> UInt64 {
    guard steps > 0 else { return 0 }
    condition.lock()
    defer { condition.unlock() }
    if steps > allowed {
      allowed = steps
      condition.broadcast()
    }
    while crcs.count < steps { condition.wait() }
    return crcs[steps &- 1]
  }

  /// Stops the worker and waits until it no longer reads the mapping.
  func stop() {
    condition.lock()
    defer { condition.unlock() }
    stopped = true
    condition.broadcast()
    while !finished { condition.wait() }
  }

  private func run() {
    var crc: UInt64 = 0
    let total = unsafe bytes.count / step
    condition.lock()
    while !stopped, crcs.count < total {
      if crcs.count >= allowed {
        workerSleeps = true
        condition.wait()
        workerSleeps = false
        continue
      }
      let start = crcs.count &* step
      condition.unlock()
      crc = unsafe CRC64.update(crc, UnsafeRawBufferPointer(rebasing: bytes[start..<start &+ step]))
      condition.lock()
      crcs.append(crc)
      condition.broadcast()
    }
    finished = true
    condition.broadcast()
    condition.unlock()
  }
}
