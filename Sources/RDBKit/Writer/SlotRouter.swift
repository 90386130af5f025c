/// Writes one RDB file per cluster shard: each key goes to the ``RDBWriter`` of the shard
/// that owns its hash slot (``HashSlot``, ``SlotRanges``), and file-level records (header,
/// AUX fields, functions, `MODULE_AUX` data) go to every file, as every node of a cluster
/// needs them. A slot hint (``SlotHint``) goes with its slot.
///
/// A cluster has database 0 only: a key whose output database (after the writers'
/// ``RDBWriter/Options/databaseMap`` and ``RDBWriter/Options/singleDatabase``) is another
/// one stops the run with an error naming the database and the key.
///
/// Routing a key is a slot computation and a table lookup; the router allocates nothing per
/// key, and returns the chosen writer's ``KeyDecision`` so values are still copied byte for
/// byte where they can be. Each writer has its own ``OutputBuffer``, so memory is N buffers
/// plus the one value being written.
///
///     var router = SlotRouter(writers: writers, ranges: .dealt(shards: writers.count))
///     try RDBParser().parse(path: "dump.rdb", into: &router)
///     try router.finish()
public struct SlotRouter: RDBHandler {
  /// Module values and module AUX data are copied byte for byte.
  public static var needsModulePayloads: Bool { RDBWriter.needsModulePayloads }

  /// One writer per shard, in ``SlotRanges/shards`` order.
  public private(set) var writers: [RDBWriter]
  /// The slot ranges each writer's shard owns.
  public let ranges: SlotRanges
  /// The writer of the key under way.
  private var current = 0
  private var inKey = false

  /// Routes keys to `writers`, one per shard of `ranges`.
  ///
  /// - Precondition: there are as many writers as shards.
  public init(writers: [RDBWriter], ranges: SlotRanges) {
    precondition(writers.count == ranges.count, "one writer per shard")
    self.writers = writers
    self.ranges = ranges
  }

  /// Finishes every file (EOF and checksum, flushed).
  public mutating func finish() throws(RDBError) {
    for index in writers.indices { try writers[index].finish() }
  }

  /// The keys written to each file.
  public var keysWritten: [Int] { writers.map(\.keysWritten) }

  /// What every file left out, added up.
  public var losses: LossReport {
    var total = LossReport()
    for writer in writers { total.merge(writer.losses) }
    return total
  }

  public mutating func header(_ version: RDBVersion) throws(RDBError) {
    for index in writers.indices { try writers[index].header(version) }
  }
  public mutating func aux(key: RawSpan, value: RawSpan) throws(RDBError) {
    if let hint = SlotHint(auxKey: key, value: value) {
      try slotHint(hint)
      return
    }
    for index in writers.indices { try writers[index].aux(key: key, value: value) }
  }
  public mutating func function(code: RawSpan) throws(RDBError) {
    for index in writers.indices { try writers[index].function(code: code) }
  }
  public mutating func moduleAux(_ module: ModuleType) throws(RDBError) {
    for index in writers.indices { try writers[index].moduleAux(module) }
  }
  public mutating func modulePayload(_ bytes: RawSpan) throws(RDBError) {
    if inKey {
      try writers[current].modulePayload(bytes)
    } else {
      for index in writers.indices { try writers[index].modulePayload(bytes) }
    }
  }
  public mutating func beginDatabase(_ index: Int) throws(RDBError) {
    for writer in writers.indices { try writers[writer].beginDatabase(index) }
  }
  public mutating func resizeDatabase(keys: UInt64, expires: UInt64) throws(RDBError) {
    for index in writers.indices { try writers[index].resizeDatabase(keys: keys, expires: expires) }
  }
  public mutating func slotHint(_ hint: SlotHint) throws(RDBError) {
    guard hint.slot < UInt64(HashSlot.count) else { return }
    try writers[ranges.shard(ofSlot: Int(hint.slot))].slotHint(hint)
  }

  public mutating func beginKey(_ key: RawSpan, info: KeyInfo) throws(RDBError) -> KeyDecision {
    let database = RDBWriter.database(for: info.database, options: writers[0].options)
    guard database == 0 else {
      let name = unsafe key.withUnsafeBytes { unsafe String(decoding: $0, as: UTF8.self) }
      throw RDBError(
        .invalidValue(
          "key \"\(name)\" is in database \(info.database) and a cluster has only database 0 "
            + "(--db-map \(info.database)=0 or --single-db puts it there, --db 0 leaves it out)"
        ), at: info.offset, key: name)
    }
    current = ranges.shard(ofSlot: HashSlot.slot(of: key))
    inKey = true
    return try writers[current].beginKey(key, info: info)
  }

  public mutating func keyMetadata(_ metadata: KeyMetadataClass, payload: RawSpan)
    throws(RDBError)
  {
    try writers[current].keyMetadata(metadata, payload: payload)
  }
  public mutating func beginValue(encoding: Encoding) throws(RDBError) {
    try writers[current].beginValue(encoding: encoding)
  }
  public mutating func rawValue(_ bytes: RawSpan) throws(RDBError) {
    try writers[current].rawValue(bytes)
  }
  public mutating func valueBlob(_ blob: ValueBlob) throws(RDBError) {
    try writers[current].valueBlob(blob)
  }
  public mutating func listpackListNode(_ node: RawSpan) throws(RDBError) -> Bool {
    try writers[current].listpackListNode(node)
  }
  public mutating func stringLength(_ byteCount: Int) throws(RDBError) {
    try writers[current].stringLength(byteCount)
  }
  public mutating func stringValue(_ value: RawSpan) throws(RDBError) {
    try writers[current].stringValue(value)
  }
  public mutating func listElement(_ element: RawSpan) throws(RDBError) {
    try writers[current].listElement(element)
  }
  public mutating func setMember(_ member: RawSpan) throws(RDBError) {
    try writers[current].setMember(member)
  }
  public mutating func sortedSetMember(_ member: RawSpan, score: Double) throws(RDBError) {
    try writers[current].sortedSetMember(member, score: score)
  }
  public mutating func hashField(_ field: RawSpan, value: RawSpan, expiresAt: Int64?)
    throws(RDBError)
  {
    try writers[current].hashField(field, value: value, expiresAt: expiresAt)
  }
  public mutating func beginStreamEntry(id: StreamID, fieldCount: Int) throws(RDBError) {
    try writers[current].beginStreamEntry(id: id, fieldCount: fieldCount)
  }
  public mutating func streamField(_ field: RawSpan, value: RawSpan) throws(RDBError) {
    try writers[current].streamField(field, value: value)
  }
  public mutating func streamMetadata(_ metadata: StreamMetadata) throws(RDBError) {
    try writers[current].streamMetadata(metadata)
  }
  public mutating func beginStreamGroup(name: RawSpan, info: StreamGroupInfo) throws(RDBError) {
    try writers[current].beginStreamGroup(name: name, info: info)
  }
  public mutating func streamPendingEntry(id: StreamID, deliveryTime: Int64, deliveryCount: UInt64)
    throws(RDBError)
  {
    try writers[current].streamPendingEntry(
      id: id, deliveryTime: deliveryTime, deliveryCount: deliveryCount)
  }
  public mutating func beginStreamConsumer(name: RawSpan, info: StreamConsumerInfo) throws(RDBError)
  {
    try writers[current].beginStreamConsumer(name: name, info: info)
  }
  public mutating func streamConsumerPending(id: StreamID) throws(RDBError) {
    try writers[current].streamConsumerPending(id: id)
  }
  public mutating func streamIdempotency(_ settings: StreamIdempotency) throws(RDBError) {
    try writers[current].streamIdempotency(settings)
  }
  public mutating func beginStreamProducer(id: RawSpan, entryCount: UInt64) throws(RDBError) {
    try writers[current].beginStreamProducer(id: id, entryCount: entryCount)
  }
  public mutating func streamProducerEntry(iid: RawSpan, id: StreamID) throws(RDBError) {
    try writers[current].streamProducerEntry(iid: iid, id: id)
  }
  public mutating func streamIdempotencyTotals(iidsAdded: UInt64, iidsDuplicates: UInt64)
    throws(RDBError)
  {
    try writers[current].streamIdempotencyTotals(
      iidsAdded: iidsAdded, iidsDuplicates: iidsDuplicates)
  }
  public mutating func moduleValue(_ module: ModuleType) throws(RDBError) {
    try writers[current].moduleValue(module)
  }
  public mutating func beginVectorSet(_ info: VectorSetInfo) throws(RDBError) {
    try writers[current].beginVectorSet(info)
  }
  public mutating func vectorSetElement(
    _ element: RawSpan, vector: RawSpan, attributes: RawSpan, info: VectorSetElementInfo
  ) throws(RDBError) {
    try writers[current].vectorSetElement(
      element, vector: vector, attributes: attributes, info: info)
  }
  public mutating func endKey(_ summary: KeySummary) throws(RDBError) {
    try writers[current].endKey(summary)
    inKey = false
  }
}
