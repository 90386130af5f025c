/// Writes one JSON object per key, in file order: the lossless record format of
/// `rdbtool dump --format jsonl`.
///
///     {"db":0,"key":"user:1","type":"hash","encoding":"listpack","expire_ms":null,
///      "value":{"name":"Ada","visits":"12"}}
///
/// Byte strings follow ``ByteStringStyle``; integers stored as integers are written as their
/// decimal text, as Redis returns them. A hash whose field names are not all valid UTF-8 (in
/// the utf8 style) is written as an array of `[field, value]` pairs; fields with a TTL of
/// their own add `"field_expire_ms":[{"field":…,"expire_ms":…}]` after the value, one row
/// per field, so that SQL readers see one column whatever the field names. A stream
/// entry's fields the same way, and also when a field name repeats (`XADD s * k v k v` keeps
/// both pairs, which an object could not). Streams are
/// `{"entries":[{"id":…,"fields":{…}}],"length":…,"last_id":…,"groups":[…]}` (types 19, 21
/// and 26 add `first_id`, `max_deleted_id` and `entries_added`; type 26 adds
/// `"idmp":{"duration":…,"maxsize":…,"producers":[{"pid":…,"entries":[[iid,"ms-seq"],…]}],
/// "iids_added":…,"iids_duplicates":…}`). A vector set is
/// `{"dim":…,"quant":"f32"|"int8"|"bin","m":…,"projection_input_dim":…|null,"size":…,
/// "elements":[{"element":…,"vector":…,"l2":…,"range":…|null,"attributes":…|null}]}` with the
/// vector as stored; other module values are `{"module":name,"encver":n}`. A module value's
/// `type` (`vectorset` or `module`) comes last, once the value has said which it is. Module
/// metadata (RDB 13) is `"key_meta":[{"class":…,"version":…,"flags":…,"payload":…}]`, the
/// payload being the class's module items as in the file.
public struct JSONLinesWriter: RDBHandler {
  /// The buffered output; call ``finish()`` after the parse to write what is left.
  public let output: OutputBuffer
  private let style: ByteStringStyle
  private var info: KeyInfo?
  private var elementCount = 0
  private var map = MapWriter()
  /// The current hash's field TTLs, written after its value, and how many there are.
  private let expiryOutput = OutputBuffer()
  private var fieldExpiryCount = 0
  private var streamState = StreamGroupWriter()
  /// Producers written in the current stream's IDMP data, and entries in the current one.
  private var producers = 0
  private var producerEntries = 0
  private var metadataClasses = 0
  private var isVectorSet = false

  /// Writes to `output`, byte strings in `style`. (To leave keys out, wrap the writer in a
  /// ``KeyFilter``.)
  public init(output: OutputBuffer, style: ByteStringStyle = .utf8) {
    self.output = output
    self.style = style
  }

  /// Writes whatever is still buffered.
  public mutating func finish() throws(RDBError) { try output.flush() }

  public mutating func beginKey(_ key: RawSpan, info: KeyInfo) throws(RDBError) -> KeyDecision {
    self.info = info
    output.appendRecordStart(database: info.database)
    JSONText.appendValue(key, style: style, to: output)
    let dataType = info.dataType
    if dataType != .module { output.appendTypeField(dataType) }
    metadataClasses = 0
    isVectorSet = false
    return .decode
  }

  public mutating func keyMetadata(_ metadata: KeyMetadataClass, payload: RawSpan)
    throws(RDBError)
  {
    output.append(metadataClasses == 0 ? ",\"key_meta\":[" : ",")
    metadataClasses &+= 1
    output.append("{\"class\":\"")
    output.append(metadata.name)
    output.append("\",\"version\":")
    output.append(integer: Int64(metadata.version))
    output.append(",\"flags\":")
    output.append(integer: Int64(metadata.flags))
    output.append(",\"payload\":")
    JSONText.appendValue(payload, style: style, to: output)
    output.append(UInt8(ascii: "}"))
  }

  public mutating func beginValue(encoding: Encoding) throws(RDBError) {
    guard let info else { return }
    if metadataClasses > 0 { output.append(UInt8(ascii: "]")) }
    output.appendEncodingField(encoding)
    JSONText.appendInteger(info.expiresAt, to: output)
    if let idle = info.idleSeconds {
      output.append(",\"idle_s\":")
      output.append(integer: Int64(clamping: idle))
    }
    if let frequency = info.frequency {
      output.append(",\"freq\":")
      output.append(integer: Int64(frequency))
    }
    elementCount = 0
    switch info.dataType {
    case .list, .set, .sortedSet: output.append(",\"value\":[")
    case .hash:
      output.append(",\"value\":")
      map.begin(at: output.count)
      fieldExpiryCount = 0
      expiryOutput.truncate(to: 0)
    case .stream: output.append(",\"value\":{\"entries\":[")
    case .string, .module: output.append(",\"value\":")
    }
  }

  public mutating func stringValue(_ value: RawSpan) throws(RDBError) {
    JSONText.appendValue(value, style: style, to: output)
  }

  public mutating func listElement(_ element: RawSpan) throws(RDBError) {
    try appendElement(element)
  }

  public mutating func setMember(_ member: RawSpan) throws(RDBError) {
    try appendElement(member)
  }

  @inline(__always)
  private mutating func appendElement(_ element: RawSpan) throws(RDBError) {
    if elementCount > 0 { output.append(UInt8(ascii: ",")) }
    elementCount &+= 1
    JSONText.appendValue(element, style: style, to: output)
    try output.flushIfFull()
  }

  public mutating func sortedSetMember(_ member: RawSpan, score: Double) throws(RDBError) {
    if elementCount > 0 { output.append(UInt8(ascii: ",")) }
    elementCount &+= 1
    output.append("{\"member\":")
    JSONText.appendValue(member, style: style, to: output)
    output.append(",\"score\":")
    JSONText.appendScore(score, to: output)
    output.append(UInt8(ascii: "}"))
    try output.flushIfFull()
  }

  public mutating func hashField(_ field: RawSpan, value: RawSpan, expiresAt: Int64?)
    throws(RDBError)
  {
    map.beginEntry(key: field, style: style, in: output)
    JSONText.appendValue(value, style: style, to: output)
    if let expiresAt {
      expiryOutput.append(fieldExpiryCount == 0 ? "[{\"field\":" : ",{\"field\":")
      fieldExpiryCount &+= 1
      JSONText.appendValue(field, style: style, to: expiryOutput)
      expiryOutput.append(",\"expire_ms\":")
      expiryOutput.append(integer: expiresAt)
      expiryOutput.append(UInt8(ascii: "}"))
    }
  }

  public mutating func beginStreamEntry(id: StreamID, fieldCount: Int) throws(RDBError) {
    // Between entries nothing written can change: a long stream's line goes out in blocks.
    try output.flushIfFull()
    if elementCount > 0 { output.append(UInt8(ascii: ",")) }
    elementCount &+= 1
    output.append("{\"id\":\"")
    output.append(id)
    output.append("\",\"fields\":")
    map.begin(at: output.count, checksRepeats: true)
    map.remaining = fieldCount
    if fieldCount == 0 { closeStreamEntry() }
  }

  public mutating func streamField(_ field: RawSpan, value: RawSpan) throws(RDBError) {
    map.beginEntry(key: field, style: style, in: output)
    JSONText.appendValue(value, style: style, to: output)
    map.remaining -= 1
    if map.remaining == 0 { closeStreamEntry() }
  }

  private mutating func closeStreamEntry() {
    map.end(in: output)
    output.append(UInt8(ascii: "}"))
  }

  public mutating func streamMetadata(_ metadata: StreamMetadata) throws(RDBError) {
    try output.flushIfFull()
    streamState.writeMetadata(metadata, to: output)
  }

  public mutating func beginStreamGroup(name: RawSpan, info: StreamGroupInfo) throws(RDBError) {
    unsafe name.withUnsafeBytes {
      unsafe streamState.beginGroup(name: $0, info: info, style: style, to: output)
    }
  }

  public mutating func streamPendingEntry(id: StreamID, deliveryTime: Int64, deliveryCount: UInt64)
    throws(RDBError)
  {
    streamState.addPending(id: id, deliveryTime: deliveryTime, deliveryCount: deliveryCount)
  }

  public mutating func beginStreamConsumer(name: RawSpan, info: StreamConsumerInfo)
    throws(RDBError)
  {
    unsafe name.withUnsafeBytes {
      unsafe streamState.beginConsumer(name: $0, info: info, style: style, to: output)
    }
  }

  public mutating func streamConsumerPending(id: StreamID) throws(RDBError) {
    streamState.addConsumerPending(id: id)
  }

  public mutating func streamIdempotency(_ settings: StreamIdempotency) throws(RDBError) {
    streamState.endGroups(to: output)
    output.append(",\"idmp\":{\"duration\":")
    output.append(integer: Int64(clamping: settings.duration))
    output.append(",\"maxsize\":")
    output.append(integer: Int64(clamping: settings.maxSize))
    output.append(",\"producers\":[")
    producers = 0
  }

  public mutating func beginStreamProducer(id: RawSpan, entryCount: UInt64) throws(RDBError) {
    if producers > 0 { output.append("]},") }
    producers &+= 1
    producerEntries = 0
    output.append("{\"pid\":")
    JSONText.appendValue(id, style: style, to: output)
    output.append(",\"entries\":[")
  }

  public mutating func streamProducerEntry(iid: RawSpan, id: StreamID) throws(RDBError) {
    if producerEntries > 0 { output.append(UInt8(ascii: ",")) }
    producerEntries &+= 1
    output.append(UInt8(ascii: "["))
    JSONText.appendValue(iid, style: style, to: output)
    output.append(",\"")
    output.append(id)
    output.append("\"]")
    try output.flushIfFull()
  }

  public mutating func streamIdempotencyTotals(iidsAdded: UInt64, iidsDuplicates: UInt64)
    throws(RDBError)
  {
    if producers > 0 { output.append("]}") }
    output.append("],\"iids_added\":")
    output.append(integer: Int64(clamping: iidsAdded))
    output.append(",\"iids_duplicates\":")
    output.append(integer: Int64(clamping: iidsDuplicates))
    output.append(UInt8(ascii: "}"))
  }

  public mutating func beginVectorSet(_ info: VectorSetInfo) throws(RDBError) {
    isVectorSet = true
    elementCount = 0
    output.append("{\"dim\":")
    output.append(integer: Int64(info.dimension))
    output.append(",\"quant\":\"")
    output.append(info.quantization.rawValue)
    output.append("\",\"m\":")
    output.append(integer: Int64(info.hnswM))
    output.append(",\"projection_input_dim\":")
    JSONText.appendInteger(info.projectionInputDimension.map(Int64.init), to: output)
    output.append(",\"size\":")
    output.append(integer: Int64(clamping: info.count))
    output.append(",\"elements\":[")
  }

  public mutating func vectorSetElement(
    _ element: RawSpan, vector: RawSpan, attributes: RawSpan, info: VectorSetElementInfo
  ) throws(RDBError) {
    if elementCount > 0 { output.append(UInt8(ascii: ",")) }
    elementCount &+= 1
    output.append("{\"element\":")
    JSONText.appendValue(element, style: style, to: output)
    output.append(",\"vector\":")
    JSONText.appendValue(vector, style: style, to: output)
    output.append(",\"l2\":")
    JSONText.appendScore(Double(info.l2), to: output)
    output.append(",\"range\":")
    if let range = info.range {
      JSONText.appendScore(Double(range), to: output)
    } else {
      output.append("null")
    }
    output.append(",\"attributes\":")
    if attributes.byteCount == 0 {
      output.append("null")
    } else {
      unsafe attributes.withUnsafeBytes {
        unsafe JSONText.appendValue($0, style: style, to: output)
      }
    }
    output.append(UInt8(ascii: "}"))
    try output.flushIfFull()
  }

  public mutating func moduleValue(_ module: ModuleType) throws(RDBError) {
    // A vector set is written by its own events; every other module value by its type only.
    if module.name == "vectorset", module.encodingVersion == 0 { return }
    output.append("{\"module\":")
    output.append(UInt8(ascii: "\""))
    output.append(module.name)
    output.append("\",\"encver\":")
    output.append(integer: Int64(module.encodingVersion))
    output.append(UInt8(ascii: "}"))
  }

  public mutating func endKey(_ summary: KeySummary) throws(RDBError) {
    guard let info, !summary.skipped else { return }
    switch info.dataType {
    case .list, .set, .sortedSet: output.append(UInt8(ascii: "]"))
    case .hash:
      map.end(in: output)
      if fieldExpiryCount > 0 {
        output.append(",\"field_expire_ms\":")
        output.append(expiryOutput)
        output.append(UInt8(ascii: "]"))
      }
    case .stream:
      streamState.finish(to: output)
    case .module:
      if isVectorSet { output.append("]}") }
      output.append(isVectorSet ? ",\"type\":\"vectorset\"" : ",\"type\":\"module\"")
    case .string: break
    }
    output.append("}\n")
    self.info = nil
    try output.flushIfFull()
  }
}
