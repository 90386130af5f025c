/// Writes the Redis protocol that recreates the file's data, for `redis-cli --pipe`:
/// `FUNCTION LOAD`, `SELECT`, then per key SET / RPUSH / SADD / ZADD / HSET / XADD (with
/// XSETID, XGROUP CREATE, XGROUP CREATECONSUMER and XCLAIM for consumer groups),
/// `PEXPIREAT` for key TTLs and `HPEXPIREAT` for hash field TTLs; vector sets as `VADD` (or,
/// made with `REDUCE`, `RESTORE` of their serialized value) and a stream's idempotent
/// producers as `XCFGSET` and `XIDMPRECORD` (Redis 8 and 8.6 commands).
///
/// For an older server (``RESPTarget``) the commands it lacks are left out and counted in
/// ``omitted``. Key and field expiries can be shifted by a fixed amount (``expiryShift``) or
/// left out (``writesExpiries``), to load an old backup whose TTLs have passed.
///
/// Collections are written in batches of ``batchSize`` elements, so a huge key never needs
/// one huge command. What the protocol cannot recreate is counted, not written: module values
/// (they need the module) and pending entries whose message was deleted (XCLAIM ignores them).
public struct RESPWriter: RDBHandler {
  /// The buffered output; call ``finish()`` after the parse.
  public let output: OutputBuffer
  /// Elements per command for variadic commands.
  public let batchSize: Int
  /// Module values left out (other than vector sets).
  public internal(set) var skippedModuleValues = 0
  /// The server the output is for.
  public let target: RESPTarget
  /// What the target lacks, left out.
  public internal(set) var omitted = RESPOmissions()
  /// Whether `PEXPIREAT` and `HPEXPIREAT` are written.
  public var writesExpiries = true
  /// Milliseconds added to every key and field expiry written.
  public var expiryShift: Int64 = 0
  private var selectedDatabase: Int?
  var key: [UInt8] = []
  var info: KeyInfo?
  var command = RESPCommand()
  /// The short commands around a key's value (SELECT, DEL, PEXPIREAT, …).
  var aside = RESPCommand()
  /// A module value's key until its type is known.
  var pendingModuleKey: KeyInfo?
  /// The vector set under way, when its elements are written as `VADD`s.
  var vectorSet: VectorSetInfo?
  /// A vector set made with `REDUCE`, written as `RESTORE` once its serialized value is read.
  var projectedKey: KeyInfo?
  /// The input's RDB version, which a `RESTORE` payload names unless the target says.
  var fileVersion = 0
  /// The element vector as `VADD … FP32` takes it.
  var vectorBlob: [UInt8] = []
  /// The idempotent producer under way.
  var producer: [UInt8] = []
  private var fieldExpiries: [([UInt8], Int64)] = []
  private var streamEntryCount = 0
  private var groupName: [UInt8] = []
  private var pending: [(id: StreamID, deliveryTime: Int64, deliveryCount: UInt64)] = []
  private var consumer: [UInt8] = []

  /// Writes to `output` for `target`, `batchSize` elements per command.
  public init(output: OutputBuffer, target: RESPTarget = .newest, batchSize: Int = 128) {
    self.output = output
    self.target = target
    self.batchSize = batchSize
  }

  /// Writes whatever is still buffered.
  public mutating func finish() throws(RDBError) { try output.flush() }

  public mutating func function(code: RawSpan) throws(RDBError) {
    guard target.hasFunctions else {
      omitted.functions += 1
      return
    }
    aside.begin("FUNCTION")
    aside.add("LOAD")
    aside.add("REPLACE")
    aside.add(code)
    aside.write(to: output)
  }

  public mutating func header(_ version: RDBVersion) throws(RDBError) {
    fileVersion = version.number
  }

  public mutating func beginKey(_ key: RawSpan, info: KeyInfo) throws(RDBError) -> KeyDecision {
    self.key.removeAll(keepingCapacity: true)
    unsafe key.withUnsafeBytes { unsafe self.key.append(contentsOf: $0) }
    fieldExpiries.removeAll(keepingCapacity: true)
    if info.dataType == .module {
      // Decoded: a vector set becomes VADDs (RESPWriter+VectorSets); until then, and for any
      // other module type, nothing is written.
      pendingModuleKey = info
      self.info = nil
      vectorSet = nil
      return .decode
    }
    if info.dataType == .stream, !target.hasStreams {
      omitted.streams += 1
      self.info = nil
      return .skip
    }
    self.info = info
    // SELECT only for a key that is written: a database of skipped values is not named.
    selectDatabase(info.database)
    // DEL first, so loading into a server that has the key replaces it instead of appending.
    aside.begin("DEL", key: self.key)
    aside.write(to: output)
    switch info.dataType {
    case .list: command.begin("RPUSH", key: self.key)
    case .set: command.begin("SADD", key: self.key)
    case .sortedSet: command.begin("ZADD", key: self.key)
    case .hash: command.begin(hashCommand, key: self.key)
    case .stream: streamEntryCount = 0
    case .string, .module: break
    }
    return .decode
  }

  public mutating func stringValue(_ value: RawSpan) throws(RDBError) {
    command.begin("SET", key: key)
    command.add(value)
    command.write(to: output)
  }

  public mutating func listElement(_ element: RawSpan) throws(RDBError) {
    command.add(element)
    try flushBatch(elements: 1, name: "RPUSH")
  }

  public mutating func setMember(_ member: RawSpan) throws(RDBError) {
    command.add(member)
    try flushBatch(elements: 1, name: "SADD")
  }

  public mutating func sortedSetMember(_ member: RawSpan, score: Double) throws(RDBError) {
    command.add(Self.scoreText(score))
    command.add(member)
    try flushBatch(elements: 2, name: "ZADD")
  }

  public mutating func hashField(_ field: RawSpan, value: RawSpan, expiresAt: Int64?)
    throws(RDBError)
  {
    command.add(field)
    command.add(value)
    if let expiresAt {
      fieldExpiries.append((unsafe field.withUnsafeBytes { unsafe Array($0) }, expiresAt))
    }
    try flushBatch(elements: 2, name: hashCommand)
  }

  /// `HSET`, or `HMSET` for servers before Redis 4.0 (whose `HSET` takes one field).
  private var hashCommand: StaticString { target.hasVariadicHSET ? "HSET" : "HMSET" }

  /// Writes the batch once it holds `batchSize` elements, and starts the next one.
  private mutating func flushBatch(elements: Int, name: StaticString) throws(RDBError) {
    guard command.argumentCount - 2 >= batchSize * elements else { return }
    command.write(to: output)
    command.begin(name, key: key)
    try output.flushIfFull()
  }

  public mutating func beginStreamEntry(id: StreamID, fieldCount: Int) throws(RDBError) {
    command.begin("XADD", key: key)
    command.add(id.description)
    streamEntryCount = fieldCount
    if fieldCount == 0 { command.write(to: output) }
  }

  public mutating func streamField(_ field: RawSpan, value: RawSpan) throws(RDBError) {
    command.add(field)
    command.add(value)
    streamEntryCount -= 1
    if streamEntryCount == 0 {
      command.write(to: output)
      try output.flushIfFull()
    }
  }

  public mutating func streamMetadata(_ metadata: StreamMetadata) throws(RDBError) {
    if metadata.length == 0 {
      // An empty stream still exists: create it with an entry trimmed away at once.
      aside.begin("XADD", key: key)
      for argument: StaticString in ["MAXLEN", "0", "0-1", "x", "y"] { aside.add(argument) }
      aside.write(to: output)
    }
    aside.begin("XSETID", key: key)
    aside.add(metadata.lastID.description)
    if let entriesAdded = metadata.entriesAdded, let maxDeletedID = metadata.maxDeletedID {
      guard target.hasStreamMetadata else {
        omitted.streamMetadata += 1
        return aside.write(to: output)
      }
      aside.add("ENTRIESADDED")
      aside.add(integer: Int64(clamping: entriesAdded))
      aside.add("MAXDELETEDID")
      aside.add(maxDeletedID.description)
    }
    aside.write(to: output)
  }

  public mutating func beginStreamGroup(name: RawSpan, info: StreamGroupInfo) throws(RDBError) {
    groupName = unsafe name.withUnsafeBytes { unsafe Array($0) }
    aside.begin("XGROUP")
    aside.add("CREATE")
    aside.add(key)
    aside.add(groupName)
    aside.add(info.lastDeliveredID.description)
    if info.entriesRead != nil, !target.hasStreamMetadata {
      omitted.streamMetadata += 1
    } else if let entriesRead = info.entriesRead {
      aside.add("ENTRIESREAD")
      aside.add(integer: entriesRead)
    }
    aside.write(to: output)
    pending.removeAll(keepingCapacity: true)
  }

  public mutating func streamPendingEntry(id: StreamID, deliveryTime: Int64, deliveryCount: UInt64)
    throws(RDBError)
  {
    pending.append((id, deliveryTime, deliveryCount))
  }

  public mutating func beginStreamConsumer(name: RawSpan, info: StreamConsumerInfo) throws(RDBError)
  {
    consumer = unsafe name.withUnsafeBytes { unsafe Array($0) }
    guard target.hasCreateConsumer else {
      omitted.consumers += 1
      return
    }
    aside.begin("XGROUP")
    aside.add("CREATECONSUMER")
    aside.add(key)
    aside.add(groupName)
    aside.add(consumer)
    aside.write(to: output)
  }

  public mutating func streamConsumerPending(id: StreamID) throws(RDBError) {
    guard let entry = pending.first(where: { $0.id == id }) else { return }
    aside.begin("XCLAIM", key: key)
    aside.add(groupName)
    aside.add(consumer)
    aside.add("0")
    aside.add(id.description)
    aside.add("TIME")
    aside.add(integer: entry.deliveryTime)
    aside.add("RETRYCOUNT")
    aside.add(integer: Int64(clamping: entry.deliveryCount))
    aside.add("FORCE")
    aside.add("JUSTID")
    aside.write(to: output)
  }

  /// Writes `SELECT` when `database` is not the one selected.
  mutating func selectDatabase(_ database: Int) {
    guard selectedDatabase != database else { return }
    aside.begin("SELECT")
    aside.add(integer: Int64(database))
    aside.write(to: output)
    selectedDatabase = database
  }

  public mutating func endKey(_ summary: KeySummary) throws(RDBError) {
    guard let info, !summary.skipped else { return }
    switch info.dataType {
    case .list, .set, .sortedSet, .hash:
      if command.argumentCount > 2 { command.write(to: output) }
    default: break
    }
    if !target.hasFieldTTLs, writesExpiries {
      omitted.fieldTTLs += fieldExpiries.count
      fieldExpiries.removeAll(keepingCapacity: true)
    }
    for (field, time) in fieldExpiries where writesExpiries {
      aside.begin("HPEXPIREAT", key: key)
      aside.add(integer: time &+ expiryShift)
      aside.add("FIELDS")
      aside.add("1")
      aside.add(field)
      aside.write(to: output)
    }
    if let expiresAt = info.expiresAt, writesExpiries {
      aside.begin("PEXPIREAT", key: key)
      aside.add(integer: expiresAt &+ expiryShift)
      aside.write(to: output)
    }
    self.info = nil
    try output.flushIfFull()
  }

  /// A score as ZADD takes it: `inf`, `-inf`, or the shortest text that reads back exactly.
  static func scoreText(_ score: Double) -> String {
    score.isInfinite ? (score < 0 ? "-inf" : "inf") : "\(score)"
  }
}
