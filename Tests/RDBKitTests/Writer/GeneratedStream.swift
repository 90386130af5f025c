import RDBKit

/// A generated stream: live entries, the metadata after them, and consumer groups with their
/// pending entries and consumers, as the parser reports a stream.
struct GeneratedStream: Equatable {
  /// One live entry: its ID and its field/value pairs in order.
  struct Entry: Equatable {
    var id: StreamID
    var fields: [[UInt8]]
    var values: [[UInt8]]
  }

  /// An entry of a group's pending entries list.
  struct Pending: Equatable {
    var id: StreamID
    var deliveryTime: Int64
    var deliveryCount: UInt64
  }

  /// A consumer and the IDs it owns.
  struct Consumer: Equatable {
    var name: [UInt8]
    var seenTime: Int64
    /// Nil where the format has no active time (stream types 15 and 19).
    var activeTime: Int64?
    var pendingIDs: [StreamID]
  }

  /// A consumer group.
  struct Group: Equatable {
    var name: [UInt8]
    var lastDeliveredID: StreamID
    /// Nil when unknown, or where the format has no read counter (type 15).
    var entriesRead: Int64?
    var pending: [Pending]
    var consumers: [Consumer]
  }

  var entries: [Entry] = []
  var lastID = StreamID(milliseconds: 0, sequence: 0)
  /// The first live entry's ID (0-0 when there is none); nil in type 15.
  var firstID: StreamID?
  /// Nil in type 15.
  var maxDeletedID: StreamID?
  /// Nil in type 15.
  var entriesAdded: UInt64?
  var groups: [Group] = []

  /// Feeds the value's events, as the parser reports a type-21 stream.
  func feed(into writer: inout RDBWriter) throws(RDBError) {
    for entry in entries {
      try writer.beginStreamEntry(id: entry.id, fieldCount: entry.fields.count)
      for (field, value) in zip(entry.fields, entry.values) {
        try writer.streamField(field.span.bytes, value: value.span.bytes)
      }
    }
    try writer.streamMetadata(
      StreamMetadata(
        length: UInt64(entries.count), lastID: lastID, firstID: firstID,
        maxDeletedID: maxDeletedID, entriesAdded: entriesAdded, groupCount: UInt64(groups.count)))
    for group in groups {
      try writer.beginStreamGroup(
        name: group.name.span.bytes,
        info: StreamGroupInfo(
          lastDeliveredID: group.lastDeliveredID, entriesRead: group.entriesRead,
          pendingCount: UInt64(group.pending.count)))
      for entry in group.pending {
        try writer.streamPendingEntry(
          id: entry.id, deliveryTime: entry.deliveryTime, deliveryCount: entry.deliveryCount)
      }
      for consumer in group.consumers {
        try writer.beginStreamConsumer(
          name: consumer.name.span.bytes,
          info: StreamConsumerInfo(
            seenTime: consumer.seenTime, activeTime: consumer.activeTime,
            pendingCount: UInt64(consumer.pendingIDs.count)))
        for id in consumer.pendingIDs { try writer.streamConsumerPending(id: id) }
      }
    }
  }
}
