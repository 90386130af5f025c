import Foundation
import RDBKit

/// The shared state of one parallel download: which part to fetch next, the fetched parts
/// waiting to be read, the first failure, and cancellation.
///
/// Worker threads claim parts in order but only within a window of `maxInFlight` parts past the
/// one being read, so at most `maxInFlight` part buffers exist at once. All fields are guarded
/// by `condition`; that lock is why the class can be `@unchecked Sendable`.
final class PartScheduler: @unchecked Sendable {
  /// The number of parts.
  let partCount: Int
  /// The window: parts claimed but not yet fully read.
  let maxInFlight: Int

  private let condition = NSCondition()
  private var nextToClaim = 0
  private var nextToRead = 0
  private var finished: [Int: [UInt8]] = [:]
  private var failure: S3Error?
  /// Emptied part buffers, kept for the next parts so their memory is reused, not reallocated.
  private var spare: [[UInt8]] = []
  private var cancelled = false

  init(partCount: Int, maxInFlight: Int) {
    self.partCount = partCount
    self.maxInFlight = max(1, maxInFlight)
  }

  /// Whether the download was cancelled or has failed; workers stop as soon as they see it.
  var isStopped: Bool {
    condition.lock()
    defer { condition.unlock() }
    return cancelled || failure != nil
  }

  /// The next part to fetch, waiting while the window is full; nil when there is no more work.
  func claim() -> Int? {
    condition.lock()
    defer { condition.unlock() }
    while !cancelled, failure == nil, nextToClaim < partCount,
      nextToClaim >= nextToRead + maxInFlight
    {
      condition.wait()
    }
    guard !cancelled, failure == nil, nextToClaim < partCount else { return nil }
    defer { nextToClaim += 1 }
    return nextToClaim
  }

  /// Stores a fetched part and wakes the reader.
  func complete(_ part: Int, bytes: [UInt8]) {
    condition.lock()
    finished[part] = bytes
    condition.broadcast()
    condition.unlock()
  }

  /// Records the first failure and wakes everyone.
  func fail(_ error: S3Error) {
    condition.lock()
    if failure == nil { failure = error }
    condition.broadcast()
    condition.unlock()
  }

  /// Stops the download: workers abort their transfers and exit.
  func cancel() {
    condition.lock()
    cancelled = true
    finished.removeAll()
    condition.broadcast()
    condition.unlock()
  }

  /// Waits for `part` and hands its bytes to the reader.
  /// - Throws: The download's first failure.
  func take(_ part: Int) throws(S3Error) -> [UInt8] {
    condition.lock()
    defer { condition.unlock() }
    while finished[part] == nil, failure == nil, !cancelled { condition.wait() }
    if let bytes = finished.removeValue(forKey: part) { return bytes }
    throw failure ?? S3Error(.transport, message: "download cancelled")
  }

  /// Marks `part` as fully read, opening the window for one more part.
  /// Keeps an emptied part buffer for a later part (at most as many as may be in flight).
  func recycle(_ buffer: [UInt8]) {
    condition.lock()
    if spare.count < maxInFlight { spare.append(buffer) }
    condition.unlock()
  }

  /// An empty buffer with the capacity of an earlier part, or a new empty one.
  func spareBuffer() -> [UInt8] {
    condition.lock()
    defer { condition.unlock() }
    return spare.popLast() ?? []
  }

  func release(_ part: Int) {
    condition.lock()
    nextToRead = part + 1
    condition.broadcast()
    condition.unlock()
  }
}
