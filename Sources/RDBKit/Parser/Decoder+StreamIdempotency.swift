/// The IDMP tail of a type-26 stream (Redis 8.6, RDB 13): the idempotent-producer settings,
/// each producer's remembered IIDs with the stream IDs they were given, and two counters.
/// Every number is an RDB length and every id an RDB string.
extension Decoder {
  /// The ranges Redis 8.6 accepts for the IDMP duration (seconds) and max size.
  static let idempotencyDurations: ClosedRange<UInt64> = 1...86_400
  static let idempotencyMaxSizes: ClosedRange<UInt64> = 1...10_000

  mutating func readStreamIdempotency<H: RDBHandler>(into handler: inout H) throws(RDBError) {
    let start = source.offset
    let duration = try readLength()
    let maxSize = try readLength()
    guard Self.idempotencyDurations.contains(duration),
      Self.idempotencyMaxSizes.contains(maxSize)
    else {
      throw Self.corruptStream(
        "IDMP duration \(duration) s or max size \(maxSize) is out of range", start)
    }
    let producerCount = try readLength()
    try handler.streamIdempotency(
      StreamIdempotency(duration: duration, maxSize: maxSize, producerCount: producerCount))
    for _ in 0..<producerCount {
      let producer = unsafe try readString(into: .first, persistent: true)
      let entryCount = try readLength()
      try unsafe handler.beginStreamProducer(
        id: RawSpan(_unsafeBytes: producer), entryCount: entryCount)
      for _ in 0..<entryCount {
        let iid = unsafe try readString(into: .second, persistent: true)
        let id = try readLengthStreamID()
        try unsafe handler.streamProducerEntry(iid: RawSpan(_unsafeBytes: iid), id: id)
      }
    }
    let added = try readLength()
    let duplicates = try readLength()
    try handler.streamIdempotencyTotals(iidsAdded: added, iidsDuplicates: duplicates)
  }
}
