/// Streams: the node radix tree, the listpacks, and each consumer group's PELs and consumers
/// (docs/memory-model.md, 4.5).
extension MemoryEstimator {
  mutating func beginStream() {
    // Valkey 9 counts the trees' real allocations (`raxAllocSize`), older versions a flat
    // figure per node.
    let allocator = model.countsRaxAllocations ? model.allocator : nil
    streamRax = RaxModel(allocator: allocator)
    groupRax = RaxModel(allocator: allocator)
    consumerRax = RaxModel(allocator: allocator)
    lastNodeBytes = 0
    inGroup = false
    inConsumer = false
    groupNames.removeAll()
    consumerNames.removeAll()
    pendingIDs.removeAll()
    valueCost = 16 + model.streamSize
  }

  /// A stream node: its listpack, and its master ID as a key of the stream's radix tree.
  mutating func addStreamNode(_ blob: ValueBlob) {
    if let id = blob.streamNodeID { streamRax.insert(id) }
    lastNodeBytes = blob.byteCount
    valueCost +=
      model.streamListpacksAreRounded
      ? model.allocationSize(blob.byteCount) : blob.byteCount
  }

  public mutating func beginStreamEntry(id: StreamID, fieldCount: Int) throws(RDBError) {
    // Counted from the nodes' headers instead when they gave the counts.
    if Self.needsPackedElements || !countedFromBlobs { elements += 1 }
  }

  public mutating func streamField(_ field: RawSpan, value: RawSpan) throws(RDBError) {
    let length = max(field.byteCount, value.byteCount)
    if length > largest { largest = length }
  }

  public mutating func streamMetadata(_ metadata: StreamMetadata) throws(RDBError) {
    valueCost += raxCost(streamRax)
    // Deleting a tree's last key leaves its head as allocated, so on Redis 8.6 and Valkey 8.1+
    // the head of a stream emptied by commands still holds its 16-byte ID (4 + 16, padded, and
    // a child pointer: 32 bytes) instead of the empty 8.
    if model.countsRaxAllocations, model.streamsBuiltByCommands, streamRax.elements == 0,
      metadata.lastID != StreamID(milliseconds: 0, sequence: 0)
    {
      valueCost += model.allocationSize(32) - model.allocationSize(8)
    }
    // XADD allocates a new node's listpack at 4096 bytes and shrinks it only when it closes
    // the node, so the last node of a stream built by commands still holds 4096.
    if model.streamsBuiltByCommands, model.streamListpacksAreRounded, lastNodeBytes > 0,
      model.version != .redis86
    {
      let counted = model.allocationSize(lastNodeBytes)
      valueCost += max(4096, counted) - counted
    }
  }

  public mutating func beginStreamGroup(name: RawSpan, info: StreamGroupInfo) throws(RDBError) {
    finishGroup()
    inGroup = true
    groupRax.reset()
    valueCost += model.consumerGroupSize
    if model.countsStreamGroupTrees {
      groupNames.insert(Self.bytes(name))
      consumerNames.removeAll()
    }
  }

  public mutating func streamPendingEntry(
    id: StreamID, deliveryTime: Int64, deliveryCount: UInt64
  ) throws(RDBError) {
    groupRax.insert(id)
    if model.countsStreamGroupTrees { pendingIDs.insert(Self.bytes(id)) }
  }

  public mutating func beginStreamConsumer(name: RawSpan, info: StreamConsumerInfo)
    throws(RDBError)
  {
    finishConsumer()
    inConsumer = true
    consumerRax.reset()
    if model.countsStreamGroupTrees {
      consumerNames.insert(Self.bytes(name))
      valueCost += model.consumerSize + model.trackedStringCost(name.byteCount)
    } else {
      valueCost += model.consumerSize + name.byteCount
    }
  }

  public mutating func streamConsumerPending(id: StreamID) throws(RDBError) {
    consumerRax.insert(id)
  }

  private mutating func finishConsumer() {
    guard inConsumer else { return }
    valueCost += raxCost(consumerRax)
    inConsumer = false
  }

  /// Adds the group's PEL (its tree and a NACK per entry), its last consumer and, on Redis
  /// 8.6, its consumer tree.
  private mutating func finishGroup() {
    finishConsumer()
    guard inGroup else { return }
    valueCost += raxCost(groupRax) + model.nackSize * groupRax.elements
    if model.countsStreamGroupTrees { valueCost += consumerNames.allocatedBytes(model.allocator) }
    inGroup = false
  }

  /// An IDMP producer (Redis 8.6): its struct; the producer tree and dicts are not counted.
  public mutating func beginStreamProducer(id: RawSpan, entryCount: UInt64) throws(RDBError) {
    if model.countsStreamGroupTrees { valueCost += model.allocationSize(24) }
  }

  /// An IDMP entry: its struct with the IID inline.
  public mutating func streamProducerEntry(iid: RawSpan, id: StreamID) throws(RDBError) {
    if model.countsStreamGroupTrees { valueCost += model.allocationSize(32 + iid.byteCount) }
  }

  private static func bytes(_ span: RawSpan) -> [UInt8] {
    unsafe span.withUnsafeBytes { unsafe [UInt8]($0) }
  }

  /// A stream ID as rax keys hold it: milliseconds, then sequence, both big-endian.
  private static func bytes(_ id: StreamID) -> [UInt8] {
    var key: [UInt8] = []
    key.reserveCapacity(16)
    for word in [id.milliseconds, id.sequence] {
      for shift in stride(from: 56, through: 0, by: -8) {
        key.append(UInt8(truncatingIfNeeded: word >> shift))
      }
    }
    return key
  }

  /// What the server counts for a tree: its allocations on Valkey 9, else the flat formula.
  private func raxCost(_ rax: RaxModel) -> Int {
    model.countsRaxAllocations ? rax.allocatedBytes : rax.cost
  }

  /// Closes the last group; on Redis 8.6 adds the group tree and the pending-ID index, which
  /// the server creates with the first group and the first pending entry.
  mutating func finishStream() {
    finishGroup()
    guard model.countsStreamGroupTrees else { return }
    if groupNames.count > 0 { valueCost += groupNames.allocatedBytes(model.allocator) }
    if pendingIDs.count > 0 { valueCost += pendingIDs.allocatedBytes(model.allocator) }
  }
}
