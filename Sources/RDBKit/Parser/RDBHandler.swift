/// Receives parse events, in file order, from ``RDBParser``.
///
/// Spans are borrowed views into the input or into the parser's scratch space, valid only
/// during the call: copy what you need to keep. Every method has a default that does
/// nothing, so a handler implements only what it needs. A key's events come as
/// ``beginKey(_:info:)``, then (unless skipped) ``beginValue(encoding:)`` and the value's
/// element events, then ``endKey(_:)``.
///
///     struct KeyCounter: RDBHandler {
///       var keys = 0
///       mutating func beginKey(_ key: RawSpan, info: KeyInfo) -> KeyDecision {
///         keys += 1
///         return .skip
///       }
///     }
public protocol RDBHandler {
  /// Whether the handler reads string values (``stringValue(_:)``). A handler that only
  /// counts or classifies keys returns false: over a mapped file with a checksum, the parser
  /// then checks compressed string values' sizes and leaves their bytes to the CRC-64
  /// instead of decompressing them. The default is true.
  static var needsStringValues: Bool { get }
  /// Whether the handler reads the elements of lists, sets, sorted sets and hashes, and the
  /// fields of stream entries. A handler that returns false still gets every value checked
  /// as closely (structure, repeated fields and members, scores), but listpack elements are
  /// then walked in place instead of reported one by one, and ``streamField(_:value:)`` is not
  /// called. The default is true.
  static var needsElements: Bool { get }
  /// Whether the handler reads the elements of values stored packed: ziplist, listpack,
  /// intset and zipmap blobs, quicklist nodes, stream nodes. The default is
  /// ``needsElements``. A handler that returns false, and needs no string values either,
  /// gets such values as ``beginValue(encoding:)`` and one ``valueBlob(_:)`` per blob (with
  /// its decoded size), and must not rely on their element events (a blob that is decoded
  /// may still report them); in a file that ends in a CRC-64, an
  /// LZF-compressed blob is then not decompressed: its lengths and the header its first bytes
  /// show are checked and its bytes left to the checksum, as compressed strings are
  /// (``ParseSummary/uncheckedPackedValues``). A damaged one is then reported as a checksum
  /// mismatch, or over a mapped file as the first damage a full decode finds; a file with a
  /// zero trailer is read again decoding everything (when ``restartsCleanly``). An
  /// uncompressed blob is walked and checked as for any handler.
  ///
  ///     struct BlobSizes: RDBHandler {
  ///       static var needsStringValues: Bool { false }
  ///       static var needsPackedElements: Bool { false }
  ///       var bytes = 0
  ///       mutating func valueBlob(_ blob: ValueBlob) { bytes += blob.byteCount }
  ///     }
  static var needsPackedElements: Bool { get }
  /// Whether the handler reads ``ValueBlob/elementCount``. The parser then counts each blob's
  /// elements, from its header or by walking it, and does not leave to the checksum a
  /// compressed blob whose header (as far as its first literal run shows it) does not give
  /// the count. The default is false.
  static var needsPackedElementCounts: Bool { get }
  /// Whether a handler that does not read packed elements (``needsPackedElements`` false)
  /// reads the length of their longest one (``largestPackedElement(_:)``). The parser then
  /// decodes every blob (none is left to the checksum) and measures its elements as it
  /// walks and checks them in place. The default is false.
  static var needsPackedElementLengths: Bool { get }
  /// Whether a handler with ``needsPackedElementLengths`` may take LZF-compressed ziplist and
  /// listpack values and list nodes of an input held in memory (a mapped file) undecoded, to
  /// measure them on another thread (``packedBlobAside(_:)``). The default is false.
  static var measuresPackedBlobsAside: Bool { get }
  /// Whether the handler can be started over from a copy of itself: it keeps results only in
  /// its own value (no output written as it goes). The parser may then re-read a file whose
  /// checksum turned out to be missing, decompressing what it had left to the checksum.
  static var restartsCleanly: Bool { get }
  /// Whether the handler wants the serialized bytes of module values and module AUX data
  /// (``modulePayload(_:)``), to copy them unchanged. The default is false, which spares the
  /// parser the copy a piped input needs when such a payload spans a refill.
  static var needsModulePayloads: Bool { get }
  /// Whether the handler is offered runs of plain string records whole
  /// (``plainStrings(_:database:)``) before their general events. The default is false.
  static var takesPlainStrings: Bool { get }
  /// The header was read.
  mutating func header(_ version: RDBVersion) throws(RDBError)
  /// An AUX metadata field (`redis-ver`, `ctime`, …).
  mutating func aux(key: RawSpan, value: RawSpan) throws(RDBError)
  /// A function library's source code (`FUNCTION2`, or the code of a pre-GA function).
  mutating func function(code: RawSpan) throws(RDBError)
  /// A module's global data (`MODULE_AUX`), which the parser skips.
  mutating func moduleAux(_ module: ModuleType) throws(RDBError)
  /// The serialized bytes of the module value or module AUX record just reported, when
  /// ``needsModulePayloads`` is true: exactly the bytes that follow the key name of a type-7
  /// value (after ``moduleValue(_:)`` and, for a vector set, its element events) or the
  /// `MODULE_AUX` opcode byte (after ``moduleAux(_:)``): the module id, for AUX data the `2`
  /// marker and the `when` value, then the module opcode stream up to and including its EOF
  /// opcode 0. Written back after the same type or opcode byte, they reproduce the record
  /// byte for byte.
  mutating func modulePayload(_ bytes: RawSpan) throws(RDBError)
  /// A database section starts (`SELECTDB`).
  mutating func beginDatabase(_ index: Int) throws(RDBError)
  /// The size hints of the current database (`RESIZEDB`).
  mutating func resizeDatabase(keys: UInt64, expires: UInt64) throws(RDBError)
  /// A cluster node's size hint for the hash slot whose keys follow (`SLOT_INFO`). Valkey's
  /// form of the same hint is an AUX field, reported by ``aux(key:value:)``.
  mutating func slotHint(_ hint: SlotHint) throws(RDBError)
  /// A key starts; return ``KeyDecision/skip`` to pass over its value undecoded.
  mutating func beginKey(_ key: RawSpan, info: KeyInfo) throws(RDBError) -> KeyDecision
  /// Plain string records of database `database`, offered whole and back to back when
  /// ``takesPlainStrings`` is true (``PlainStringRun``): most records of a file of tiny keys.
  /// The parser checks them as it checks them for ``beginKey(_:info:)``'s events (nothing in
  /// them can be wrong but their bounds).
  ///
  /// Return how many of them, from the first, the handler is done with (taken, or left out
  /// by a filter). The others are offered again, and the first of them, if it is not taken
  /// then either, is reported the general way (``beginKey(_:info:)``, its value,
  /// ``endKey(_:)``), as though it had not been offered.
  mutating func plainStrings(_ run: PlainStringRun, database: Int) throws(RDBError) -> Int
  /// One class of module metadata attached to the current key (`KEY_META`, RDB 13), reported
  /// after ``beginKey(_:info:)`` returns ``KeyDecision/decode`` and before
  /// ``beginValue(encoding:)``, once per class in file order (``KeyInfo/metadataClassCount``
  /// says how many). `payload` is the class's items exactly as in the file: the module opcode
  /// stream after the 4-byte class spec, up to and including its EOF opcode 0. A writer
  /// reproduces the record as opcode 243, the class count, then per class the spec
  /// (``KeyMetadataClass/spec``, little-endian) and the payload, right before the type byte.
  mutating func keyMetadata(_ metadata: KeyMetadataClass, payload: RawSpan) throws(RDBError)
  /// The value is about to be reported; `encoding` is what `OBJECT ENCODING` would say.
  mutating func beginValue(encoding: Encoding) throws(RDBError)
  /// The value's bytes exactly as in the file, from the byte after the key name to the end of
  /// the value, when ``beginKey(_:info:)`` returned ``KeyDecision/copy``. Over a pipe they are
  /// gathered across refills. Only the input's checksum vouches for them: they were stepped
  /// over, not decoded.
  mutating func rawValue(_ bytes: RawSpan) throws(RDBError)
  /// A blob the value is stored in, reported before the elements it holds.
  mutating func valueBlob(_ blob: ValueBlob) throws(RDBError)
  /// A quicklist v2 node's listpack (decompressed), offered after its ``valueBlob(_:)`` to a
  /// handler that reads packed elements, before they are reported. A handler that takes the
  /// node whole (a writer moving it to another packing) returns true: the parser then
  /// neither reports nor checks its elements, and the handler checks what it reads itself.
  /// A handler that finds the node damaged returns false having kept nothing of it, and the
  /// parser reports its elements and the damage as for any node. The default is false.
  mutating func listpackListNode(_ node: RawSpan) throws(RDBError) -> Bool
  /// A stream node's listpack (decompressed, its header checked), offered after its
  /// ``valueBlob(_:)`` to a handler that reads packed elements, before its entries are
  /// reported; `master` is its master entry's ID and `previous` the ID of the stream's entry
  /// before it (nil at the first node). A handler that writes the node's entries whole (a
  /// text writer, in one pass) returns what the walk of its entries finds: the parser then
  /// neither reports nor walks them. A handler returns nil, having kept nothing of the node,
  /// for any node the walk would find damaged or warn about (entries out of order after
  /// `previous` or among themselves, a header that miscounts), or that it does not read
  /// whole: the parser then reports its entries and checks them as for any node. The default
  /// is nil.
  mutating func streamNode(_ node: RawSpan, master: StreamID, after previous: StreamID?)
    throws(RDBError) -> WrittenStreamNode?
  /// For a handler with ``needsPackedElementLengths``, after a ziplist or listpack blob (a
  /// single-blob list, set, hash or sorted set, a quicklist node, a stream node) has been
  /// walked and checked: the byte length of its longest element as the element events would
  /// give it (integers as decimal text; a sorted set's members, not its scores; a stream
  /// node's field names and values of live entries), 0 when it has none. Blobs that are not
  /// walked in place (intsets, zipmaps, hashes with field TTLs, PLAIN nodes) report their
  /// element events instead.
  mutating func largestPackedElement(_ byteCount: Int) throws(RDBError)
  /// For a handler with ``measuresPackedBlobsAside``, asked before such a blob is read: true
  /// has it reported by ``packedBlobAside(_:)``, false has it decoded and measured here.
  /// `releaseHold`, over a mapped file whose pages are released behind the parse, is where
  /// the thread measuring the blobs says which bytes it has yet to read (the same for the
  /// whole parse).
  mutating func takesPackedBlobAside(releaseHold: ReleaseHold?) throws(RDBError) -> Bool
  /// For a handler with ``measuresPackedBlobsAside``, asked before a stream's first node is
  /// read: true has every node of the stream reported by ``packedBlobAside(_:)``, each taken
  /// undecoded when ``takesPackedBlobAside(releaseHold:)`` says so, else walked here and summed
  /// up, then the stream's end; their ``valueBlob(_:)`` without an element count, and no
  /// entry events. False has the nodes read here.
  mutating func takesStreamNodesAside(releaseHold: ReleaseHold?) throws(RDBError) -> Bool
  /// For a handler with ``measuresPackedBlobsAside``, asked at a hash stored as a hash table
  /// (type 4) whose header counts `count` fields, in an input held in memory: true has its
  /// fields and values checked here for their structure only (no ``hashField(_:value:expiresAt:)``
  /// events), then reported whole by ``packedBlobAside(_:)`` (an element run,
  /// ``PackedBlobAside/isElementRun``), whose repeats a ``PackedBlobMeasurer`` finds as the
  /// parser would and whose lengths it gives (``PackedBlobMeasurer/measureHashTable(_:into:)``).
  /// False has the fields read here.
  mutating func takesHashTableAside(count: UInt64, releaseHold: ReleaseHold?) throws(RDBError)
    -> Bool
  /// A blob ``takesPackedBlobAside(releaseHold:)`` took, after its ``valueBlob(_:)`` (its
  /// element count from its header) and in place of ``largestPackedElement(_:)``: its bytes
  /// stay valid for the whole parse, and a ``PackedBlobMeasurer`` decompresses, checks and
  /// measures it as the parser would have; or a stream's node or end
  /// (``takesStreamNodesAside(releaseHold:)``).
  mutating func packedBlobAside(_ blob: PackedBlobAside) throws(RDBError)
  /// For a handler with ``measuresPackedBlobsAside``, after the last record (before the
  /// checksum is compared) and when the parse fails: the handler finishes measuring the blobs
  /// it took, throws the first damage they hold, and returns the warnings their walks raised.
  mutating func finishPackedBlobsAside() throws(RDBError) -> [RDBWarning]
  /// A string value's length, reported before ``stringValue(_:)`` (and instead of it when the
  /// handler does not need string values).
  mutating func stringLength(_ byteCount: Int) throws(RDBError)
  /// A string value.
  mutating func stringValue(_ value: RawSpan) throws(RDBError)
  /// A list element, head to tail.
  mutating func listElement(_ element: RawSpan) throws(RDBError)
  /// A set member.
  mutating func setMember(_ member: RawSpan) throws(RDBError)
  /// A sorted-set member and its score.
  mutating func sortedSetMember(_ member: RawSpan, score: Double) throws(RDBError)
  /// A hash field, its value, and its own expiry in Unix ms when it has one.
  mutating func hashField(_ field: RawSpan, value: RawSpan, expiresAt: Int64?) throws(RDBError)
  /// A field of a ziplist or listpack hash without a TTL whose value the blob stores as an
  /// integer, in place of ``hashField(_:value:expiresAt:)`` with its decimal text. The
  /// default writes the text and calls that.
  mutating func hashField(_ field: RawSpan, integer value: Int64) throws(RDBError)
  /// A live stream entry starts; `fieldCount` field/value pairs follow.
  mutating func beginStreamEntry(id: StreamID, fieldCount: Int) throws(RDBError)
  /// One field of the current stream entry.
  mutating func streamField(_ field: RawSpan, value: RawSpan) throws(RDBError)
  /// One field of the current stream entry whose value the node stores as an integer, in
  /// place of ``streamField(_:value:)`` with its decimal text. The default writes the text
  /// and calls ``streamField(_:value:)``; a writer that formats integers itself takes them
  /// here without the text in between.
  mutating func streamField(_ field: RawSpan, integer value: Int64) throws(RDBError)
  /// The stream's metadata, after all its entries.
  mutating func streamMetadata(_ metadata: StreamMetadata) throws(RDBError)
  /// A consumer group starts; its pending entries and consumers follow.
  mutating func beginStreamGroup(name: RawSpan, info: StreamGroupInfo) throws(RDBError)
  /// An entry of the current group's pending entries list.
  mutating func streamPendingEntry(id: StreamID, deliveryTime: Int64, deliveryCount: UInt64)
    throws(RDBError)
  /// A consumer of the current group; the IDs it has pending follow.
  mutating func beginStreamConsumer(name: RawSpan, info: StreamConsumerInfo) throws(RDBError)
  /// One pending entry ID owned by the current consumer.
  mutating func streamConsumerPending(id: StreamID) throws(RDBError)
  /// A type-26 stream's idempotent-producer settings, after its consumer groups; its
  /// producers follow (RDB 13, Redis 8.6).
  mutating func streamIdempotency(_ settings: StreamIdempotency) throws(RDBError)
  /// An idempotent producer of the current stream, by its id; `entryCount`
  /// ``streamProducerEntry(iid:id:)`` events follow, oldest first.
  mutating func beginStreamProducer(id: RawSpan, entryCount: UInt64) throws(RDBError)
  /// One remembered IID of the current producer and the stream ID `XADD` gave it.
  mutating func streamProducerEntry(iid: RawSpan, id: StreamID) throws(RDBError)
  /// The all-time IDMP counters of the current stream (`XINFO STREAM`'s `iids-added` and
  /// `iids-duplicates`), after its last producer.
  mutating func streamIdempotencyTotals(iidsAdded: UInt64, iidsDuplicates: UInt64)
    throws(RDBError)
  /// A module value; the parser decodes vector sets (``beginVectorSet(_:)``) and skips
  /// every other module type's data.
  mutating func moduleValue(_ module: ModuleType) throws(RDBError)
  /// A vector set (module type `vectorset`) starts, after ``moduleValue(_:)``; its elements
  /// follow. Its `TYPE` is `vectorset`.
  mutating func beginVectorSet(_ info: VectorSetInfo) throws(RDBError)
  /// One element of the current vector set, in the file's order (the HNSW node list): its
  /// name, its vector as stored (``VectorSetInfo/vectorByteCount`` bytes, normalized and
  /// quantized), its JSON attributes (empty when it has none) and its scale and graph node.
  mutating func vectorSetElement(
    _ element: RawSpan, vector: RawSpan, attributes: RawSpan, info: VectorSetElementInfo
  ) throws(RDBError)
  /// The key's value has been passed.
  mutating func endKey(_ summary: KeySummary) throws(RDBError)
}

extension RDBHandler {
  public static var needsStringValues: Bool { true }
  public static var needsElements: Bool { true }
  public static var needsPackedElements: Bool { needsElements }
  public static var needsPackedElementCounts: Bool { false }
  public static var needsPackedElementLengths: Bool { false }
  public static var measuresPackedBlobsAside: Bool { false }
  public static var restartsCleanly: Bool { false }
  public static var needsModulePayloads: Bool { false }
  public static var takesPlainStrings: Bool { false }
  public mutating func header(_ version: RDBVersion) throws(RDBError) {}
  public mutating func aux(key: RawSpan, value: RawSpan) throws(RDBError) {}
  public mutating func function(code: RawSpan) throws(RDBError) {}
  public mutating func moduleAux(_ module: ModuleType) throws(RDBError) {}
  public mutating func modulePayload(_ bytes: RawSpan) throws(RDBError) {}
  public mutating func keyMetadata(_ metadata: KeyMetadataClass, payload: RawSpan)
    throws(RDBError)
  {}
  public mutating func beginDatabase(_ index: Int) throws(RDBError) {}
  public mutating func resizeDatabase(keys: UInt64, expires: UInt64) throws(RDBError) {}
  public mutating func slotHint(_ hint: SlotHint) throws(RDBError) {}
  public mutating func beginKey(_ key: RawSpan, info: KeyInfo) throws(RDBError) -> KeyDecision {
    .decode
  }
  public mutating func plainStrings(_ run: PlainStringRun, database: Int) throws(RDBError) -> Int {
    0
  }
  public mutating func beginValue(encoding: Encoding) throws(RDBError) {}
  public mutating func rawValue(_ bytes: RawSpan) throws(RDBError) {}
  public mutating func valueBlob(_ blob: ValueBlob) throws(RDBError) {}
  public mutating func listpackListNode(_ node: RawSpan) throws(RDBError) -> Bool { false }
  public mutating func streamNode(_ node: RawSpan, master: StreamID, after previous: StreamID?)
    throws(RDBError) -> WrittenStreamNode?
  { nil }
  public mutating func largestPackedElement(_ byteCount: Int) throws(RDBError) {}
  public mutating func takesPackedBlobAside(releaseHold: ReleaseHold?) throws(RDBError) -> Bool {
    false
  }
  public mutating func takesStreamNodesAside(releaseHold: ReleaseHold?) throws(RDBError) -> Bool {
    false
  }
  public mutating func takesHashTableAside(count: UInt64, releaseHold: ReleaseHold?)
    throws(RDBError) -> Bool
  { false }
  public mutating func packedBlobAside(_ blob: PackedBlobAside) throws(RDBError) {}
  public mutating func finishPackedBlobsAside() throws(RDBError) -> [RDBWarning] { [] }
  public mutating func stringLength(_ byteCount: Int) throws(RDBError) {}
  public mutating func stringValue(_ value: RawSpan) throws(RDBError) {}
  public mutating func listElement(_ element: RawSpan) throws(RDBError) {}
  public mutating func setMember(_ member: RawSpan) throws(RDBError) {}
  public mutating func sortedSetMember(_ member: RawSpan, score: Double) throws(RDBError) {}
  public mutating func hashField(_ field: RawSpan, value: RawSpan, expiresAt: Int64?)
    throws(RDBError)
  {}
  @inline(__always)
  public mutating func hashField(_ field: RawSpan, integer value: Int64) throws(RDBError) {
    try IntegerText.withText(of: value) { (text) throws(RDBError) in
      try hashField(field, value: text, expiresAt: nil)
    }
  }
  public mutating func beginStreamEntry(id: StreamID, fieldCount: Int) throws(RDBError) {}
  public mutating func streamField(_ field: RawSpan, value: RawSpan) throws(RDBError) {}
  @inline(__always)
  public mutating func streamField(_ field: RawSpan, integer value: Int64) throws(RDBError) {
    try IntegerText.withText(of: value) { (text) throws(RDBError) in
      try streamField(field, value: text)
    }
  }
  public mutating func streamMetadata(_ metadata: StreamMetadata) throws(RDBError) {}
  public mutating func beginStreamGroup(name: RawSpan, info: StreamGroupInfo) throws(RDBError) {}
  public mutating func streamPendingEntry(
    id: StreamID, deliveryTime: Int64, deliveryCount: UInt64
  ) throws(RDBError) {}
  public mutating func beginStreamConsumer(name: RawSpan, info: StreamConsumerInfo)
    throws(RDBError)
  {}
  public mutating func streamConsumerPending(id: StreamID) throws(RDBError) {}
  public mutating func streamIdempotency(_ settings: StreamIdempotency) throws(RDBError) {}
  public mutating func beginStreamProducer(id: RawSpan, entryCount: UInt64) throws(RDBError) {}
  public mutating func streamProducerEntry(iid: RawSpan, id: StreamID) throws(RDBError) {}
  public mutating func streamIdempotencyTotals(iidsAdded: UInt64, iidsDuplicates: UInt64)
    throws(RDBError)
  {}
  public mutating func moduleValue(_ module: ModuleType) throws(RDBError) {}
  public mutating func beginVectorSet(_ info: VectorSetInfo) throws(RDBError) {}
  public mutating func vectorSetElement(
    _ element: RawSpan, vector: RawSpan, attributes: RawSpan, info: VectorSetElementInfo
  ) throws(RDBError) {}
  public mutating func endKey(_ summary: KeySummary) throws(RDBError) {}
}
