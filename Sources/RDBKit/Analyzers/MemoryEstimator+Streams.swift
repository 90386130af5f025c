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
    awaitsNodeID = false
    lastNodeBytes = 0
    lastNodeID = StreamID(milliseconds: 0, sequence: 0)
    inGroup = false
    inConsumer = false
    valueCost = 16 + model.streamSize
  }

  /// A stream node: its listpack counts now; its ID (the rax key) comes with its first entry.
  mutating func addStreamNode(_ blob: ValueBlob) {
    if awaitsNodeID { insertUnknownNodeID() }
    awaitsNodeID = true
    lastNodeBytes = blob.byteCount
    valueCost +=
      model.streamListpacksAreRounded
      ? model.allocationSize(blob.byteCount) : blob.byteCount
  }

  /// A node whose entries are all deleted: the file does not show its master ID, so it is
  /// taken to follow the previous node's.
  private mutating func insertUnknownNodeID() {
    streamRax.insert(nextID(after: lastNodeID))
    awaitsNodeID = false
  }

  private func nextID(after id: StreamID) -> StreamID {
    StreamID(milliseconds: id.milliseconds, sequence: id.sequence &+ 1)
  }

  public mutating func beginStreamEntry(id: StreamID, fieldCount: Int) throws(RDBError) {
    elements += 1
    if awaitsNodeID {
      // The first live entry stands for the node's master ID, which is the first entry ever
      // added to it (possibly deleted since).
      streamRax.insert(id)
      lastNodeID = id
      awaitsNodeID = false
    }
  }

  public mutating func streamField(_ field: RawSpan, value: RawSpan) throws(RDBError) {
    let length = max(field.byteCount, value.byteCount)
    if length > largest { largest = length }
  }

  public mutating func streamMetadata(_ metadata: StreamMetadata) throws(RDBError) {
    if awaitsNodeID { insertUnknownNodeID() }
    valueCost += raxCost(streamRax)
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
  }

  public mutating func streamPendingEntry(
    id: StreamID, deliveryTime: Int64, deliveryCount: UInt64
  ) throws(RDBError) {
    groupRax.insert(id)
  }

  public mutating func beginStreamConsumer(name: RawSpan, info: StreamConsumerInfo)
    throws(RDBError)
  {
    finishConsumer()
    inConsumer = true
    consumerRax.reset()
    valueCost += model.consumerSize + name.byteCount
  }

  public mutating func streamConsumerPending(id: StreamID) throws(RDBError) {
    consumerRax.insert(id)
  }

  private mutating func finishConsumer() {
    guard inConsumer else { return }
    valueCost += raxCost(consumerRax)
    inConsumer = false
  }

  /// Adds the group's PEL (its tree and a 24-byte NACK per entry) and its last consumer.
  private mutating func finishGroup() {
    finishConsumer()
    guard inGroup else { return }
    valueCost += raxCost(groupRax) + 24 * groupRax.elements
    inGroup = false
  }

  /// What the server counts for a tree: its allocations on Valkey 9, else the flat formula.
  private func raxCost(_ rax: RaxModel) -> Int {
    model.countsRaxAllocations ? rax.allocatedBytes : rax.cost
  }

  mutating func finishStream() {
    finishGroup()
  }
}
