/// Encoding a buffered stream: listpack nodes with master entries, the metadata, consumer
/// groups, their pending entries and consumers, in the layout of stream type 15, 19 or 21.
extension RDBWriter {
  /// Writes the stream's value as `type`, counting what that type cannot hold.
  mutating func writeStream(_ type: ValueType) throws(RDBError) {
    let nodes = streamNodes()
    encoder.length(UInt64(nodes.count))
    for node in nodes {
      let master = stream.entries[node.lowerBound].id
      encoder.blob(Self.rawID(master))
      encodeStreamNode(node)
      unsafe encoder.blob(unsafeBytes: listpack.blob.buffer)
    }
    let entries = stream.entries
    let metadata = stream.metadata
    let length = UInt64(entries.count)
    encoder.length(length)
    writeID(metadata?.lastID ?? entries.last?.id ?? StreamID(milliseconds: 0, sequence: 0))
    let zero = StreamID(milliseconds: 0, sequence: 0)
    let maxDeleted = metadata?.maxDeletedID ?? zero
    let entriesAdded = metadata?.entriesAdded ?? length
    if type == .streamListpacks {
      if maxDeleted != zero || entriesAdded != length
        || stream.groups.contains(where: { $0.info.entriesRead != nil })
      {
        recordLoss(.streamMetadata)
      }
    } else {
      writeID(entries.first?.id ?? zero)
      writeID(maxDeleted)
      encoder.length(entriesAdded)
    }
    if type != .streamListpacks3, type != .streamListpacks4,
      stream.consumers.contains(where: { consumer in
        consumer.info.activeTime.map { $0 != consumer.info.seenTime } ?? false
      })
    {
      recordLoss(.consumerActiveTime)
    }
    if type != .streamListpacks4, stream.hasIdempotencyData {
      recordLoss(.streamIdempotency)
    }
    encoder.length(UInt64(stream.groups.count))
    for group in stream.groups {
      unsafe encoder.string(unsafeBytes: values.element(group.name))
      writeID(group.info.lastDeliveredID)
      if type != .streamListpacks {
        encoder.length(UInt64(bitPattern: group.info.entriesRead ?? -1))
      }
      encoder.length(UInt64(group.pending.count))
      for entry in stream.pending[group.pending] {
        encoder.rawStreamID(entry.id)
        encoder.littleEndian(UInt64(bitPattern: entry.deliveryTime), byteCount: 8)
        encoder.length(entry.deliveryCount)
      }
      encoder.length(UInt64(group.consumers.count))
      for consumer in stream.consumers[group.consumers] {
        unsafe encoder.string(unsafeBytes: values.element(consumer.name))
        encoder.littleEndian(UInt64(bitPattern: consumer.info.seenTime), byteCount: 8)
        if type == .streamListpacks3 || type == .streamListpacks4 {
          let active = consumer.info.activeTime ?? consumer.info.seenTime
          encoder.littleEndian(UInt64(bitPattern: active), byteCount: 8)
        }
        encoder.length(UInt64(consumer.pendingIDs.count))
        for id in stream.consumerIDs[consumer.pendingIDs] { encoder.rawStreamID(id) }
      }
    }
    if type == .streamListpacks4 { writeIdempotency() }
  }

  /// Type 26's tail: the IDMP settings (Redis 8.6's defaults when the input had none), the
  /// producers with their remembered IIDs, and the all-time counters.
  private mutating func writeIdempotency() {
    let settings = stream.idempotency
    encoder.length(settings?.duration ?? 100)
    encoder.length(settings?.maxSize ?? 100)
    encoder.length(UInt64(stream.producers.count))
    for producer in stream.producers {
      unsafe encoder.string(unsafeBytes: values.element(producer.id))
      encoder.length(UInt64(producer.entries.count))
      for entry in stream.producerEntries[producer.entries] {
        unsafe encoder.string(unsafeBytes: values.element(entry.iid))
        writeID(entry.id)
      }
    }
    encoder.length(stream.idempotencyTotals.added)
    encoder.length(stream.idempotencyTotals.duplicates)
  }

  /// Entry ranges of the nodes, split as `XADD` splits them: a new node once the current one
  /// has `stream-node-max-entries` entries or its bytes plus the new entry's field and value
  /// bytes reach `stream-node-max-bytes`.
  private func streamNodes() -> [Range<Int>] {
    let limits = engine.limits
    var nodes: [Range<Int>] = []
    var start = 0
    var nodeBytes = 0
    for (index, entry) in stream.entries.enumerated() {
      var entryBytes = 0
      for element in entry.firstElement..<entry.firstElement + 2 * entry.fieldCount {
        entryBytes += values.length(element)
      }
      if index > start,
        nodeBytes + entryBytes >= limits.streamNodeBytes
          || index - start >= limits.streamNodeEntries
      {
        nodes.append(start..<index)
        start = index
        nodeBytes = 0
      }
      if index == start { nodeBytes = 16 + entryBytes }
      nodeBytes += entryBytes + 2 * entry.fieldCount + 8
    }
    if start < stream.entries.count { nodes.append(start..<stream.entries.count) }
    return nodes
  }

  /// Fills ``listpack`` with one node: the master entry (the first entry's field names), then
  /// each entry, with the SAMEFIELDS flag when its fields are the master's.
  private mutating func encodeStreamNode(_ node: Range<Int>) {
    let entries = stream.entries
    let master = entries[node.lowerBound]
    listpack.reset()
    listpack.append(integer: Int64(node.count))
    listpack.append(integer: 0)
    listpack.append(integer: Int64(master.fieldCount))
    for field in 0..<master.fieldCount {
      unsafe listpack.append(unsafeBytes: values.element(master.firstElement + 2 * field))
    }
    listpack.append(integer: 0)
    for entry in entries[node] {
      let same = sameFields(entry, master)
      listpack.append(integer: same ? 2 : 0)
      listpack.append(integer: Int64(bitPattern: entry.id.milliseconds &- master.id.milliseconds))
      listpack.append(integer: Int64(bitPattern: entry.id.sequence &- master.id.sequence))
      if same {
        for field in 0..<entry.fieldCount {
          unsafe listpack.append(unsafeBytes: values.element(entry.firstElement + 2 * field + 1))
        }
        listpack.append(integer: Int64(entry.fieldCount + 3))
      } else {
        listpack.append(integer: Int64(entry.fieldCount))
        for element in entry.firstElement..<entry.firstElement + 2 * entry.fieldCount {
          unsafe listpack.append(unsafeBytes: values.element(element))
        }
        listpack.append(integer: Int64(2 * entry.fieldCount + 4))
      }
    }
    listpack.finish()
  }

  /// Whether `entry` has the master entry's field names, in order.
  private func sameFields(_ entry: StreamBuffer.Entry, _ master: StreamBuffer.Entry) -> Bool {
    guard entry.fieldCount == master.fieldCount else { return false }
    for field in 0..<entry.fieldCount {
      guard values.elementsEqual(entry.firstElement + 2 * field, master.firstElement + 2 * field)
      else { return false }
    }
    return true
  }

  /// A stream ID as two lengths.
  private mutating func writeID(_ id: StreamID) {
    encoder.length(id.milliseconds)
    encoder.length(id.sequence)
  }

  /// A node key: the master ID in 16 big-endian bytes.
  private static func rawID(_ id: StreamID) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(16)
    for value in [id.milliseconds, id.sequence] {
      for shift in stride(from: 56, through: 0, by: -8) {
        bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
      }
    }
    return bytes
  }
}
