import RDBKit

/// A hand-built consumer group of a type-15 stream: its name, last delivered ID, pending
/// entries (each delivered once at time 1000) and consumers with the entries each lists.
struct StreamGroupImage: Sendable {
  var name: String
  var lastID: StreamID
  var pending: [StreamID]
  var consumers: [(name: String, pending: [StreamID])]

  /// Appends the group as a type-15 stream stores it.
  func append(to image: inout RDBImageBuilder) {
    image.string(name)
    image.length(lastID.milliseconds)
    image.length(lastID.sequence)
    image.length(UInt64(pending.count))
    for id in pending {
      image.raw(Self.raw(id))
      image.littleEndian(Int64(1000))
      image.length(1)
    }
    image.length(UInt64(consumers.count))
    for consumer in consumers {
      image.string(consumer.name)
      image.littleEndian(Int64(1000))
      image.length(UInt64(consumer.pending.count))
      for id in consumer.pending { image.raw(Self.raw(id)) }
    }
  }

  /// A stream ID as 16 big-endian bytes, as pending entries store it.
  static func raw(_ id: StreamID) -> [UInt8] {
    RDBImageBuilder.bigEndian(id.milliseconds) + RDBImageBuilder.bigEndian(id.sequence)
  }
}
