/// Joins several RDB inputs, parsed one after another, into one dataset for the handler it
/// wraps: the shard files of a cluster export read as one (`rdbtool split`, `rdbtool merge`).
///
/// Each input's header reaches `Next` (a writer needs each input's version), but only the
/// first input's AUX fields do, except slot hints (``SlotHint``), which every input has for
/// its own slots. A function library goes through once: a later input holding
/// the same library with the same code is passed over, and with other code it is an error
/// naming the library. `MODULE_AUX` data goes through from the first input that has it for
/// a module. Keys pass unless a ``DuplicateKeys`` check leaves them out: a key whose name
/// its output database already holds is an error, or only its first or last occurrence is
/// written (``DuplicateKeyPolicy``).
///
///     var merger = DatasetMerger(writer, duplicates: DuplicateKeys(exact: .first, options: options))
///     for path in paths { try RDBParser().parse(path: path, into: &merger) }
///     try merger.next.finish()
public struct DatasetMerger<Next: RDBHandler>: RDBHandler {
  /// The handler that receives the dataset.
  public var next: Next
  /// The number of inputs begun so far (headers seen).
  public private(set) var inputCount = 0
  /// Each library's code, by library name, as first written.
  private var libraries: [String: [UInt8]] = [:]
  /// Modules whose `MODULE_AUX` data an earlier input gave.
  private var auxModules: Set<String> = []
  /// Modules whose `MODULE_AUX` data this input gave.
  private var inputAuxModules: Set<String> = []
  /// Whether the `MODULE_AUX` record under way is passed over.
  private var skipsModuleAux = false
  private var inKey = false
  /// Whether the key under way is left out as a duplicate.
  private var dropping = false
  /// The duplicate-key check; nil: none (every input database is its own).
  public private(set) var duplicates: DuplicateKeys?
  /// Whether ``duplicates`` is nil, kept apart: asking the optional copied its payload out.
  private let checksNoDuplicates: Bool

  /// Joins the inputs for `next`, leaving out the keys `duplicates` says to.
  public init(_ next: Next, duplicates: DuplicateKeys? = nil) {
    self.next = next
    self.duplicates = duplicates
    checksNoDuplicates = duplicates == nil
  }

  public static var needsStringValues: Bool { Next.needsStringValues }
  public static var needsElements: Bool { Next.needsElements }
  public static var needsPackedElements: Bool { Next.needsPackedElements }
  public static var needsModulePayloads: Bool { Next.needsModulePayloads }
  public static var takesPlainStrings: Bool { Next.takesPlainStrings }

  public mutating func header(_ version: RDBVersion) throws(RDBError) {
    inputCount += 1
    auxModules.formUnion(inputAuxModules)
    inputAuxModules.removeAll()
    try next.header(version)
  }

  public mutating func aux(key: RawSpan, value: RawSpan) throws(RDBError) {
    if inputCount <= 1 || SlotHint(auxKey: key, value: value) != nil {
      try next.aux(key: key, value: value)
    }
  }

  public mutating func function(code: RawSpan) throws(RDBError) {
    let bytes = unsafe code.withUnsafeBytes { unsafe [UInt8]($0) }
    let name = Self.libraryName(bytes)
    if let written = libraries[name] {
      guard written == bytes else {
        throw RDBError(
          .invalidValue(
            "function library \"\(name)\" differs from the one an earlier input has"),
          at: 0)
      }
      return
    }
    libraries[name] = bytes
    try next.function(code: code)
  }

  /// The library name of a function's code: `name=` of its `#!engine` line, or the whole
  /// code when it has none (such code can only match itself).
  static func libraryName(_ code: [UInt8]) -> String {
    let firstLine = code.prefix { $0 != UInt8(ascii: "\n") }
    for word in firstLine.split(separator: UInt8(ascii: " ")) {
      if word.starts(with: Array("name=".utf8)) {
        return String(decoding: word.dropFirst(5), as: UTF8.self)
      }
    }
    return String(decoding: code, as: UTF8.self)
  }

  public mutating func moduleAux(_ module: ModuleType) throws(RDBError) {
    skipsModuleAux = auxModules.contains(module.name)
    guard !skipsModuleAux else { return }
    inputAuxModules.insert(module.name)
    try next.moduleAux(module)
  }

  public mutating func modulePayload(_ bytes: RawSpan) throws(RDBError) {
    guard !dropping else { return }
    if inKey || !skipsModuleAux { try next.modulePayload(bytes) }
  }

  public mutating func beginDatabase(_ index: Int) throws(RDBError) {
    try next.beginDatabase(index)
  }
  public mutating func resizeDatabase(keys: UInt64, expires: UInt64) throws(RDBError) {
    try next.resizeDatabase(keys: keys, expires: expires)
  }
  public mutating func slotHint(_ hint: SlotHint) throws(RDBError) {
    try next.slotHint(hint)
  }
  public mutating func beginKey(_ key: RawSpan, info: KeyInfo) throws(RDBError) -> KeyDecision {
    inKey = true
    if try duplicates?.keeps(key, info: info) == false {
      dropping = true
      return .skip
    }
    return try next.beginKey(key, info: info)
  }
  /// Passed on when no duplicate check needs the keys' events.
  public mutating func plainStrings(_ run: PlainStringRun, database: Int) throws(RDBError) -> Int {
    guard checksNoDuplicates else { return 0 }
    return try next.plainStrings(run, database: database)
  }
  public mutating func keyMetadata(_ metadata: KeyMetadataClass, payload: RawSpan)
    throws(RDBError)
  {
    try next.keyMetadata(metadata, payload: payload)
  }
  public mutating func beginValue(encoding: Encoding) throws(RDBError) {
    try next.beginValue(encoding: encoding)
  }
  public mutating func rawValue(_ bytes: RawSpan) throws(RDBError) { try next.rawValue(bytes) }
  public mutating func valueBlob(_ blob: ValueBlob) throws(RDBError) { try next.valueBlob(blob) }
  public mutating func listpackListNode(_ node: RawSpan) throws(RDBError) -> Bool {
    try next.listpackListNode(node)
  }
  public mutating func stringLength(_ byteCount: Int) throws(RDBError) {
    try next.stringLength(byteCount)
  }
  public mutating func stringValue(_ value: RawSpan) throws(RDBError) {
    try next.stringValue(value)
  }
  public mutating func listElement(_ element: RawSpan) throws(RDBError) {
    try next.listElement(element)
  }
  public mutating func setMember(_ member: RawSpan) throws(RDBError) {
    try next.setMember(member)
  }
  public mutating func sortedSetMember(_ member: RawSpan, score: Double) throws(RDBError) {
    try next.sortedSetMember(member, score: score)
  }
  public mutating func hashField(_ field: RawSpan, value: RawSpan, expiresAt: Int64?)
    throws(RDBError)
  {
    try next.hashField(field, value: value, expiresAt: expiresAt)
  }
  public mutating func beginStreamEntry(id: StreamID, fieldCount: Int) throws(RDBError) {
    try next.beginStreamEntry(id: id, fieldCount: fieldCount)
  }
  public mutating func streamField(_ field: RawSpan, value: RawSpan) throws(RDBError) {
    try next.streamField(field, value: value)
  }
  public mutating func streamMetadata(_ metadata: StreamMetadata) throws(RDBError) {
    try next.streamMetadata(metadata)
  }
  public mutating func beginStreamGroup(name: RawSpan, info: StreamGroupInfo) throws(RDBError) {
    try next.beginStreamGroup(name: name, info: info)
  }
  public mutating func streamPendingEntry(id: StreamID, deliveryTime: Int64, deliveryCount: UInt64)
    throws(RDBError)
  {
    try next.streamPendingEntry(id: id, deliveryTime: deliveryTime, deliveryCount: deliveryCount)
  }
  public mutating func beginStreamConsumer(name: RawSpan, info: StreamConsumerInfo) throws(RDBError)
  {
    try next.beginStreamConsumer(name: name, info: info)
  }
  public mutating func streamConsumerPending(id: StreamID) throws(RDBError) {
    try next.streamConsumerPending(id: id)
  }
  public mutating func streamIdempotency(_ settings: StreamIdempotency) throws(RDBError) {
    try next.streamIdempotency(settings)
  }
  public mutating func beginStreamProducer(id: RawSpan, entryCount: UInt64) throws(RDBError) {
    try next.beginStreamProducer(id: id, entryCount: entryCount)
  }
  public mutating func streamProducerEntry(iid: RawSpan, id: StreamID) throws(RDBError) {
    try next.streamProducerEntry(iid: iid, id: id)
  }
  public mutating func streamIdempotencyTotals(iidsAdded: UInt64, iidsDuplicates: UInt64)
    throws(RDBError)
  {
    try next.streamIdempotencyTotals(iidsAdded: iidsAdded, iidsDuplicates: iidsDuplicates)
  }
  public mutating func moduleValue(_ module: ModuleType) throws(RDBError) {
    try next.moduleValue(module)
  }
  public mutating func beginVectorSet(_ info: VectorSetInfo) throws(RDBError) {
    try next.beginVectorSet(info)
  }
  public mutating func vectorSetElement(
    _ element: RawSpan, vector: RawSpan, attributes: RawSpan, info: VectorSetElementInfo
  ) throws(RDBError) {
    try next.vectorSetElement(element, vector: vector, attributes: attributes, info: info)
  }
  public mutating func endKey(_ summary: KeySummary) throws(RDBError) {
    if !dropping { try next.endKey(summary) }
    dropping = false
    inKey = false
  }
}
