/// The record scan in two chains: each record's end waits on two loads from the one before
/// it, so that one chain of records leaves the processor idle most of the time; a second
/// chain, started at a likely record start halfway, fills that time. Its records count only
/// when the first chain ends exactly where the second began, so that the records found are
/// those one chain alone would find, whatever the bytes hold.
extension PlainStringRun {
  /// How many records the first chain reads alone, to learn how long records are.
  static let leadingRecords = 32
  /// The most records the second chain notes, on the stack (512 bytes).
  static let secondChainCapacity = 256
  /// How far past its guess the second chain's start is looked for.
  static let startSearch = 64

  /// Notes in `starts` where the records from `base` start, as
  /// ``scan(_:held:limit:into:capacity:)`` notes those below `unchecked`, for a stretch at
  /// the window's start, and returns how many it noted and where the last ends; the scan
  /// goes on from there.
  @inline(__always)
  @unsafe static func scanInTwo(
    _ base: UnsafeRawPointer, unchecked: Int, into starts: UnsafeMutablePointer<UInt16>,
    capacity: Int
  ) -> (count: Int, end: Int) {
    var end = 0
    var count = 0
    while count < min(capacity, leadingRecords), end < unchecked,
      let next = unsafe Self.end(ofRecordWithin: end, in: base)
    {
      unsafe starts[count] = UInt16(truncatingIfNeeded: end)
      end = next
      count &+= 1
    }
    guard count == leadingRecords else { return (count, end) }
    let expected = min(unchecked, end &* capacity / leadingRecords)
    guard
      let second = unsafe likelyStart(from: max(end, expected / 2), below: unchecked, in: base)
    else { return (count, end) }
    return unsafe withUnsafeTemporaryAllocation(of: UInt16.self, capacity: secondChainCapacity) {
      later in
      guard let laterStarts = later.baseAddress else { return (count, end) }
      var laterEnd = second
      var laterCount = 0
      while end < second, count < capacity, laterCount < secondChainCapacity,
        laterEnd < unchecked
      {
        guard let next = unsafe Self.end(ofRecordWithin: end, in: base) else {
          return (count, end)
        }
        unsafe starts[count] = UInt16(truncatingIfNeeded: end)
        end = next
        count &+= 1
        guard let laterNext = unsafe Self.end(ofRecordWithin: laterEnd, in: base) else { break }
        unsafe laterStarts[laterCount] = UInt16(truncatingIfNeeded: laterEnd)
        laterEnd = laterNext
        laterCount &+= 1
      }
      while end < second, count < capacity {
        guard let next = unsafe Self.end(ofRecordWithin: end, in: base) else {
          return (count, end)
        }
        unsafe starts[count] = UInt16(truncatingIfNeeded: end)
        end = next
        count &+= 1
      }
      guard end == second else { return (count, end) }
      let taken = min(laterCount, capacity &- count)
      unsafe (starts + count).update(from: laterStarts, count: taken)
      let joinedEnd = taken == laterCount ? laterEnd : Int(unsafe laterStarts[taken])
      return (count &+ taken, joinedEnd)
    }
  }

  /// The first offset from `offset` below `unchecked` (and at most ``startSearch`` past
  /// `offset`) that looks like a plain string record's start: a type byte 0, a name of 1 to
  /// 63 bytes, a value in a form the scan takes, and a type byte 0 after it. Only a guess:
  /// a value's bytes may look the same.
  @inline(__always)
  @unsafe static func likelyStart(from offset: Int, below unchecked: Int, in base: UnsafeRawPointer)
    -> Int?
  {
    var offset = offset
    let last = min(unchecked, offset &+ startSearch)
    while offset < last {
      if unsafe base.load(fromByteOffset: offset &+ 1, as: UInt8.self) &- 1 < 0x3F,
        let end = unsafe Self.end(ofRecordWithin: offset, in: base),
        unsafe base.load(fromByteOffset: end, as: UInt8.self) == 0
      {
        return offset
      }
      offset &+= 1
    }
    return nil
  }
}
