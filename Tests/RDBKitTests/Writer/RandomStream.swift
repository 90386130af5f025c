import RDBKit

/// Random streams that a server could hold: increasing IDs, entries that share the master
/// entry's field names and entries whose names differ, enough entries or bytes to need
/// several nodes, deleted entries (max deleted ID, entries added), and consumer groups whose
/// pending entries each belong to exactly one consumer.
enum RandomStream {
  static func make(_ random: inout SplitMix64) -> GeneratedStream {
    var stream = GeneratedStream()
    let entryCount = [0, 1, 2, 3, 5, 8, 20, 101][random.below(8)]
    var id = StreamID(
      milliseconds: UInt64(1_700_000_000_000 + random.below(1_000_000)),
      sequence: UInt64(random.below(3)))
    let masterFields = [utf8("name"), utf8("count")]
    let bigValues = random.below(4) == 0
    for _ in 0..<entryCount {
      id = next(after: id, &random)
      let fields: [[UInt8]]
      switch random.below(5) {
      case 0: fields = [utf8("other")]
      case 1: fields = masterFields + [utf8("extra")]
      case 2: fields = [masterFields[1], masterFields[0]]
      default: fields = masterFields
      }
      let values = fields.map { _ in
        bigValues
          ? RandomDataSet.text(length: 300 + random.below(200), &random)
          : RandomDataSet.element(&random, long: false)
      }
      stream.entries.append(.init(id: id, fields: fields, values: values))
    }
    let deleted = UInt64(random.below(3) == 0 ? random.below(20) : 0)
    stream.lastID = random.below(4) == 0 || entryCount == 0 ? next(after: id, &random) : id
    stream.firstID = stream.entries.first?.id ?? StreamID(milliseconds: 0, sequence: 0)
    stream.maxDeletedID =
      deleted > 0
      ? StreamID(milliseconds: id.milliseconds / 2, sequence: 1)
      : StreamID(milliseconds: 0, sequence: 0)
    stream.entriesAdded = UInt64(entryCount) + deleted
    for index in 0..<random.below(4) {
      stream.groups.append(group(index, of: stream, &random))
    }
    return stream
  }

  /// A later ID: the same millisecond with a higher sequence, or a later millisecond.
  static func next(after id: StreamID, _ random: inout SplitMix64) -> StreamID {
    if random.below(3) == 0 {
      return StreamID(milliseconds: id.milliseconds, sequence: id.sequence + 1)
    }
    return StreamID(
      milliseconds: id.milliseconds + 1 + UInt64(random.below(5000)),
      sequence: UInt64(random.below(3)))
  }

  /// Group `index`: some entries pending, each owned by one of its consumers.
  static func group(_ index: Int, of stream: GeneratedStream, _ random: inout SplitMix64)
    -> GeneratedStream.Group
  {
    let delivered =
      stream.entries.isEmpty
      ? [] : Array(stream.entries.prefix(1 + random.below(stream.entries.count)))
    let pendingIDs = delivered.map(\.id).filter { _ in random.below(2) == 0 }
    let consumerCount = pendingIDs.isEmpty ? random.below(3) : 1 + random.below(3)
    var consumers = (0..<consumerCount).map { number in
      let seen = Int64(1_700_000_000_000 + random.below(1_000_000))
      let active = random.below(2) == 0 ? seen : seen - Int64(random.below(1000))
      return GeneratedStream.Consumer(
        name: utf8("consumer-\(number)"), seenTime: seen, activeTime: active, pendingIDs: [])
    }
    for id in pendingIDs {
      consumers[random.below(consumers.count)].pendingIDs.append(id)
    }
    let entriesRead: Int64? =
      random.below(3) == 0 ? nil : Int64(delivered.count) + Int64(random.below(2))
    return GeneratedStream.Group(
      name: utf8("group-\(index)"),
      lastDeliveredID: delivered.last?.id ?? StreamID(milliseconds: 0, sequence: 0),
      entriesRead: entriesRead,
      pending: pendingIDs.map {
        GeneratedStream.Pending(
          id: $0, deliveryTime: Int64(1_700_000_000_000 + random.below(1_000_000)),
          deliveryCount: UInt64(1 + random.below(5)))
      },
      consumers: consumers)
  }
}
