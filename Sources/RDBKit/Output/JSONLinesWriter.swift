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
  public private(set) var output: OutputBuffer
  /// Formats keys of some size on a second thread, when set: see ``batch(with:)``.
  private(set) var batcher: JSONLinesBatcher?
  /// Whether this writer's keys may go to the ``batcher`` (the parse's writer, not one that
  /// decodes a large record for it).
  private var batching = false
  /// Whether the ``batcher`` has batches out or one being filled, so that every key asks it.
  private var batcherBusy = false
  /// A key at or past this offset (or before ``resumeOffset``) takes the slow way in
  /// ``beginKey(_:info:)``: with a ``batcher``, 0 while keys are batched or batches are out,
  /// else the end of the current stretch of the file; without, never.
  private var checkpoint = Int.max
  /// Whether keys are batched: the last sample of the batcher's `sampleKeys` records, taken
  /// every ``JSONLinesBatcher/stretchBytes`` of the file, averaged some size. Where the
  /// current stretch ends, where the sample started and how many keys it still takes.
  private var batchable = false
  private var stretchEnd = 0
  private var sampleStart = 0
  private var sampleLeft = 0
  /// Keys whose record starts before this offset are stepped over: those written before a
  /// ``JSONLinesBatcher`` stopped.
  public var resumeOffset = 0 {
    didSet { checkpoint = batching ? 0 : .max }
  }
  private let style: ByteStringStyle
  private var info: KeyInfo?
  private var elementCount = 0
  private var map = MapWriter()
  /// The current hash's field TTLs, written after its value, and how many there are.
  private let expiryOutput = OutputBuffer()
  private var fieldExpiryCount = 0
  private var streamState = StreamGroupWriter()
  private var entryStart = StreamEntryStart()
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

  /// Has keys of some size formatted by `batcher`, which writes to this writer's output (nil:
  /// every key here again, into the batcher's output).
  public mutating func batch(with batcher: JSONLinesBatcher?) {
    if let batcher = batcher ?? self.batcher { output = batcher.output }
    self.batcher = batcher
    batching = batcher != nil
    batcherBusy = false
    checkpoint = batching ? 0 : .max
    batchable = false
    stretchEnd = 0
    sampleStart = 0
    sampleLeft = 0
  }

  /// A writer decoding one record for `batcher`, into its held text or its output.
  init(decodingFor batcher: JSONLinesBatcher, style: ByteStringStyle) {
    self.init(output: batcher.inlineOutput, style: style)
    self.batcher = batcher
  }

  /// Writes whatever is still buffered.
  public mutating func finish() throws(RDBError) { try output.flush() }

  public mutating func header(_ version: RDBVersion) throws(RDBError) {
    if batching { batcher?.header(version) }
  }

  public mutating func aux(key: RawSpan, value: RawSpan) throws(RDBError) {
    if batching { try batcher?.aux(key: key, value: value) }
  }

  /// Asks the ``batcher`` whether it takes the key; if not, writes where it says.
  private mutating func batches(_ key: RawSpan) throws(RDBError) -> Bool {
    guard let batcher, let info else { return false }
    if sampleLeft > 0 {
      sampleLeft &-= 1
      if sampleLeft == 0 {
        batchable =
          info.offset &- sampleStart
          >= batcher.smallestRecord &* batcher.sampleKeys
        stretchEnd = info.offset &+ JSONLinesBatcher.stretchBytes
      }
    } else if info.offset >= stretchEnd {
      sampleStart = info.offset
      sampleLeft = batcher.sampleKeys
    }
    var copies = false
    if batchable || batcherBusy {
      copies = try batcher.copies(key, info: info, batchable: batchable)
      let target = batcher.inlineOutput
      if output !== target { output = target }
      batcherBusy = batcher.isBusy
    }
    checkpoint = batchable || batcherBusy || sampleLeft > 0 ? 0 : stretchEnd
    return copies
  }

  public mutating func beginKey(_ key: RawSpan, info: KeyInfo) throws(RDBError) -> KeyDecision {
    self.info = info
    // Tiny keys pay for two comparisons here.
    if info.offset >= checkpoint || info.offset < resumeOffset {
      if info.offset < resumeOffset { return .skip }
      if batching, try batches(key) {
        self.info = nil
        return .copy
      }
    }
    output.appendRecordStart(database: info.database)
    JSONText.appendValue(key, style: style, to: output)
    let dataType = info.dataType
    if dataType != .module { output.appendTypeField(dataType) }
    metadataClasses = 0
    isVectorSet = false
    return .decode
  }

  public mutating func rawValue(_ bytes: RawSpan) throws(RDBError) {
    try batcher?.append(value: bytes)
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
    try flushIfFull()
  }

  public mutating func sortedSetMember(_ member: RawSpan, score: Double) throws(RDBError) {
    if elementCount > 0 { output.append(UInt8(ascii: ",")) }
    elementCount &+= 1
    output.append("{\"member\":")
    JSONText.appendValue(member, style: style, to: output)
    output.append(",\"score\":")
    JSONText.appendScore(score, to: output)
    output.append(UInt8(ascii: "}"))
    try flushIfFull()
  }

  public mutating func hashField(_ field: RawSpan, value: RawSpan, expiresAt: Int64?)
    throws(RDBError)
  {
    appendEntry(field, value: value)
    if let expiresAt {
      expiryOutput.append(fieldExpiryCount == 0 ? "[{\"field\":" : ",{\"field\":")
      fieldExpiryCount &+= 1
      JSONText.appendValue(field, style: style, to: expiryOutput)
      expiryOutput.append(",\"expire_ms\":")
      expiryOutput.append(integer: expiresAt)
      expiryOutput.append(UInt8(ascii: "}"))
    }
  }

  public mutating func hashField(_ field: RawSpan, integer value: Int64) throws(RDBError) {
    appendEntry(field, integer: value)
  }

  /// Writes a field of a hash or a stream entry and its value: both plain ASCII (most of
  /// them) in one go, else each as its style says.
  @inline(__always)
  private mutating func appendEntry(_ field: RawSpan, value: RawSpan) {
    if style != .base64,
      unsafe map.appendPlainEntry(
        key: JSONText.bytes(of: field), value: JSONText.bytes(of: value), in: output)
    {
      return
    }
    map.beginEntry(key: field, style: style, in: output)
    JSONText.appendValue(value, style: style, to: output)
  }

  public mutating func beginStreamEntry(id: StreamID, fieldCount: Int) throws(RDBError) {
    // Between entries nothing written can change: a long stream's line goes out in blocks.
    try flushIfFull()
    entryStart.write(id, first: elementCount == 0, to: output)
    elementCount &+= 1
    map.begin(at: output.count, checksRepeats: true)
    map.remaining = fieldCount
    if fieldCount == 0 { closeStreamEntry() }
  }

  /// Writes a stream node's live entries in one pass (``StreamNodeWriter``), what their
  /// events would write; nil, having written nothing, for a node that pass does not read.
  public mutating func streamNode(_ node: RawSpan, master: StreamID, after previous: StreamID?)
    throws(RDBError) -> WrittenStreamNode?
  {
    // Between nodes nothing written can change: a long stream's line goes out in blocks.
    try flushIfFull()
    let start = output.count
    let written = unsafe StreamNodeWriter.write(
      JSONText.bytes(of: node), master: master, after: previous, style: style,
      entries: &elementCount, start: &entryStart, to: output)
    if written == nil { output.truncate(to: start) }
    return written
  }

  public mutating func streamField(_ field: RawSpan, value: RawSpan) throws(RDBError) {
    appendEntry(field, value: value)
    map.remaining -= 1
    if map.remaining == 0 { closeStreamEntry() }
  }

  public mutating func streamField(_ field: RawSpan, integer value: Int64) throws(RDBError) {
    appendEntry(field, integer: value)
    map.remaining -= 1
    if map.remaining == 0 { closeStreamEntry() }
  }

  /// Writes a field of a hash or a stream entry and its value stored as an integer: digits
  /// and a `-` are plain, so the value is a JSON string of its digits, written in place. The
  /// base64 style encodes the text.
  @inline(__always)
  private mutating func appendEntry(_ field: RawSpan, integer value: Int64) {
    if style != .base64,
      unsafe map.appendPlainEntry(key: JSONText.bytes(of: field), integer: value, in: output)
    {
      return
    }
    map.beginEntry(key: field, style: style, in: output)
    var text: (UInt64, UInt64, UInt64) = (0, 0, 0)
    unsafe withUnsafeMutableBytes(of: &text) { room in
      guard let start = room.baseAddress else { return }
      let count = unsafe DecimalText.write(value, to: start)
      unsafe JSONText.appendValue(
        UnsafeRawBufferPointer(rebasing: room[..<count]), style: style, to: output)
    }
  }

  private mutating func closeStreamEntry() {
    map.end(in: output)
    output.append(UInt8(ascii: "}"))
  }

  public mutating func streamMetadata(_ metadata: StreamMetadata) throws(RDBError) {
    try flushIfFull()
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
    try flushIfFull()
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
    try flushIfFull()
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

  /// Writes the output if a block has built up; text held behind a ``batcher``'s batches
  /// waits for them and goes on into the output.
  @inline(__always)
  private mutating func flushIfFull() throws(RDBError) {
    if output.isFull { try flushFull() }
  }

  private mutating func flushFull() throws(RDBError) {
    if let batcher, output !== batcher.output {
      output = try batcher.catchUp()
      batcherBusy = batcher.isBusy
      checkpoint = batchable || batcherBusy ? 0 : stretchEnd
    }
    try output.flushIfFull()
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
    try flushIfFull()
  }
}
