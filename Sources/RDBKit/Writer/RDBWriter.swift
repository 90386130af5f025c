/// Writes an RDB file from parse events: the writer is one more ``RDBHandler`` at the end of
/// the flow, so any input the parser reads (a file, a pipe, S3) and any filter in front of it
/// (``KeyFilter``) make a new file in the ``TargetEngine``'s format.
///
/// Each value is gathered while it is parsed and written at ``endKey(_:)`` in the encoding a
/// server of the target version with its default configuration would hold it in (listpack,
/// ziplist, intset, quicklist, hash table …); at most one value is held at a time. What the
/// target format cannot hold is left out and counted in ``losses``; whether that is allowed
/// is the caller's decision.
///
///     let output = OutputBuffer(descriptor: descriptor)
///     var writer = RDBWriter(output: output, options: .init(target: .named("redis-6.2")!))
///     try RDBParser().parse(path: "dump.rdb", into: &writer)
///     try writer.finish()
public struct RDBWriter: RDBHandler {
  /// Module values and module AUX data are copied byte for byte.
  public static var needsModulePayloads: Bool { true }
  /// Plain string records are copied in runs (``plainStrings(_:database:)``).
  public static var takesPlainStrings: Bool { true }

  /// How the file is written.
  public struct Options: Sendable {
    /// The server the file is for; nil keeps the input's RDB version.
    public var target: TargetEngine?
    /// LZF-compress strings over 20 bytes when that saves space (`rdbcompression yes`).
    public var compresses = true
    /// Write the CRC-64 trailer; false writes zeros, as `rdbchecksum no` does.
    public var writesChecksum = true
    /// Write `RESIZEDB` size hints as the input has them (leave off when keys are filtered).
    public var writesSizeHints = true
    /// Where each input database's keys go (`--db-map SRC=DST`); unlisted ones stay.
    public var databaseMap: [Int: Int] = [:]
    /// Copy values whose stored form the target holds unchanged, byte for byte, instead of
    /// decoding and encoding them again (see ``WriteFormat/copies(_:from:)``).
    public var copiesValues = true
    /// Every database into database 0 (after ``databaseMap``). Keys whose names meet in one
    /// database are the concern of a ``DuplicateKeys`` check in front of the writer.
    public var singleDatabase = false
    /// LZF-compress on a thread of its own when the output's format differs from the
    /// input's (values are then re-encoded, and compressing them is most of the work); see
    /// ``BackgroundCompression``. Off by default: the caller decides whether a second thread
    /// is welcome.
    public var compressesInBackground = false
    /// When the writing thread compresses a batch itself (tests force each way).
    var backgroundSharing = BackgroundCompression.Sharing.whenBehind
    /// Whether a list written node for node takes each listpack node's bytes whole
    /// (``listpackListNode(_:)``) instead of its element events (tests compare both).
    var takesListpackNodes = true

    /// Options for `target` with the server's defaults; nil keeps the input's version.
    public init(target: TargetEngine?) {
      self.target = target
    }
  }

  /// What could not be written.
  public internal(set) var losses = LossReport()
  /// Keys written.
  public private(set) var keysWritten = 0

  let options: Options
  /// The target: ``Options/target``, or the input's version once its header is read.
  public private(set) var engine: TargetEngine
  var format: WriteFormat
  var encoder: RDBEncoder
  let values = ValueBuffer()
  var stream = StreamBuffer()
  /// The current key's name, copied because the parser's bytes last only as long as the event.
  let key = BlobBytes()
  /// A transcoded value's packed blob, decompressed (see ``transcodes(_:)``).
  let transcodeScratch = BlobBytes()
  var info: KeyInfo?
  var module: ModuleType?
  /// The current module value's bytes after its key name, or a `MODULE_AUX` record's.
  var modulePayload: [UInt8] = []
  /// The current key's `KEY_META` classes: specs and payloads.
  var metadataSpecs: [UInt32] = []
  var metadataPayloads: [[UInt8]] = []
  /// Stream nodes, which are listpacks in every format that has streams.
  var listpack = ListpackEncoder()
  /// The format's other packed blobs.
  var packed: PackedEncoder
  /// A list's nodes, built as its elements arrive (quicklist formats).
  var quicklist = QuicklistBuilder()
  /// Where the keys of the current input database go (``database(for:options:)``), worked
  /// out once per database: the map is a dictionary, and a lookup per key hashed.
  private var targetDatabase = 0
  private var outputDatabase: Int?
  private var sizeHint: (keys: UInt64, expires: UInt64)?
  /// The slot hint that goes before the next key written (none when that slot's keys are
  /// all left out).
  var slotHint: SlotHint?
  private var finished = false

  private var headerWritten = false
  /// The input's format, from its header.
  var sourceVersion = RDBVersion(magic: .redis, number: 0)
  /// Whether the current key's value is being copied byte for byte.
  var copying = false
  /// Where the record of a string copied as stored stands (``beginCopiedString(_:info:)``).
  private var copiedString = CopiedString.none
  /// Of the current value's input blobs over 20 bytes: whether one was stored LZF-compressed,
  /// and whether one was stored as it is (see ``valueBlob(_:)``).
  private var inputBlobs: (compressed: Bool, uncompressed: Bool) = (false, false)

  /// A writer of `options.target`'s format into `output`; the header is written when the
  /// input's header has been read.
  public init(output: OutputBuffer, options: Options) {
    self.options = options
    engine = options.target ?? TargetEngine.format(RDBVersion(magic: .redis, number: 12))
    format = WriteFormat(engine.version)
    encoder = RDBEncoder(output: output, compresses: options.compresses)
    packed = PackedEncoder(format)
    quicklist.configure(format, limits: engine.limits)
    targetDatabase = Self.database(for: 0, options: options)
  }

  /// The number of bytes written so far.
  public var byteCount: Int { encoder.byteCount }

  /// Writes EOF and the checksum trailer and flushes. Call once, after the last input.
  public mutating func finish() throws(RDBError) {
    guard !finished else { return }
    finished = true
    writeHeaderOnce()
    try encoder.finish(version: engine.version, checksum: options.writesChecksum)
  }

  // MARK: File-level records

  /// Takes the input's version as the target when none was given, and writes the header
  /// (once: several inputs make one file).
  public mutating func header(_ version: RDBVersion) throws(RDBError) {
    sourceVersion = version
    if options.target == nil, !headerWritten {
      engine = TargetEngine.format(version)
      format = WriteFormat(version)
      packed = PackedEncoder(format)
      quicklist.configure(format, limits: engine.limits)
    }
    if options.compressesInBackground, !headerWritten, engine.version != version {
      encoder.compressInBackground(sharing: options.backgroundSharing)
    }
    writeHeaderOnce()
  }

  private mutating func writeHeaderOnce() {
    guard !headerWritten else { return }
    headerWritten = true
    encoder.header(engine.version)
  }

  public mutating func aux(key: RawSpan, value: RawSpan) throws(RDBError) {
    if let hint = SlotHint(auxKey: key, value: value) {
      slotHint = hint
      return
    }
    guard format.hasAux else {
      losses.record(.auxFields, key: nil)
      return
    }
    if let target = options.target, !target.keepsServerVersion(key: key, value: value) {
      return
    }
    encoder.byte(Opcode.aux.rawValue)
    encoder.string(key)
    encoder.string(value)
  }

  public mutating func function(code: RawSpan) throws(RDBError) {
    guard format.hasFunctions else {
      losses.record(.functions, key: nil)
      return
    }
    encoder.byte(Opcode.function2.rawValue)
    encoder.string(code)
  }

  public mutating func beginDatabase(_ index: Int) throws(RDBError) {
    targetDatabase = Self.database(for: index, options: options)
    sizeHint = nil
    slotHint = nil
  }

  public mutating func resizeDatabase(keys: UInt64, expires: UInt64) throws(RDBError) {
    sizeHint = (keys, expires)
  }

  // MARK: Keys

  public mutating func beginKey(_ key: RawSpan, info: KeyInfo) throws(RDBError) -> KeyDecision {
    if info.type == .string, options.copiesValues, info.metadataClassCount == 0,
      Self.keyPrefixLosesNothing(info, in: format)
    {
      return beginCopiedString(key, info: info)
    }
    // A loading server skips an empty aggregate; one copied byte for byte would be kept.
    if info.isEmptyAggregate {
      losses.record(.emptyKeys, key: key)
      return .skip
    }
    self.key.removeAll()
    unsafe key.withUnsafeBytes { unsafe self.key.append($0) }
    self.info = info
    inputBlobs = (false, false)
    if !metadataSpecs.isEmpty {
      metadataSpecs.removeAll(keepingCapacity: true)
      metadataPayloads.removeAll(keepingCapacity: true)
    }
    // A caller that feeds elements anyway (a generator writing by hand) turns copying off.
    copying =
      options.copiesValues
      && (format.copies(info.type, from: sourceVersion) || transcodes(info.type)
        || copiesStreamNodes(info.type))
    return copying ? .copy : .decode
  }

  public mutating func rawValue(_ bytes: RawSpan) throws(RDBError) {
    if copiedString == .open {
      copiedString = .written
      try unsafe bytes.withUnsafeBytes { (raw) throws(RDBError) in
        let count = raw.count
        guard count <= 16, let start = raw.baseAddress else { return try unsafe encoder.raw(raw) }
        unsafe encoder.shortRaw(start, count: count)
      }
      return
    }
    guard let info else { return }
    // The type is looked at before asking: each of these non-mutating methods copied this
    // 1.2 KB value at every call.
    if info.type == .hashListpack, transcodes(info.type) {
      try transcodeHash(bytes, info)
      return
    }
    if info.dataType == .stream, copiesStreamNodes(info.type) {
      try copyStream(bytes, info)
      return
    }
    if let count = PlainValue.count(bytes, of: info.type) {
      guard count > 0 else {
        recordLoss(.emptyKeys)
        return
      }
      if count <= compactLimit(info.type), mayBeCompact(bytes, info.type) {
        try decodeCopiedValue(bytes, info)
        return
      }
    }
    writeKeyPrefix(info)
    writeTypeAndKey(info.type)
    try unsafe bytes.withUnsafeBytes { (raw) throws(RDBError) in try unsafe encoder.raw(raw) }
  }

  /// Notes how the input stored the value's blob. A server saving with `rdbcompression yes`
  /// stores a blob over 20 bytes uncompressed only when LZF did not save 4 bytes of it, so
  /// a value whose input blobs are all stored so is written with its blobs uncompressed too,
  /// without trying (the same elements in another packing, or the same packing in other
  /// nodes, rarely compress where these did not); a value with one compressed blob, or with
  /// none over 20 bytes, or decoded from plain elements, is compressed as a server would.
  /// A server loads either form.
  public mutating func valueBlob(_ blob: ValueBlob) throws(RDBError) {
    if try listNodeBlob(blob) { return }
    guard blob.byteCount > 20 else { return }
    if blob.isCompressed {
      inputBlobs.compressed = true
    } else {
      inputBlobs.uncompressed = true
    }
  }

  public mutating func stringValue(_ value: RawSpan) throws(RDBError) {
    if copiedString == .open {
      // Given the value instead of its bytes: encoded as ``writeRecord(_:)`` would.
      copiedString = .written
      encoder.string(value)
      return
    }
    copying = false
    values.append(value)
  }

  public mutating func listElement(_ element: RawSpan) throws(RDBError) {
    copying = false
    if format.hasQuicklist {
      quicklist.append(element)
    } else {
      values.append(element)
    }
  }

  public mutating func setMember(_ member: RawSpan) throws(RDBError) {
    copying = false
    values.append(member)
  }

  public mutating func sortedSetMember(_ member: RawSpan, score: Double) throws(RDBError) {
    copying = false
    values.append(member)
    values.scores.append(score)
  }

  public mutating func hashField(_ field: RawSpan, value: RawSpan, expiresAt: Int64?)
    throws(RDBError)
  {
    copying = false
    values.append(field)
    values.append(value)
    values.fieldExpiries.append(expiresAt ?? 0)
  }

  public mutating func beginStreamEntry(id: StreamID, fieldCount: Int) throws(RDBError) {
    copying = false
    stream.entries.append(
      StreamBuffer.Entry(id: id, firstElement: values.count, fieldCount: fieldCount))
  }

  public mutating func streamField(_ field: RawSpan, value: RawSpan) throws(RDBError) {
    values.append(field)
    values.append(value)
  }

  public mutating func streamMetadata(_ metadata: StreamMetadata) throws(RDBError) {
    copying = false
    stream.metadata = metadata
  }

  public mutating func beginStreamGroup(name: RawSpan, info: StreamGroupInfo) throws(RDBError) {
    stream.beginGroup(name: values.append(name), info: info)
  }

  public mutating func streamPendingEntry(
    id: StreamID, deliveryTime: Int64, deliveryCount: UInt64
  ) throws(RDBError) {
    stream.addPending(.init(id: id, deliveryTime: deliveryTime, deliveryCount: deliveryCount))
  }

  public mutating func beginStreamConsumer(name: RawSpan, info: StreamConsumerInfo)
    throws(RDBError)
  {
    stream.beginConsumer(name: values.append(name), info: info)
  }

  public mutating func streamConsumerPending(id: StreamID) throws(RDBError) {
    stream.addConsumerPending(id)
  }

  public mutating func streamIdempotency(_ settings: StreamIdempotency) throws(RDBError) {
    stream.idempotency = settings
  }

  public mutating func beginStreamProducer(id: RawSpan, entryCount: UInt64) throws(RDBError) {
    stream.beginProducer(id: values.append(id))
  }

  public mutating func streamProducerEntry(iid: RawSpan, id: StreamID) throws(RDBError) {
    stream.addProducerEntry(iid: values.append(iid), id: id)
  }

  public mutating func streamIdempotencyTotals(iidsAdded: UInt64, iidsDuplicates: UInt64)
    throws(RDBError)
  {
    stream.idempotencyTotals = (iidsAdded, iidsDuplicates)
  }

  public mutating func moduleValue(_ module: ModuleType) throws(RDBError) {
    copying = false
    self.module = module
  }

  public mutating func endKey(_ summary: KeySummary) throws(RDBError) {
    if copiedString != .none {
      // Neither the bytes nor the value came: the record needs one, as an empty string.
      if copiedString == .open { encoder.length(0) }
      copiedString = .none
      try encoder.flushIfFull()
      return
    }
    guard let info, !summary.skipped else { return }
    self.info = nil
    if copying {
      try encoder.flushIfFull()
      return
    }
    defer { clearValue() }
    encoder.leavesBlobsUncompressed = inputBlobs.uncompressed && !inputBlobs.compressed
    do throws(RDBError) {
      if quicklist.writesNodeByNode {
        try writeOpenListNode()
      } else {
        try writeRecord(info)
      }
    } catch {
      var error = error
      if error.key == nil { error.key = unsafe String(decoding: key.buffer, as: UTF8.self) }
      throw error
    }
    try encoder.flushIfFull()
  }

  /// Whether ``writeKeyPrefix(_:)`` writes `info`'s expiry and eviction data in `format` as
  /// they are, with no loss to record (losses name the key, which the string path does not
  /// keep). Static, as a non-mutating method called on this 1.2 KB value copied it.
  private static func keyPrefixLosesNothing(_ info: KeyInfo, in format: WriteFormat) -> Bool {
    (info.expiresAt == nil || format.hasMillisecondExpiry)
      && (info.idleSeconds == nil && info.frequency == nil || format.hasEvictionData)
  }

  /// Starts the record of a string that is copied as stored: a string's stored forms (raw,
  /// integer, LZF) mean the same in every format, so its record is written at once up to the
  /// value (prefix, type, name), and its value's bytes follow as they come
  /// (``rawValue(_:)``). The name is not kept and no value is buffered: tiny keys spend
  /// most of a rewrite here.
  ///
  /// Most such records need no prefix, and a name of at most 20 bytes that is not an integer's
  /// text is written as it is after a one-byte length: that record is put in with one reserve.
  @inline(__always)
  private mutating func beginCopiedString(_ key: RawSpan, info: KeyInfo) -> KeyDecision {
    if !metadataSpecs.isEmpty {
      metadataSpecs.removeAll(keepingCapacity: true)
      metadataPayloads.removeAll(keepingCapacity: true)
    }
    self.info = nil
    keysWritten &+= 1
    copiedString = .open
    if targetDatabase != outputDatabase || slotHint != nil || info.expiresAt != nil
      || info.idleSeconds != nil || info.frequency != nil
    {
      writeKeyPrefix(info)
    }
    unsafe key.withUnsafeBytes { name in
      let count = name.count
      if count <= 20, count > 11 || !Self.mayBeInteger(name) {
        let room = unsafe encoder.output.reserve(count &+ 2)
        unsafe room.storeBytes(of: ValueType.string.rawValue, as: UInt8.self)
        unsafe room.storeBytes(
          of: UInt8(truncatingIfNeeded: count), toByteOffset: 1, as: UInt8.self)
        if let start = name.baseAddress {
          unsafe ShortCopy.copy(from: start, to: room + 2, count: count)
        }
        encoder.output.advance(by: count &+ 2)
      } else {
        encoder.byte(ValueType.string.rawValue)
        unsafe encoder.string(unsafeBytes: name)
      }
    }
    return .copy
  }

  /// Takes the plain string records from the run's first whose bytes are what
  /// ``beginCopiedString(_:info:)`` and ``rawValue(_:)`` would write for them, and puts them
  /// in as they are, in one copy: all of them go to the database written last with no slot
  /// hint before them, and each name is one those write as it is (at most 20 bytes, not an
  /// integer's text). The first record that is not such is left to the general events.
  public mutating func plainStrings(_ run: PlainStringRun, database: Int) throws(RDBError) -> Int {
    guard options.copiesValues, targetDatabase == outputDatabase, slotHint == nil else {
      return 0
    }
    var taken = 0
    while taken < run.count {
      let name = run.name(taken)
      guard unsafe name.count <= 20, unsafe name.count > 11 || !Self.mayBeInteger(name) else {
        break
      }
      taken &+= 1
    }
    guard taken > 0 else { return 0 }
    if !metadataSpecs.isEmpty {
      metadataSpecs.removeAll(keepingCapacity: true)
      metadataPayloads.removeAll(keepingCapacity: true)
    }
    info = nil
    keysWritten &+= taken
    unsafe encoder.output.append(run.records(0..<taken).bytes)
    try encoder.flushIfFull()
    return taken
  }

  /// Whether a key name may be an integer's text that ``RDBEncoder/string(unsafeBytes:)``
  /// stores as an integer: it starts with a digit or `-` (and is not empty).
  @inline(__always)
  private static func mayBeInteger(_ name: UnsafeRawBufferPointer) -> Bool {
    guard let first = unsafe name.first else { return false }
    return first == UInt8(ascii: "-") || first &- 48 <= 9
  }

  /// Empties the buffers of the value just written (copied values never fill them).
  private mutating func clearValue() {
    encoder.leavesBlobsUncompressed = false
    module = nil
    modulePayload.removeAll(keepingCapacity: true)
    values.reset()
    stream.reset()
    quicklist.reset()
  }

  /// Records a loss of `kind` in the current key.
  mutating func recordLoss(_ kind: LossReport.Kind, items: Int = 1) {
    unsafe losses.record(kind, items: items, key: RawSpan(_unsafeBytes: key.buffer))
  }

  /// Writes `SELECTDB` (and the size hint) when the key goes to another database than the
  /// last one written, then the key's expiry, `IDLE` and `FREQ`.
  mutating func writeKeyPrefix(_ info: KeyInfo) {
    let target = targetDatabase
    if target != outputDatabase {
      outputDatabase = target
      encoder.byte(Opcode.selectDatabase.rawValue)
      encoder.length(UInt64(target))
      if format.hasAux, options.writesSizeHints, let sizeHint {
        encoder.byte(Opcode.resizeDatabase.rawValue)
        encoder.length(sizeHint.keys)
        encoder.length(sizeHint.expires)
      }
    }
    writePendingSlotHint()
    if let expiresAt = info.expiresAt {
      if format.hasMillisecondExpiry {
        encoder.byte(Opcode.expireTimeMilliseconds.rawValue)
        encoder.littleEndian(UInt64(bitPattern: expiresAt), byteCount: 8)
      } else {
        let (seconds, remainder) = expiresAt.quotientAndRemainder(dividingBy: 1000)
        if remainder != 0 { recordLoss(.expiryPrecision) }
        let rounded = remainder > 0 ? seconds + 1 : seconds
        if Int32(exactly: rounded) == nil { recordLoss(.expiryRange) }
        encoder.byte(Opcode.expireTime.rawValue)
        encoder.littleEndian(
          UInt64(UInt32(bitPattern: Int32(clamping: rounded))), byteCount: 4)
      }
    }
    if info.idleSeconds != nil || info.frequency != nil, !format.hasEvictionData {
      recordLoss(.evictionData)
      writeKeyMetadata()
      return
    }
    if let idle = info.idleSeconds {
      encoder.byte(Opcode.idle.rawValue)
      encoder.length(idle)
    }
    if let frequency = info.frequency {
      encoder.byte(Opcode.freq.rawValue)
      encoder.byte(frequency)
    }
    writeKeyMetadata()
  }

  /// The output database of input database `index`.
  static func database(for index: Int, options: Options) -> Int {
    let mapped = options.databaseMap[index] ?? index
    return options.singleDatabase ? 0 : mapped
  }

  /// Writes the key's type byte and name, as every record starts.
  mutating func writeTypeAndKey(_ type: ValueType) {
    encoder.byte(type.rawValue)
    unsafe encoder.string(unsafeBytes: key.buffer)
    keysWritten += 1
  }
}

/// Where the record of a string copied as stored stands: nothing under way, written up to its
/// value (which comes next as bytes or as a value), or written whole.
private enum CopiedString {
  case none, open, written
}
