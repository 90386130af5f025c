/// One stream's entries, metadata, consumer groups, pending entries and consumers, gathered
/// while it is parsed; byte strings (field names and values, group and consumer names) go to
/// a ``ValueBuffer``, the structure to parallel arrays here.
struct StreamBuffer {
  /// A live entry: its ID and its field/value pairs, elements `firstElement…` of the values.
  struct Entry {
    var id: StreamID
    var firstElement: Int
    var fieldCount: Int
  }

  /// A consumer group: its name (an element), header, and its slices of ``pending`` and
  /// ``consumers``.
  struct Group {
    var name: Int
    var info: StreamGroupInfo
    var pending: Range<Int>
    var consumers: Range<Int>
  }

  /// An entry of a group's pending entries list.
  struct Pending {
    var id: StreamID
    var deliveryTime: Int64
    var deliveryCount: UInt64
  }

  /// A consumer: its name (an element), header, and its slice of ``consumerIDs``.
  struct Consumer {
    var name: Int
    var info: StreamConsumerInfo
    var pendingIDs: Range<Int>
  }

  var entries: [Entry] = []
  var metadata: StreamMetadata?
  var groups: [Group] = []
  var pending: [Pending] = []
  var consumers: [Consumer] = []
  var consumerIDs: [StreamID] = []

  /// Empties the buffer, keeping its storage.
  mutating func reset() {
    entries.removeAll(keepingCapacity: true)
    metadata = nil
    groups.removeAll(keepingCapacity: true)
    pending.removeAll(keepingCapacity: true)
    consumers.removeAll(keepingCapacity: true)
    consumerIDs.removeAll(keepingCapacity: true)
  }

  /// Starts a group whose name is element `name`.
  mutating func beginGroup(name: Int, info: StreamGroupInfo) {
    groups.append(
      Group(
        name: name, info: info, pending: pending.count..<pending.count,
        consumers: consumers.count..<consumers.count))
  }

  /// Adds a pending entry to the last group.
  mutating func addPending(_ entry: Pending) {
    pending.append(entry)
    if let last = groups.indices.last { groups[last].pending = groups[last].pending.lowerBound..<pending.count }
  }

  /// Adds a consumer, whose name is element `name`, to the last group.
  mutating func beginConsumer(name: Int, info: StreamConsumerInfo) {
    consumers.append(
      Consumer(name: name, info: info, pendingIDs: consumerIDs.count..<consumerIDs.count))
    if let last = groups.indices.last {
      groups[last].consumers = groups[last].consumers.lowerBound..<consumers.count
    }
  }

  /// Adds a pending ID to the last consumer.
  mutating func addConsumerPending(_ id: StreamID) {
    consumerIDs.append(id)
    if let last = consumers.indices.last {
      consumers[last].pendingIDs = consumers[last].pendingIDs.lowerBound..<consumerIDs.count
    }
  }
}
