/// The bounded-memory check of a large packed value, in passes over its elements.
///
/// The streaming table costs 64 to 128 bytes an element; a packed value of a few bytes per
/// element could make that many times the value's own size (a 1 GiB listpack of 5-byte
/// members, about 20 GiB). A value larger than ``streamingLimit`` is instead walked first in
/// ``Mode/collecting``: each element's 8-byte hash is kept (elements are compared by their
/// text, so a string spelling an integer is hashed as that integer), then sorted, and equal
/// neighbours name the hashes that repeat. Only those are then compared exactly, in the
/// table, in a ``Mode/verifying`` pass, so a hash collision between different elements is
/// never taken for a repeat. When the hashes would outgrow the value's own size, the
/// elements are hashed again in four passes, each keeping one quarter of the hash range
/// (an element takes two bytes at the least, so a quarter of its hashes is about the value's
/// size at most). The price is a few walks of such values.
extension DuplicateCheck {
  /// What ``insert(_:)`` does with an element.
  enum Mode {
    /// Records it in the table; a repeat returns false.
    case streaming
    /// Keeps its hash (see ``beginCollecting(partition:of:limit:)``); returns true.
    case collecting
    /// Records it in the table if its hash is a candidate; a repeat returns false.
    case verifying
    /// Returns true: the value is known to hold no repeat.
    case off
  }

  /// The largest packed value (in bytes) whose elements go to the table as they are read:
  /// at two bytes an element at the least, its table stays under 1 MiB.
  static let streamingLimit = 16 << 10

  /// The passes that hash a value's elements when one pass would keep too many hashes.
  static let partitionCount = 4

  /// The hashes a ``Mode/verifying`` pass compares exactly at a time.
  static let candidateBatch = 4096

  /// Starts a pass that keeps the hashes in `partition` of `partitionCount` equal parts of
  /// the hash range (all of them when `count` is 1), at most `limit` of them.
  mutating func beginCollecting(partition: Int, of count: Int, limit: Int) {
    mode = .collecting
    hashes.removeAll(keepingCapacity: true)
    self.partition = UInt64(partition)
    partitions = UInt64(count)
    hashLimit = limit
    overflowed = false
  }

  /// The hashes the last collecting pass kept more than once, each once.
  /// - Complexity: O(*n* log *n*) in the hashes kept.
  mutating func repeatedHashes() -> [UInt64] {
    hashes.sort()
    var repeated: [UInt64] = []
    var index = 1
    while index < hashes.count {
      if hashes[index] == hashes[index &- 1], repeated.last != hashes[index] {
        repeated.append(hashes[index])
      }
      index &+= 1
    }
    hashes.removeAll(keepingCapacity: true)
    return repeated
  }

  /// Starts a pass that compares exactly the elements whose hash is in `hashes`.
  mutating func beginVerifying(_ hashes: ArraySlice<UInt64>) {
    mode = .verifying
    forgetElements()
    candidates = Set(hashes)
    foundRepeat = false
  }

  /// Leaves the rest of the value unchecked: the passes found no repeat.
  mutating func skipRemaining() {
    mode = .off
  }

  /// Frees what the passes held.
  mutating func endPasses() {
    hashes = []
    candidates = []
  }

  /// An element with `hash`, outside ``Mode/streaming``: kept, compared with `record` (which
  /// puts it in the table) or let through.
  @inline(never)
  mutating func offer(_ hash: UInt64, _ record: (inout DuplicateCheck) -> Bool) -> Bool {
    switch mode {
    case .streaming:
      return record(&self)
    case .collecting:
      guard partitions == 1 || hash >> 62 == partition else { return true }
      if hashes.count < hashLimit {
        hashes.append(hash)
      } else {
        overflowed = true
      }
      return true
    case .verifying:
      guard candidates.contains(hash) else { return true }
      let isNew = record(&self)
      if !isNew { foundRepeat = true }
      return isNew
    case .off:
      return true
    }
  }
}
