/// One pass over an input file for `rdbtool seed-check`: every event goes to an
/// ``RDBWriter`` for the target (whose output the caller discards, so its ``RDBWriter/losses``
/// are exactly what `rdbtool rewrite --target` would lose) and to a ``MemoryEstimator`` with
/// the target's memory model feeding a ``SeedTally``; functions and module types are counted
/// on the way.
///
/// The writer decodes every value instead of copying it (its losses are the same either
/// way), so both handlers see the same events.
///
///     let output = OutputBuffer(descriptor: devNull)
///     var scan = SeedScan(target: engine, output: output, tally: SeedTally(
///       ranges: nil, expectedShard: nil, keepsKeyNames: false))
///     try RDBParser().parse(path: "dump.rdb", into: &scan)
///     scan.summary.losses
public struct SeedScan: RDBHandler {
  /// The writer needs module payloads to count what it would copy.
  public static var needsModulePayloads: Bool { true }

  private var writer: RDBWriter
  private var estimator: MemoryEstimator<SeedTally>
  private var version = RDBVersion(magic: .redis, number: 0)
  private var functions = 0
  private var moduleValues: [String: Int] = [:]
  private var moduleAuxTypes: Set<String> = []

  /// A scan for `target`, writing into `output` (which the caller discards) and tallying
  /// keys into `tally`.
  public init(target: TargetEngine, output: OutputBuffer, tally: SeedTally) {
    var options = RDBWriter.Options(target: target)
    options.copiesValues = false
    writer = RDBWriter(output: output, options: options)
    // The memory a shard needs is what the target holds once it has loaded the file.
    estimator = MemoryEstimator(
      consumer: tally, model: MemoryModel(version: target.memoryModelVersion, asLoaded: true))
  }

  /// What the scan found.
  public var summary: SeedScanSummary {
    SeedScanSummary(
      version: version, losses: writer.losses, tally: estimator.consumer, functions: functions,
      moduleValues: moduleValues, moduleAuxTypes: moduleAuxTypes)
  }

  public mutating func header(_ version: RDBVersion) throws(RDBError) {
    self.version = version
    try writer.header(version)
    try estimator.header(version)
  }
  public mutating func aux(key: RawSpan, value: RawSpan) throws(RDBError) {
    try writer.aux(key: key, value: value)
    try estimator.aux(key: key, value: value)
  }
  public mutating func function(code: RawSpan) throws(RDBError) {
    functions += 1
    try writer.function(code: code)
  }
  public mutating func moduleAux(_ module: ModuleType) throws(RDBError) {
    moduleAuxTypes.insert(module.name)
    try writer.moduleAux(module)
  }
  public mutating func modulePayload(_ bytes: RawSpan) throws(RDBError) {
    try writer.modulePayload(bytes)
  }
  public mutating func beginDatabase(_ index: Int) throws(RDBError) {
    try writer.beginDatabase(index)
    try estimator.beginDatabase(index)
  }
  public mutating func resizeDatabase(keys: UInt64, expires: UInt64) throws(RDBError) {
    try writer.resizeDatabase(keys: keys, expires: expires)
  }
  public mutating func beginKey(_ key: RawSpan, info: KeyInfo) throws(RDBError) -> KeyDecision {
    // Both answer .decode: the writer copies nothing and checks no duplicates here.
    _ = try writer.beginKey(key, info: info)
    return try estimator.beginKey(key, info: info)
  }
  public mutating func keyMetadata(_ metadata: KeyMetadataClass, payload: RawSpan)
    throws(RDBError)
  {
    try writer.keyMetadata(metadata, payload: payload)
    try estimator.keyMetadata(metadata, payload: payload)
  }
  public mutating func beginValue(encoding: Encoding) throws(RDBError) {
    try writer.beginValue(encoding: encoding)
    try estimator.beginValue(encoding: encoding)
  }
  public mutating func valueBlob(_ blob: ValueBlob) throws(RDBError) {
    try writer.valueBlob(blob)
    try estimator.valueBlob(blob)
  }
  public mutating func stringLength(_ byteCount: Int) throws(RDBError) {
    try writer.stringLength(byteCount)
    try estimator.stringLength(byteCount)
  }
  public mutating func stringValue(_ value: RawSpan) throws(RDBError) {
    try writer.stringValue(value)
    try estimator.stringValue(value)
  }
  public mutating func listElement(_ element: RawSpan) throws(RDBError) {
    try writer.listElement(element)
    try estimator.listElement(element)
  }
  public mutating func setMember(_ member: RawSpan) throws(RDBError) {
    try writer.setMember(member)
    try estimator.setMember(member)
  }
  public mutating func sortedSetMember(_ member: RawSpan, score: Double) throws(RDBError) {
    try writer.sortedSetMember(member, score: score)
    try estimator.sortedSetMember(member, score: score)
  }
  public mutating func hashField(_ field: RawSpan, value: RawSpan, expiresAt: Int64?)
    throws(RDBError)
  {
    try writer.hashField(field, value: value, expiresAt: expiresAt)
    try estimator.hashField(field, value: value, expiresAt: expiresAt)
  }
  public mutating func beginStreamEntry(id: StreamID, fieldCount: Int) throws(RDBError) {
    try writer.beginStreamEntry(id: id, fieldCount: fieldCount)
    try estimator.beginStreamEntry(id: id, fieldCount: fieldCount)
  }
  public mutating func streamField(_ field: RawSpan, value: RawSpan) throws(RDBError) {
    try writer.streamField(field, value: value)
    try estimator.streamField(field, value: value)
  }
  public mutating func streamMetadata(_ metadata: StreamMetadata) throws(RDBError) {
    try writer.streamMetadata(metadata)
    try estimator.streamMetadata(metadata)
  }
  public mutating func beginStreamGroup(name: RawSpan, info: StreamGroupInfo) throws(RDBError) {
    try writer.beginStreamGroup(name: name, info: info)
    try estimator.beginStreamGroup(name: name, info: info)
  }
  public mutating func streamPendingEntry(id: StreamID, deliveryTime: Int64, deliveryCount: UInt64)
    throws(RDBError)
  {
    try writer.streamPendingEntry(id: id, deliveryTime: deliveryTime, deliveryCount: deliveryCount)
    try estimator.streamPendingEntry(
      id: id, deliveryTime: deliveryTime, deliveryCount: deliveryCount)
  }
  public mutating func beginStreamConsumer(name: RawSpan, info: StreamConsumerInfo) throws(RDBError)
  {
    try writer.beginStreamConsumer(name: name, info: info)
    try estimator.beginStreamConsumer(name: name, info: info)
  }
  public mutating func streamConsumerPending(id: StreamID) throws(RDBError) {
    try writer.streamConsumerPending(id: id)
    try estimator.streamConsumerPending(id: id)
  }
  public mutating func streamIdempotency(_ settings: StreamIdempotency) throws(RDBError) {
    try writer.streamIdempotency(settings)
    try estimator.streamIdempotency(settings)
  }
  public mutating func beginStreamProducer(id: RawSpan, entryCount: UInt64) throws(RDBError) {
    try writer.beginStreamProducer(id: id, entryCount: entryCount)
    try estimator.beginStreamProducer(id: id, entryCount: entryCount)
  }
  public mutating func streamProducerEntry(iid: RawSpan, id: StreamID) throws(RDBError) {
    try writer.streamProducerEntry(iid: iid, id: id)
    try estimator.streamProducerEntry(iid: iid, id: id)
  }
  public mutating func streamIdempotencyTotals(iidsAdded: UInt64, iidsDuplicates: UInt64)
    throws(RDBError)
  {
    try writer.streamIdempotencyTotals(iidsAdded: iidsAdded, iidsDuplicates: iidsDuplicates)
    try estimator.streamIdempotencyTotals(iidsAdded: iidsAdded, iidsDuplicates: iidsDuplicates)
  }
  public mutating func moduleValue(_ module: ModuleType) throws(RDBError) {
    moduleValues[module.name, default: 0] += 1
    try writer.moduleValue(module)
    try estimator.moduleValue(module)
  }
  public mutating func beginVectorSet(_ info: VectorSetInfo) throws(RDBError) {
    try writer.beginVectorSet(info)
    try estimator.beginVectorSet(info)
  }
  public mutating func vectorSetElement(
    _ element: RawSpan, vector: RawSpan, attributes: RawSpan, info: VectorSetElementInfo
  ) throws(RDBError) {
    try writer.vectorSetElement(element, vector: vector, attributes: attributes, info: info)
    try estimator.vectorSetElement(element, vector: vector, attributes: attributes, info: info)
  }
  public mutating func endKey(_ summary: KeySummary) throws(RDBError) {
    try writer.endKey(summary)
    try estimator.endKey(summary)
  }
}
