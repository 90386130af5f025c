/// Decoding of streams (types 15, 19, 21, 26): listpack nodes of entries, then metadata, then
/// consumer groups with their pending entries and consumers, then (type 26) the IDMP tail.
extension Decoder {
  mutating func readStream<H: RDBHandler>(_ type: ValueType, into handler: inout H)
    throws(RDBError)
  {
    let nodeCount = try readLength()
    var walk = StreamWalk()
    nodeKeys.removeAll(keepingCapacity: true)
    // Whether the nodes go to the handler's thread (``passStreamNodeAside``): all of them or
    // none, since their walk carries the entry order and the live count from node to node.
    var aside = false
    if H.measuresPackedBlobsAside, nodeCount > 0, source.keepsBytes {
      aside = try handler.takesStreamNodesAside(releaseHold: releaseHold)
    }
    for _ in 0..<nodeCount {
      let keyOrigin = source.offset
      let nodeKey = unsafe try readString(into: .first, persistent: true)
      guard nodeKey.count == 16 else {
        throw Self.corruptStream("node key is \(nodeKey.count) bytes, not 16", keyOrigin)
      }
      let master = unsafe Self.streamID(nodeKey)
      // The server files nodes in a radix tree by master ID and refuses one filed twice.
      if let last = nodeKeys.last, master <= last, nodeKeys.contains(master) {
        throw Self.corruptStream("node \(master) appears twice", keyOrigin)
      }
      nodeKeys.append(master)
      let blobOrigin = source.offset
      if let left = try leaveBlobToChecksum(
        .listpack, group: 0, counting: H.needsPackedElementCounts, origin: blobOrigin)
      {
        try reportLeftBlob(.listpack, left, nodeID: master, to: &handler)
        walk.nodesLeft = true
        continue
      }
      if aside {
        try passStreamNodeAside(master: master, origin: blobOrigin, to: &handler)
        continue
      }
      let blob = unsafe try readString(into: .blob, persistent: false)
      try unsafe reportBlob(
        .listpack, blob, group: 0, origin: blobOrigin, nodeID: master, to: &handler)
      var reader = unsafe try ListpackReader(blob, origin: blobOrigin, checksCount: false)
      guard !reader.isAtEnd else { throw Self.corruptStream("empty listpack node", blobOrigin) }
      if H.needsPackedElements,
        let written = try unsafe handler.streamNode(
          RawSpan(_unsafeBytes: blob), master: master, after: walk.previousID)
      {
        walk.add(written)
        continue
      }
      let largest = try readStreamNode(
        &reader, master: master, walk: &walk, origin: blobOrigin, into: &handler)
      if !H.needsPackedElements, H.needsPackedElementLengths {
        try handler.largestPackedElement(largest)
      }
      if let declared = reader.headerCount, declared != reader.count, !walk.warnedNodeCount {
        walk.warnedNodeCount = true
        warn(.streamNodeCount(declared: declared, found: reader.count), at: blobOrigin)
      }
    }
    let metadataOrigin = source.offset
    var metadata = StreamMetadata(
      length: try readLength(), lastID: try readLengthStreamID(), firstID: nil,
      maxDeletedID: nil, entriesAdded: nil, groupCount: 0)
    if aside {
      // The live entries are counted on the handler's thread, which compares them here.
      try handler.packedBlobAside(
        PackedBlobAside(
          streamEnd: metadata.length, checksLength: !walk.nodesLeft, origin: metadataOrigin))
    } else if metadata.length != walk.liveEntries, !walk.nodesLeft {
      // Entries in nodes left to the checksum were not counted.
      // The server refuses only a length without any node; it keeps the stored length.
      guard nodeCount > 0 || metadata.length == 0 else {
        throw Self.corruptStream(
          "length \(metadata.length) but the stream has no nodes", metadataOrigin)
      }
      warn(.streamLength(stored: metadata.length, live: walk.liveEntries), at: metadataOrigin)
    }
    if type != .streamListpacks {
      metadata.firstID = try readLengthStreamID()
      metadata.maxDeletedID = try readLengthStreamID()
      metadata.entriesAdded = try readLength()
    }
    metadata.groupCount = try readLength()
    try handler.streamMetadata(metadata)
    groupCheck.beginStream()
    for _ in 0..<metadata.groupCount {
      try readStreamGroup(type, into: &handler)
    }
    if type == .streamListpacks4 { try readStreamIdempotency(into: &handler) }
  }

  /// Reads one node's master entry and entries, counting the live ones into `walk`.
  ///
  /// The checks are those of the server's `streamValidateListpackIntegrity`: integer counts,
  /// the master fields and their 0 terminator, then exactly as many entries as the master
  /// entry counts (live and deleted together), each with integer flags, ID and field count
  /// and the element count that closes it, and nothing after the last. The order of entry
  /// IDs, which the server does not check, is a warning. For a handler that takes lengths
  /// instead of fields (``RDBHandler/needsPackedElementLengths``), returns the byte length of
  /// the longest field name or value of a live entry, as ``streamField(_:value:)`` would
  /// give them; else 0.
  mutating func readStreamNode<H: RDBHandler>(
    _ reader: inout ListpackReader, master: StreamID, walk: inout StreamWalk, origin: Int,
    into handler: inout H
  ) throws(RDBError) -> Int {
    let measuring = !H.needsPackedElements && H.needsPackedElementLengths
    var largest = 0
    let live = try Self.nextInteger(&reader, "count", origin)
    let deleted = try Self.nextInteger(&reader, "deleted count", origin)
    let masterFieldCount = try Self.nextInteger(&reader, "master field count", origin)
    // The entries are walked until the listpack runs out, so a count larger than the entries
    // fails there; one that cannot be a count fails here.
    let (total, overflow) = live.addingReportingOverflow(deleted)
    guard total >= 0, !overflow, masterFieldCount >= 0, masterFieldCount <= Int64(UInt32.max)
    else { throw Self.corruptStream("negative or impossible master entry counts", origin) }
    masterFields.removeAll(keepingCapacity: true)
    var longestMasterField = 0
    for _ in 0..<masterFieldCount {
      guard let field = try reader.next() else {
        throw Self.corruptStream("master entry ends early", origin)
      }
      masterFields.append(field)
      if measuring { longestMasterField = max(longestMasterField, field.textLength) }
    }
    guard try Self.nextInteger(&reader, "master terminator", origin) == 0 else {
      throw Self.corruptStream("master entry terminator is not 0", origin)
    }
    for _ in 0..<total {
      let flags = try Self.nextInteger(&reader, "flags", origin)
      let id = StreamID(
        milliseconds: master.milliseconds
          &+ UInt64(bitPattern: try Self.nextInteger(&reader, "ms", origin)),
        sequence: master.sequence
          &+ UInt64(bitPattern: try Self.nextInteger(&reader, "seq", origin)))
      if let previous = walk.previousID {
        if id <= previous, !walk.warnedOrder {
          walk.warnedOrder = true
          if walk.defersOrderWarning {
            walk.disorder = (id, previous)
          } else {
            warn(.streamEntryOrder(id: id, previous: previous), at: origin)
          }
        }
      } else {
        walk.firstID = id
      }
      walk.previousID = id
      let sameFields = flags & 2 != 0
      let isDeleted = flags & 1 != 0
      if !isDeleted { walk.liveEntries &+= 1 }
      let fieldCount =
        sameFields ? masterFieldCount : try Self.nextInteger(&reader, "field count", origin)
      guard fieldCount >= 0, fieldCount <= Int64(UInt32.max) else {
        throw Self.corruptStream("field count \(fieldCount) is impossible", origin)
      }
      if !isDeleted { try handler.beginStreamEntry(id: id, fieldCount: Int(fieldCount)) }
      if !H.needsPackedElements {
        // The same walk without the fields' text: names and values are only stepped over,
        // or measured.
        let elements = sameFields ? fieldCount : fieldCount &* 2
        let measured = measuring && !isDeleted
        if measured, sameFields, fieldCount > 0 { largest = max(largest, longestMasterField) }
        for _ in 0..<elements {
          guard let element = try reader.nextElement() else {
            throw Self.corruptStream("entry ends early", origin)
          }
          if measured { largest = max(largest, element.textLength) }
        }
      } else {
        try readStreamFields(
          &reader, count: Int(fieldCount), sameFields: sameFields, isDeleted: isDeleted,
          origin: origin, into: &handler)
      }
      let expected = sameFields ? fieldCount + 3 : fieldCount * 2 + 4
      guard try Self.nextInteger(&reader, "entry element count", origin) == expected else {
        throw Self.corruptStream("entry element count is not \(expected)", origin)
      }
    }
    guard try reader.next() == nil else {
      throw Self.corruptStream("elements after the last entry", origin)
    }
    return largest
  }

  /// A node of a stream whose nodes go to the handler's thread: taken undecoded when the
  /// handler takes it (``RDBHandler/takesPackedBlobAside(releaseHold:)``) and the input holds
  /// it raw or LZF-compressed (its string's lengths read with the checks of
  /// ``readString(into:persistent:)``); else read, walked and checked here as
  /// ``readStream(_:into:)`` does, and its walk summed up for that thread
  /// (``StreamNodeSummary``), which carries the stream's walk on from node to node. Either
  /// way its element count and longest element come back from that thread.
  private mutating func passStreamNodeAside<H: RDBHandler>(
    master: StreamID, origin: Int, to handler: inout H
  ) throws(RDBError) {
    if let first = unsafe source.peek(upTo: 1).first, first < 0xC0 || first == 0xC3,
      try handler.takesPackedBlobAside(releaseHold: releaseHold)
    {
      blobsMeasuredAside &+= 1
      let node: PackedBlobAside
      if first < 0xC0 {
        let bytes = unsafe try readString(into: .blob, persistent: false)
        node = unsafe PackedBlobAside(
          streamNode: bytes, isCompressed: false, length: bytes.count, master: master,
          counting: H.needsPackedElementCounts, origin: origin)
      } else {
        let (compressed, length) = unsafe try takeCompressedBlob(origin: origin)
        node = unsafe PackedBlobAside(
          streamNode: compressed, isCompressed: true, length: length, master: master,
          counting: H.needsPackedElementCounts, origin: origin)
      }
      try handler.valueBlob(
        ValueBlob(
          kind: .listpack, byteCount: node.length, isCompressed: node.isCompressed,
          storedByteCount: lastStringStoredBytes, elementCount: nil, streamNodeID: master))
      return try handler.packedBlobAside(node)
    }
    let blob = unsafe try readString(into: .blob, persistent: false)
    try handler.valueBlob(
      ValueBlob(
        kind: .listpack, byteCount: blob.count, isCompressed: lastStringWasCompressed,
        storedByteCount: lastStringWasCompressed ? lastStringStoredBytes : blob.count,
        elementCount: nil, streamNodeID: master))
    let summary = unsafe try measureStreamNode(
      blob, master: master, counting: H.needsPackedElementCounts, origin: origin)
    try handler.packedBlobAside(PackedBlobAside(streamNodeWalked: summary, origin: origin))
  }

  /// What ``readStream(_:into:)`` does with a node's listpack `bytes` (decompressed), summed
  /// up on its own: counts its elements as ``reportBlob(_:_:group:origin:nodeID:quicklistNodeCount:to:)``
  /// would (when `counting`), walks and checks it with the same errors, and notes what the
  /// stream's walk needs of it (``addStreamNode(_:origin:to:)``).
  @unsafe mutating func measureStreamNode(
    _ bytes: UnsafeRawBufferPointer, master: StreamID, counting: Bool, origin: Int
  ) throws(RDBError) -> StreamNodeSummary {
    let count =
      counting ? unsafe try elementCount(bytes, .listpack, group: 0, origin: origin) : nil
    if let scan = unsafe StreamNodeScan.scan(bytes, master: master) {
      var summary = StreamNodeSummary(
        largest: scan.largest, count: count, liveEntries: scan.liveEntries,
        firstID: scan.firstID, lastID: scan.lastID, disorder: nil)
      let declared = unsafe Int(bytes.littleEndian(at: 4, as: UInt16.self))
      if declared != 0xFFFF, declared != scan.elements {
        summary.miscount = (declared, scan.elements)
      }
      return summary
    }
    // A node the scan does not read: walked element by element, which names its damage.
    var reader = unsafe try ListpackReader(bytes, origin: origin, checksCount: false)
    guard !reader.isAtEnd else { throw Self.corruptStream("empty listpack node", origin) }
    var walk = StreamWalk()
    walk.defersOrderWarning = true
    var handler = StreamNodeMeasure()
    let largest = try readStreamNode(
      &reader, master: master, walk: &walk, origin: origin, into: &handler)
    var summary = StreamNodeSummary(
      largest: largest, count: count, liveEntries: walk.liveEntries, firstID: walk.firstID,
      lastID: walk.previousID, disorder: walk.disorder)
    if let declared = reader.headerCount, declared != reader.count {
      summary.miscount = (declared, reader.count)
    }
    return summary
  }

  /// Carries a stream's `walk` over its next node, summed up in `node`, and raises the
  /// warnings ``readStream(_:into:)`` raises there: an entry out of ID order (the node's
  /// first entry against the nodes before it, then its own), a header that miscounts.
  mutating func addStreamNode(_ node: StreamNodeSummary, origin: Int, to walk: inout StreamWalk) {
    if !walk.warnedOrder {
      if let previous = walk.previousID, let first = node.firstID, first <= previous {
        walk.warnedOrder = true
        warn(.streamEntryOrder(id: first, previous: previous), at: origin)
      } else if let (id, previous) = node.disorder {
        walk.warnedOrder = true
        warn(.streamEntryOrder(id: id, previous: previous), at: origin)
      }
    }
    if let last = node.lastID { walk.previousID = last }
    walk.liveEntries &+= node.liveEntries
    if let (declared, found) = node.miscount, !walk.warnedNodeCount {
      walk.warnedNodeCount = true
      warn(.streamNodeCount(declared: declared, found: found), at: origin)
    }
  }

  /// What ``readStream(_:into:)`` does after the nodes passed aside: compares the stream's
  /// stored length with the live entries `walk` counted.
  mutating func finishStreamAside(
    storedLength: UInt64, checksLength: Bool, origin: Int, walk: StreamWalk
  ) {
    if checksLength, storedLength != walk.liveEntries {
      warn(.streamLength(stored: storedLength, live: walk.liveEntries), at: origin)
    }
  }

  /// Reads one entry's fields (names from the master entry when `sameFields`) and reports
  /// them unless the entry is deleted.
  private mutating func readStreamFields<H: RDBHandler>(
    _ reader: inout ListpackReader, count: Int, sameFields: Bool, isDeleted: Bool, origin: Int,
    into handler: inout H
  ) throws(RDBError) {
    for index in 0..<count {
      let name: PackedElement
      if sameFields {
        name = masterFields[index]
      } else {
        guard let own = try reader.next() else {
          throw Self.corruptStream("entry ends early", origin)
        }
        name = own
      }
      guard let value = try reader.next() else {
        throw Self.corruptStream("entry ends early", origin)
      }
      if isDeleted { continue }
      let field = unsafe RawSpan(_unsafeBytes: name.bytes(using: &firstScratch))
      if value.isInteger {
        try handler.streamField(field, integer: value.integer)
      } else {
        try unsafe handler.streamField(field, value: RawSpan(_unsafeBytes: value.string))
      }
    }
  }

  /// Reads one consumer group: name, last delivered ID, its pending entries, its consumers
  /// with theirs, checked as the server checks them (``StreamGroupCheck``).
  private mutating func readStreamGroup<H: RDBHandler>(_ type: ValueType, into handler: inout H)
    throws(RDBError)
  {
    let nameOrigin = source.offset
    let name = unsafe try readString(into: .first, persistent: true)
    let group = unsafe String(decoding: name, as: UTF8.self)
    guard unsafe groupCheck.beginGroup(name) else {
      throw Self.corruptStream("consumer group \(Self.quoted(group)) appears twice", nameOrigin)
    }
    let lastID = try readLengthStreamID()
    var entriesRead: Int64? = nil
    if type != .streamListpacks {
      let raw = Int64(bitPattern: try readLength())
      if raw >= 0 { entriesRead = raw }
    }
    let pendingCount = try readLength()
    try unsafe handler.beginStreamGroup(
      name: RawSpan(_unsafeBytes: name),
      info: StreamGroupInfo(
        lastDeliveredID: lastID, entriesRead: entriesRead, pendingCount: pendingCount))
    for _ in 0..<pendingCount {
      let entryOrigin = source.offset
      let id = try readRawStreamID()
      guard groupCheck.addPending(id) else {
        throw Self.corruptStream(
          "pending entry \(id) appears twice in group \(Self.quoted(group))", entryOrigin)
      }
      let deliveryTime = try readInt64()
      let deliveryCount = try readLength()
      try handler.streamPendingEntry(
        id: id, deliveryTime: deliveryTime, deliveryCount: deliveryCount)
    }
    let consumerCount = try readLength()
    let groupEnd = try readStreamConsumers(consumerCount, of: group, type, into: &handler)
    if let id = groupCheck.unowned {
      throw Self.corruptStream(
        "pending entry \(id) of group \(Self.quoted(group)) has no consumer", groupEnd)
    }
  }

  /// Reads a group's consumers and their pending entries; returns the offset after them.
  private mutating func readStreamConsumers<H: RDBHandler>(
    _ count: UInt64, of group: String, _ type: ValueType, into handler: inout H
  ) throws(RDBError) -> Int {
    for _ in 0..<count {
      let nameOrigin = source.offset
      let consumer = unsafe try readString(into: .first, persistent: true)
      guard unsafe groupCheck.beginConsumer(consumer) else {
        let name = unsafe String(decoding: consumer, as: UTF8.self)
        throw Self.corruptStream(
          "consumer \(Self.quoted(name)) appears twice in group \(Self.quoted(group))",
          nameOrigin)
      }
      let seenTime = try readInt64()
      let activeTime: Int64? =
        type == .streamListpacks3 || type == .streamListpacks4 ? try readInt64() : nil
      let owned = try readLength()
      try unsafe handler.beginStreamConsumer(
        name: RawSpan(_unsafeBytes: consumer),
        info: StreamConsumerInfo(seenTime: seenTime, activeTime: activeTime, pendingCount: owned))
      for _ in 0..<owned {
        let entryOrigin = source.offset
        let id = try readRawStreamID()
        switch groupCheck.own(id) {
        case .owned:
          break
        case .alreadyOwned:
          warn(.pendingEntryOwners(id: id, group: group), at: entryOrigin)
        case .notPending:
          throw Self.corruptStream(
            "pending entry \(id) of a consumer is not in group \(Self.quoted(group))'s list",
            entryOrigin)
        case .repeated:
          throw Self.corruptStream(
            "pending entry \(id) appears twice for one consumer of group \(Self.quoted(group))",
            entryOrigin)
        }
        try handler.streamConsumerPending(id: id)
      }
    }
    return source.offset
  }

  /// A group or consumer name for a message: quoted, control bytes escaped, cut when long.
  private static func quoted(_ name: String) -> String {
    "\"\(RDBError.printable(name))\""
  }

  /// Reads a listpack element that must be an integer (or a string that parses as one).
  /// Static: a method on the decoder would copy it (hundreds of bytes) at every call.
  @inline(__always)
  private static func nextInteger(_ reader: inout ListpackReader, _ what: String, _ origin: Int)
    throws(RDBError) -> Int64
  {
    if let small = reader.nextSmallInteger() { return small }
    return try nextLargerInteger(&reader, what, origin)
  }

  /// ``nextInteger(_:_:_:)`` of any element other than a 7-bit integer.
  private static func nextLargerInteger(
    _ reader: inout ListpackReader, _ what: String, _ origin: Int
  ) throws(RDBError) -> Int64 {
    guard let element = try reader.nextElement() else {
      throw Self.corruptStream("node ends before the \(what)", origin)
    }
    if element.isInteger { return element.integer }
    guard unsafe IntegerText.isCanonicalInteger(RawSpan(_unsafeBytes: element.string)),
      let value = unsafe Int64(String(decoding: element.string, as: UTF8.self))
    else { throw Self.corruptStream("the \(what) is not an integer", origin) }
    return value
  }

  static func corruptStream(_ reason: String, _ origin: Int) -> RDBError {
    RDBError(.corruptStructure(structure: "stream", reason: reason), at: origin)
  }
}

/// What reading a stream's nodes has found so far.
struct StreamWalk {
  /// Entries not flagged deleted: what `XRANGE` returns.
  var liveEntries: UInt64 = 0
  /// The last entry's ID.
  var previousID: StreamID?
  /// Whether this stream has had its warning about entry order, and about a node's count.
  var warnedOrder = false
  var warnedNodeCount = false
  /// Whether a node was left to the checksum (``Decoder/leaveBlobToChecksum(_:origin:)``), so
  /// that the live entries were not all counted.
  var nodesLeft = false
  /// The first entry's ID.
  var firstID: StreamID?
  /// Whether an entry out of order is noted in ``disorder`` instead of raising its warning:
  /// for a node walked on its own (``Decoder/measureStreamNode(_:master:counting:origin:)``).
  var defersOrderWarning = false
  var disorder: (id: StreamID, previous: StreamID)?

  /// Carries the walk over a node that a handler wrote whole
  /// (``RDBHandler/streamNode(_:master:after:)``), as reading its entries would have.
  mutating func add(_ node: WrittenStreamNode) {
    if previousID == nil { firstID = node.firstID }
    if let last = node.lastID { previousID = last }
    liveEntries &+= node.liveEntries
  }
}

/// A stream node walked on its own: what the stream's walk needs of it
/// (``Decoder/addStreamNode(_:origin:to:)``), with its element count and longest element.
struct StreamNodeSummary {
  var largest: Int
  /// As ``ValueBlob/elementCount`` would give it (nil when unknown or not wanted).
  var count: Int?
  var liveEntries: UInt64
  /// Its first and last entries' IDs (nil without entries), and its first entry whose ID is
  /// not greater than the one before it in the node, with that one.
  var firstID: StreamID?
  var lastID: StreamID?
  var disorder: (id: StreamID, previous: StreamID)?
  /// The element count its header declares and the one it holds, when they differ.
  var miscount: (declared: Int, found: Int)?
}

/// The handler a stream node's walk on its own
/// (``Decoder/measureStreamNode(_:master:counting:origin:)``) reports to: it measures the
/// fields' lengths and keeps nothing.
private struct StreamNodeMeasure: RDBHandler {
  static var needsStringValues: Bool { false }
  static var needsPackedElements: Bool { false }
  static var needsPackedElementLengths: Bool { true }
}
