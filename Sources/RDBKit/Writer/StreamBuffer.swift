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

  /// An idempotent producer: its id (an element) and its slice of ``producerEntries``.
  struct Producer {
    var id: Int
    var entries: Range<Int>
  }

  var entries: [Entry] = []
  var metadata: StreamMetadata?
  var groups: [Group] = []
  var pending: [Pending] = []
  var consumers: [Consumer] = []
  var consumerIDs: [StreamID] = []
  /// Type 26's IDMP settings, when the stream had them.
  var idempotency: StreamIdempotency?
  var producers: [Producer] = []
  /// Remembered IIDs (elements) and the stream IDs they were given.
  var producerEntries: [(iid: Int, id: StreamID)] = []
  /// The all-time IDMP counters.
  var idempotencyTotals: (added: UInt64, duplicates: UInt64) = (0, 0)

  /// Empties the buffer, keeping its storage (nothing to do after a non-stream value).
  mutating func reset() {
    guard metadata != nil || !entries.isEmpty || !groups.isEmpty || idempotency != nil else {
      return
    }
    entries.removeAll(keepingCapacity: true)
    metadata = nil
    groups.removeAll(keepingCapacity: true)
    pending.removeAll(keepingCapacity: true)
    consumers.removeAll(keepingCapacity: true)
    consumerIDs.removeAll(keepingCapacity: true)
    idempotency = nil
    producers.removeAll(keepingCapacity: true)
    producerEntries.removeAll(keepingCapacity: true)
    idempotencyTotals = (0, 0)
  }

  /// Whether the IDMP state says anything a type-21 stream would lose: producers, counters,
  /// or settings other than Redis 8.6's defaults (100 s, 100 IIDs).
  var hasIdempotencyData: Bool {
    guard let idempotency else { return false }
    return !producers.isEmpty || idempotencyTotals != (0, 0) || idempotency.duration != 100
      || idempotency.maxSize != 100
  }

  /// Adds a producer whose id is element `id`.
  mutating func beginProducer(id: Int) {
    producers.append(Producer(id: id, entries: producerEntries.count..<producerEntries.count))
  }

  /// Adds a remembered IID to the last producer.
  mutating func addProducerEntry(iid: Int, id: StreamID) {
    producerEntries.append((iid, id))
    if let last = producers.indices.last {
      producers[last].entries = producers[last].entries.lowerBound..<producerEntries.count
    }
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
    if let last = groups.indices.last {
      groups[last].pending = groups[last].pending.lowerBound..<pending.count
    }
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
