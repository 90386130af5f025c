/// Estimates, for every key of an RDB file, what the server reports for
/// `MEMORY USAGE key SAMPLES 0`, and hands each finished key to a ``KeyMemoryConsumer``.
///
/// The estimate follows docs/memory-model.md: blobs the server keeps byte for byte
/// (ziplists, listpacks, intsets, quicklist nodes, stream nodes) count at their stored size,
/// rounded as the ``MemoryModel`` says; hash tables, skiplists, stream radix trees and
/// quicklist compression, which the file does not record, are modelled. Each key costs O(1)
/// memory beyond its name: elements only feed running sums.
///
/// The model comes from the file (`redis-ver` / `valkey-ver` AUX fields, else the RDB
/// version) unless one is given. The AUX fields come before any key, so the choice is made
/// before the first estimate.
///
///     var estimator = MemoryEstimator(consumer: KeyMemoryCollector())
///     try RDBParser().parse(path: "dump.rdb", into: &estimator)
///     for report in estimator.consumer.reports { print(report.sizeInBytes) }
public struct MemoryEstimator<Consumer: KeyMemoryConsumer>: RDBHandler {
  /// What receives the reports; read it back after the parse.
  public var consumer: Consumer
  /// The model in use: the one given, or the one detected from the file once its AUX fields
  /// have been read.
  public private(set) var model: MemoryModel {
    didSet {
      skiplistNodeCost = model.expectedSkiplistNodeCost
      costs = MemoryModel.ElementCosts(model)
      keyCosts = KeyMemoryCosts(model)
    }
  }
  /// ``MemoryModel/expectedSkiplistNodeCost`` of ``model``, priced once per model instead of
  /// per sorted-set member.
  var skiplistNodeCost: Double
  /// The element costs of ``model``, priced once per model instead of per element.
  var costs: MemoryModel.ElementCosts
  /// The key-name costs of ``model``, priced once per model instead of per key.
  var keyCosts: KeyMemoryCosts

  var isModelFixed: Bool
  var redisVersion: String?
  var valkeyVersion: String?

  /// The server that wrote the file as its AUX fields name it (`valkey 8.0.1`,
  /// `redis 7.0.15`), or nil before they are read or when the file names none.
  public var writer: String? {
    valkeyVersion.map { "valkey " + $0 } ?? redisVersion.map { "redis " + $0 }
  }
  var rdbVersion = 0

  // The current key.
  var key = KeyMemoryReport.Name()
  var info: KeyInfo?
  var encoding = Encoding.raw
  var elements = 0
  var largest = 0
  /// Whether the value's elements were counted from its blobs' headers
  /// (``ValueBlob/elementCount``): its element events, if any, are then not counted again.
  var countedFromBlobs = false
  /// The value's cost, summed as events arrive.
  var valueCost = 0
  /// Element costs of hash-table sets and hashes, formed into an average at the end.
  var elementCostSum = 0
  /// Element costs of skiplists (expected node sizes, so fractional).
  var elementCosts = 0.0
  /// Whether every set member so far is a canonical integer (the set began as an intset).
  var allIntegers = true
  /// Hash fields with a TTL so far.
  var fieldsWithTTL = 0

  // Quicklists: the costs of the last `listCompressDepth` nodes, which stay uncompressed.
  var nodeIndex = 0
  var nodeCosts = 0
  var tailWindow: [Int] = []

  // Streams.
  var streamRax = RaxModel()
  var groupRax = RaxModel()
  var consumerRax = RaxModel()
  var lastNodeBytes = 0
  var inGroup = false
  var inConsumer = false
  /// Redis 8.6: the stream's group names, the current group's consumer names, and the pending
  /// IDs of all its groups (the `cgroups_ref` index), each a tree the server counts.
  var groupNames = RaxKeySet()
  var consumerNames = RaxKeySet()
  var pendingIDs = RaxKeySet()

  // Vector sets.
  var vectorSet: VectorSetTally?

  // --as-loaded: the target's compact limits, and the value's size in compact encodings.
  var loadLimits: EncodingLimits?
  var packed = PackedSizeTally()
  var nodePacked = PackedSizeTally()
  var convertingNode = false
  /// The fields a loader puts in a listpack before the first one too long for it.
  var fieldsBeforeLongOne: Int?
  /// The bytes of a quicklist's first node as the loader holds it (nil for a PLAIN node).
  var firstNodeBytes: Int?
  /// The value's encoding in the file, before ``convertAsLoaded()``.
  var fileEncoding = Encoding.raw

  /// Whether the LZF-compressed packed values of a mapped file are measured on a thread of
  /// their own while the parse reads on, their reports held until then and passed to the
  /// consumer in file order (see `MemoryEstimator+Aside.swift`): for a consumer that reads
  /// the largest element, on a machine with a second core. Same reports, same errors.
  public var measuresOnSecondCore = false
  var aside = AsideReports()

  /// Estimates with `model`, whatever the file says.
  public init(consumer: Consumer, model: MemoryModel) {
    self.consumer = consumer
    self.model = model
    skiplistNodeCost = model.expectedSkiplistNodeCost
    costs = MemoryModel.ElementCosts(model)
    keyCosts = KeyMemoryCosts(model)
    isModelFixed = true
    precondition(
      !model.asLoaded || Self.needsPackedElements,
      "an estimate as loaded reads every element: wrap the consumer in ReadingPackedElements")
    if model.asLoaded { loadLimits = Self.defaultLimits(model.version) }
  }

  /// Estimates with the model detected from the file, with `allocator` and
  /// `listCompressDepth` as the server's settings; `asLoaded` gives the figure of that version's
  /// server after loading the file (``MemoryModel/asLoaded``).
  public init(
    consumer: Consumer, allocator: MemoryModel.Allocator = .bundled, listCompressDepth: Int = 0,
    asLoaded: Bool = false
  ) {
    self.consumer = consumer
    model = MemoryModel(
      version: .redis74, allocator: allocator, listCompressDepth: listCompressDepth,
      asLoaded: asLoaded)
    skiplistNodeCost = model.expectedSkiplistNodeCost
    costs = MemoryModel.ElementCosts(model)
    keyCosts = KeyMemoryCosts(model)
    isModelFixed = false
    precondition(
      !asLoaded || Self.needsPackedElements,
      "an estimate as loaded reads every element: wrap the consumer in ReadingPackedElements")
    if asLoaded { loadLimits = Self.defaultLimits(model.version) }
  }

  public mutating func header(_ version: RDBVersion) throws(RDBError) {
    rdbVersion = version.number
    detectModel()
  }

  public mutating func aux(key: RawSpan, value: RawSpan) throws(RDBError) {
    if AuxField.equals(key, "redis-ver") {
      redisVersion = AuxField.text(value)
      detectModel()
    } else if AuxField.equals(key, "valkey-ver") {
      valkeyVersion = AuxField.text(value)
      detectModel()
    }
    if let time = AuxField.snapshotTime(key: key, value: value) { consumer.snapshotTime(time) }
  }

  private mutating func detectModel() {
    guard !isModelFixed else { return }
    model.version = MemoryModel.detect(
      redisVersion: redisVersion, valkeyVersion: valkeyVersion, rdbVersion: rdbVersion)
    if model.asLoaded { loadLimits = Self.defaultLimits(model.version) }
  }

  public mutating func beginKey(_ key: RawSpan, info: KeyInfo) throws(RDBError) -> KeyDecision {
    // Copied into the buffer the last report shared (a new one only when a consumer kept it).
    unsafe key.withUnsafeBytes { unsafe self.key.replace(with: $0) }
    self.info = info
    encoding = info.type.storedEncoding
    elements = 0
    largest = 0
    countedFromBlobs = false
    valueCost = 0
    elementCostSum = 0
    elementCosts = 0
    allIntegers = true
    fieldsWithTTL = 0
    nodeIndex = 0
    nodeCosts = 0
    // Asked first: a list's window and a vector set are rare, and clearing an empty one
    // still calls into the runtime.
    if !tailWindow.isEmpty { tailWindow.removeAll(keepingCapacity: true) }
    if vectorSet != nil { vectorSet = nil }
    if loadLimits != nil {
      packed.reset()
      convertingNode = false
      fieldsBeforeLongOne = nil
    }
    return .decode
  }

  public mutating func beginValue(encoding: Encoding) throws(RDBError) {
    self.encoding = encoding
    if info?.dataType == .stream { beginStream() }
  }

  /// Packed values are read element by element only for `--as-loaded` (given a
  /// ``ReadingPackedElements`` consumer); otherwise their blobs' sizes and element counts are
  /// all the model needs, and, for a consumer that reads the largest element, the length of
  /// each blob's longest element, measured as the parser walks it in place.
  public static var needsPackedElements: Bool { Consumer.readsEveryPackedElement }
  public static var needsPackedElementCounts: Bool { !needsPackedElements }
  public static var needsPackedElementLengths: Bool {
    !needsPackedElements && Consumer.needsLargestElementLength
  }

  public mutating func largestPackedElement(_ byteCount: Int) throws(RDBError) {
    if byteCount > largest { largest = byteCount }
  }

  public mutating func valueBlob(_ blob: ValueBlob) throws(RDBError) {
    if let count = blob.elementCount {
      elements += count
      countedFromBlobs = true
    }
    switch info?.dataType {
    case .list: addListNode(blob)
    case .stream: addStreamNode(blob)
    case .hash where encoding == .listpackex:
      valueCost =
        16 + model.listpackExCost + model.packedCost(blob.byteCount)
    default:
      // A single-blob set, sorted set or hash.
      valueCost = 16 + model.packedCost(blob.byteCount)
    }
  }

  /// A string's cost depends on its length and encoding, never its bytes.
  public static var needsStringValues: Bool { false }

  public mutating func stringLength(_ byteCount: Int) throws(RDBError) {
    elements = byteCount
    largest = byteCount
    valueCost = model.stringValueCost(length: byteCount, encoding: encoding)
  }

  public mutating func moduleValue(_ module: ModuleType) throws(RDBError) {
    // The module computes its own figure (`mem_usage`); only the robj is known, unless the
    // module is one whose figure is modelled (vector sets).
    valueCost = 16
  }

  public mutating func beginVectorSet(_ info: VectorSetInfo) throws(RDBError) {
    vectorSet = VectorSetTally(info)
  }

  public mutating func vectorSetElement(
    _ element: RawSpan, vector: RawSpan, attributes: RawSpan, info: VectorSetElementInfo
  ) throws(RDBError) {
    count(element.byteCount)
    let model = model
    vectorSet?.add(
      nameLength: element.byteCount, attributesLength: attributes.byteCount,
      linkLimit: info.linkLimit, stringSize: model.moduleStringSize)
  }

  public mutating func endKey(_ summary: KeySummary) throws(RDBError) {
    guard let info else { return }
    encoding = summary.encoding
    fileEncoding = encoding
    if loadLimits != nil { convertAsLoaded() }
    switch info.dataType {
    case .list: finishList()
    case .set where encoding == .hashtable: finishSetTable()
    case .sortedSet where encoding == .skiplist: finishSkiplist()
    case .hash where encoding == .hashtable:
      // A table the worker measures is priced there (``takesHashTableAside(count:releaseHold:)``).
      if aside.takesHashTable {
        aside.takesHashTable = false
      } else {
        finishHashTable()
      }
    case .stream: finishStream()
    case .module:
      if let vectorSet { valueCost = 16 + model.moduleValueExtra + vectorSet.cost }
    default: break
    }
    var size = valueCost + keyCosts.key(key.count, model: model)
    if model.version == .valkey81 {
      // The key lives in the value's object, and `MEMORY USAGE` counts that object's whole
      // allocation only when it embeds a string value; otherwise only its 16 bytes.
      if info.dataType == .string, encoding == .embstr {
        // The parser draws Valkey 8.1's line from the file's `valkey-ver`; a file of another
        // server, estimated with this model, gets it here.
        let expiry = info.expiresAt == nil || key.count >= 32 ? 0 : 8
        if 16 + expiry + key.count + 3 + largest + 4 > 64 {
          encoding = .raw
          valueCost = model.stringValueCost(length: largest, encoding: .raw)
        }
      }
      size =
        encoding == .embstr
        ? model.keyedObjectSize(
          keyLength: key.count, slots: info.expiresAt == nil ? 0 : 1, embedded: 3 + largest + 1)
        : valueCost
    } else if keyCosts.embedsKeyInObject {
      // The value's 16-byte object becomes the keyed object; an embstr's sds moves into it.
      let embedsValue = info.dataType == .string && encoding == .embstr
      size =
        model.keyedObjectSize(
          keyLength: key.count,
          slots: (info.expiresAt == nil ? 0 : 1) + info.metadataClassCount,
          embedded: embedsValue ? 3 + largest + 1 : 0) + (embedsValue ? 0 : valueCost - 16)
    }
    let report = KeyMemoryReport(
      database: info.database, name: key, type: info.dataType, encoding: encoding,
      sizeInBytes: size, elementCount: elements,
      largestElementLength: largest, expiresAt: info.expiresAt, isVectorSet: vectorSet != nil)
    self.info = nil
    if aside.worker != nil { return try deliverAside(report) }
    try consumer.consume(report)
  }

  // MARK: - Lists

  private mutating func addListNode(_ blob: ValueBlob) {
    settleConvertedListNode()
    if tallyAllElements, blob.kind == .ziplist, model.dictSize == 56 {
      // A 6.2-or-older ziplist node, which a 7.0+ loader converts to a listpack.
      beginConvertedListNode()
      return
    }
    if encoding == .listpack {
      valueCost = 16 + model.packedCost(blob.byteCount)
      return
    }
    if tallyAllElements {
      firstNodeBytes = nodeIndex == 0 && blob.kind != .plainNode ? blob.byteCount : nil
    }
    let raw =
      model.quicklistNodeSize
      + (blob.kind == .plainNode || blob.kind == .listpack
        ? model.packedCost(blob.byteCount) : blob.byteCount)
    // A node the server compressed in memory is stored compressed whatever `rdbcompression`
    // says; it qualifies when it is at least 48 bytes and LZF saved more than 8.
    var cost = raw
    if blob.isCompressed, blob.byteCount >= 48, blob.storedByteCount + 8 < blob.byteCount {
      cost =
        model.quicklistNodeSize
        + (model.packedBlobsAreRounded
          ? model.allocationSize(8 + blob.storedByteCount) : blob.storedByteCount)
    }
    let depth = model.listCompressDepth
    defer { nodeIndex += 1 }
    if depth == 0 || nodeIndex < depth {
      nodeCosts += raw
      return
    }
    // Nodes within `depth` of the tail stay raw: hold the last `depth` in a ring, and settle
    // a node as interior (compressed when it qualifies) once `depth` nodes follow it.
    let slot = (nodeIndex - depth) % depth
    if tailWindow.count < 2 * depth {
      tailWindow.append(0)
      tailWindow.append(0)
    } else {
      nodeCosts += tailWindow[2 * slot + 1]
    }
    tailWindow[2 * slot] = raw
    tailWindow[2 * slot + 1] = cost
  }

  private mutating func finishList() {
    settleConvertedListNode()
    guard encoding != .listpack else { return }
    if let limits = loadLimits, model.hasListpackLists, nodeIndex == 1, let bytes = firstNodeBytes,
      bytes <= limits.listNodeBytes
    {
      // A 7.2+ loader turns a quicklist of one small packed node into a listpack.
      encoding = .listpack
      valueCost = 16 + model.packedCost(bytes)
      return
    }
    var sum = nodeCosts
    var index = 0
    while index < tailWindow.count {
      sum += tailWindow[index]
      index += 2
    }
    valueCost = 16 + model.quicklistSize + MemoryModel.averagedSum(sum, count: nodeIndex)
  }

  // MARK: - Hash tables and skiplists

  private func table() -> MemoryModel.TableShape {
    if model.asLoaded {
      if info?.dataType == .hash, let limits = loadLimits, elements <= limits.hashEntries,
        let fields = fieldsBeforeLongOne, fileEncoding == .hashtable
      {
        return model.convertedWhileLoading(count: elements, listpackFields: fields)
      }
      return .init(buckets: MemoryModel.loadedBuckets(elements))
    }
    return model.builtTable(
      count: elements, type: info?.dataType ?? .set, allIntegers: allIntegers,
      allShort: largest <= 64)
  }

  /// The buckets of the value's table: Valkey 9's open hashtable, or a dict's (8 bytes each).
  private func bucketCost() -> Int {
    guard model.usesOpenHashTables else { return 8 * table().totalBuckets }
    let shape = model.openTable(
      count: elements, type: info?.dataType ?? .set, allIntegers: allIntegers,
      loaded: model.asLoaded)
    return Int(shape.cost.rounded())
  }

  private mutating func finishSetTable() {
    // The sum of integers is exact in a Double (far below 2^53), as it was summed in one.
    var costs = Double(elementCostSum)
    if model.version == .valkey80 {
      costs += model.sharedSetEntryCost(count: elements, table: table())
    } else if !model.embedsElements {
      costs += Double(24 * elements)
    }
    valueCost =
      16 + model.tableFixedCost(type: .set) + bucketCost()
      + MemoryModel.averagedSum(Int(costs.rounded()), count: elements)
  }

  private mutating func finishSkiplist() {
    valueCost = model.sortedSetFixedCost + bucketCost() + Int(elementCosts.rounded())
  }

  private mutating func finishHashTable() {
    guard model.asLoaded || fieldsWithTTL > 0 else {
      valueCost = model.builtHashTableCost(
        count: elements, entryCosts: elementCostSum, largest: largest)
      return
    }
    valueCost =
      16 + model.tableFixedCost(type: .hash) + bucketCost()
      + MemoryModel.averagedSum(elementCostSum, count: elements)
      + model.volatileFieldsCost(fieldsWithTTL)
  }
}
