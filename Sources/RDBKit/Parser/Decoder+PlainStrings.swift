/// Plain string records handed over in runs (``RDBHandler/takesPlainStrings``): one tight
/// loop over the window, without a ``KeyInfo`` or the general events per key.
extension Decoder {
  /// Hands over the plain string records (``PlainStringRun``) from the one whose type byte
  /// was just read, as many as the window holds whole up to ``PlainStringRun/longestRun``
  /// and the CRC's next step, and consumes those the handler took
  /// (``RDBHandler/plainStrings(_:database:)``); returns whether it took any. The records
  /// after them are left, their type bytes unread, and the first record, when none was
  /// taken, is read the general way.
  ///
  /// The records checked here are those that ``readKeyName()`` and
  /// ``takeShortStoredString()`` (or ``readStringValue(into:)``'s inlined forms) take from
  /// the window, which nothing in them can make fail: a one-byte name length, then a
  /// one-byte value length or an integer marker `0xC0`–`0xC2`. Records start only before the
  /// CRC's next step, so that the CRC, progress and page releases advance as they do for
  /// single reads.
  @inline(__always)
  mutating func takePlainStrings<H: RDBHandler>(database: Int, into handler: inout H)
    throws(RDBError) -> Bool
  {
    let (held, beforeStep) = unsafe source.heldBytes(back: 1)
    guard let base = held.baseAddress else { return false }
    let limit = (
      records: PlainStringRun.longestRun.records,
      bytes: min(beforeStep, PlainStringRun.longestRun.bytes)
    )
    return try unsafe withUnsafeTemporaryAllocation(of: UInt16.self, capacity: limit.records &+ 1) {
      (starts) throws(RDBError) -> Bool in
      guard let first = starts.baseAddress else { return false }
      let count = unsafe PlainStringRun.scan(
        base, held: held.count, limit: limit.bytes, into: first, capacity: limit.records)
      guard count > 0 else { return false }
      let run = unsafe PlainStringRun(
        base: base, starts: first, count: count, readable: held.count)
      let taken: Int
      do throws(RDBError) {
        taken = try handler.plainStrings(run, database: database)
      } catch {
        var error = error
        if error.key == nil { error.key = unsafe String(decoding: run.name(0), as: UTF8.self) }
        throw error
      }
      guard taken > 0 else { return false }
      try source.skip(UInt64(run.byteCount(ofFirst: taken) &- 1))
      return true
    }
  }
}
