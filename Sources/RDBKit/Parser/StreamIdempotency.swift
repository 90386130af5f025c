/// A type-26 stream's idempotent-producer settings (`XCFGSET … IDMP-DURATION … IDMP-MAXSIZE`),
/// from the IDMP tail Redis 8.6 writes after the consumer groups.
///
/// Reported by ``RDBHandler/streamIdempotency(_:)``; then come ``producerCount`` producers
/// (``RDBHandler/beginStreamProducer(id:entryCount:)``, each followed by its
/// ``RDBHandler/streamProducerEntry(iid:id:)`` events) and finally
/// ``RDBHandler/streamIdempotencyTotals(iidsAdded:iidsDuplicates:)``.
public struct StreamIdempotency: Sendable, Equatable {
  /// How long an IID is remembered, in seconds (1…86400).
  public var duration: UInt64
  /// How many IIDs are remembered per producer (1…10000).
  public var maxSize: UInt64
  /// The number of producers that follow.
  public var producerCount: UInt64

  /// Creates the settings.
  public init(duration: UInt64, maxSize: UInt64, producerCount: UInt64) {
    self.duration = duration
    self.maxSize = maxSize
    self.producerCount = producerCount
  }
}
