/// A ziplist or listpack (a whole set, hash, sorted set or list, one node of a quicklist or
/// of a stream), LZF-compressed or not, that a handler with
/// ``RDBHandler/measuresPackedBlobsAside`` took undecoded, to decompress, check and measure on
/// another thread with a ``PackedBlobMeasurer``; or the end of a stream whose nodes it took;
/// or the fields and values of a hash table it took whole.
///
/// Its bytes point into the input, which stays in memory for the whole parse.
public struct PackedBlobAside: @unchecked Sendable {
  /// A stream's part: a node, or its end (after its last node), where the stored length is
  /// compared with the live entries its nodes' walk counted.
  enum StreamPart {
    /// A node whose master entry's ID is `master`; `counting`: its element count is wanted
    /// (``RDBHandler/needsPackedElementCounts``).
    case node(master: StreamID, counting: Bool)
    /// A node the parser walked itself, summed up. Held in place, not boxed: a box was
    /// allocated by the parse and freed by the worker, for tens of thousands of nodes a run,
    /// and the two threads then waited on each other for the allocator's lock.
    case walked(StreamNodeSummary)
    /// The stream's stored length, and whether it is compared (no node was left to the
    /// checksum).
    case end(storedLength: UInt64, checksLength: Bool)
  }

  /// The LZF stream, or the blob itself when it is stored as it is, in the input.
  let bytes: UnsafeRawBufferPointer
  /// Whether ``bytes`` is an LZF stream.
  let isCompressed: Bool
  /// The blob's length (for an LZF stream, announced and checked as the parser checks it);
  /// for a value's elements (``isElementRun``), their header count.
  let length: Int
  /// The offset of the string (its `0xC3` marker), where its damage is reported.
  let origin: Int
  let kind: ValueBlob.Kind
  /// The value's type, whose fields or members must not repeat; nil for a quicklist node.
  let type: ValueType?
  let shape: Decoder.PackedShape
  /// Whether its fields or members are checked for repeats: not for a compressed blob the
  /// parser would walk for its lengths only (``Decoder/measuresBlobsLightly(_:)``).
  let checksRepeats: Bool
  /// Nil for a value or a quicklist node.
  let stream: StreamPart?
  /// For a hash table's fields and values (``isElementRun``): whether more of them follow, in
  /// the next part (see ``Decoder/hashTablePartLength``).
  var continuesHashTable = false

  /// A value or quicklist node.
  @unsafe init(
    bytes: UnsafeRawBufferPointer, isCompressed: Bool, length: Int, origin: Int,
    kind: ValueBlob.Kind, type: ValueType?, shape: Decoder.PackedShape, checksRepeats: Bool
  ) {
    unsafe self.bytes = bytes
    self.isCompressed = isCompressed
    self.length = length
    self.origin = origin
    self.kind = kind
    self.type = type
    self.shape = shape
    self.checksRepeats = checksRepeats
    stream = nil
  }

  /// The fields and values of a hash of `type` stored as a hash table, which the parser
  /// stepped over for the handler's thread to check and measure
  /// (``RDBHandler/takesHashTableAside(count:releaseHold:)``): `bytes` in the input from the
  /// first field, at `origin`, to the value's end; `count` the value's header count.
  @unsafe init(elementsOf type: ValueType, bytes: UnsafeRawBufferPointer, count: Int, origin: Int) {
    unsafe self.bytes = bytes
    isCompressed = false
    length = count
    self.origin = origin
    kind = .listpack
    self.type = type
    shape = .list
    checksRepeats = true
    stream = nil
  }

  /// Whether it is the elements of a hash table (``init(elementsOf:bytes:count:origin:)``),
  /// not a blob.
  var isElementRun: Bool { type == .hash }

  /// A stream node, at `origin`.
  @unsafe init(
    streamNode bytes: UnsafeRawBufferPointer, isCompressed: Bool, length: Int, master: StreamID,
    counting: Bool, origin: Int
  ) {
    unsafe self.bytes = bytes
    self.isCompressed = isCompressed
    self.length = length
    self.origin = origin
    kind = .listpack
    type = nil
    shape = .list
    checksRepeats = false
    stream = .node(master: master, counting: counting)
  }

  /// A stream node at `origin` that the parser walked itself.
  init(streamNodeWalked summary: StreamNodeSummary, origin: Int) {
    self.init(bytelessStreamPart: .walked(summary), origin: origin)
  }

  /// A stream's end, its metadata at `origin`.
  init(streamEnd storedLength: UInt64, checksLength: Bool, origin: Int) {
    self.init(
      bytelessStreamPart: .end(storedLength: storedLength, checksLength: checksLength),
      origin: origin)
  }

  /// A stream's part at `origin` that has no bytes of its own to measure.
  private init(bytelessStreamPart part: StreamPart, origin: Int) {
    unsafe bytes = UnsafeRawBufferPointer(start: nil, count: 0)
    isCompressed = false
    length = 0
    self.origin = origin
    kind = .listpack
    type = nil
    shape = .list
    checksRepeats = false
    stream = part
  }

  /// Whether it is a stream's node, walked or not, or its end.
  var isStreamPart: Bool { stream != nil }
}

/// What a ``PackedBlobMeasurer`` finds in a blob.
struct PackedBlobMeasure {
  /// The byte length of its longest element, as ``RDBHandler/largestPackedElement(_:)``
  /// would have been given it.
  var largest = 0
  /// For a stream node: its element count as ``ValueBlob/elementCount`` would have given it
  /// (nil when unknown or not wanted), and the live entries its walk met (as many
  /// ``RDBHandler/beginStreamEntry(id:fieldCount:)`` calls).
  var count: Int? = nil
  var liveEntries = 0
}

/// Decompresses, checks and measures ``PackedBlobAside`` blobs exactly as the parser does when
/// it reads them itself for a handler with ``RDBHandler/needsPackedElementLengths``: the
/// same errors at the same offsets, the same warnings (without their key, which the caller
/// adds), the same longest element. One per thread; ``release()`` frees it.
struct PackedBlobMeasurer {
  private var decoder = unsafe Decoder(
    source: ByteSource(
      bytes: UnsafeRawBufferPointer(start: nil, count: 0), releasesPages: false, progress: nil))

  /// The number of warnings raised so far.
  var warningCount: Int { decoder.warnings.count }
  /// The warning raised `index`-th, in the order of the blobs measured.
  func warning(at index: Int) -> RDBWarning { decoder.warnings[index] }

  /// The walk of the stream whose nodes are being measured: they come in order (walked here
  /// or by the parser), then its end.
  private var stream = StreamWalk()

  /// Measures `blob`.
  /// - Throws: the blob's first damage, as the parser would have thrown it (without the key).
  mutating func measure(_ blob: PackedBlobAside) throws(RDBError) -> PackedBlobMeasure {
    switch blob.stream {
    case nil:
      return PackedBlobMeasure(largest: try decoder.measureAside(blob))
    case .node(let master, let counting):
      let bytes = unsafe try decoder.decompressAside(blob)
      let node = unsafe try decoder.measureStreamNode(
        bytes, master: master, counting: counting, origin: blob.origin)
      return addStreamNode(node, origin: blob.origin)
    case .walked(let node):
      return addStreamNode(node, origin: blob.origin)
    case .end(let storedLength, let checksLength):
      decoder.finishStreamAside(
        storedLength: storedLength, checksLength: checksLength, origin: blob.origin, walk: stream)
      stream = StreamWalk()
      return PackedBlobMeasure()
    }
  }

  /// Checks and measures the hash table `run` (``PackedBlobAside/isElementRun``), each field's
  /// length and its value's given to `sink`; a table in parts, part after part, into the same
  /// `sink`.
  /// - Throws: its first repeat or damage, as the parser would have thrown it (without the key).
  mutating func measureHashTable<S: HashFieldLengths>(_ run: PackedBlobAside, into sink: inout S)
    throws(RDBError)
  {
    let origin = tableOrigin ?? run.origin
    try decoder.measureHashTableAside(run, tableOrigin: origin, into: &sink)
    tableOrigin = run.continuesHashTable ? origin : nil
  }

  /// The offset of the first part of the hash table being measured, while more parts follow.
  private var tableOrigin: Int?

  /// Carries the stream's walk over `node` and returns what it holds.
  private mutating func addStreamNode(_ node: StreamNodeSummary, origin: Int) -> PackedBlobMeasure {
    decoder.addStreamNode(node, origin: origin, to: &stream)
    return PackedBlobMeasure(
      largest: node.largest, count: node.count, liveEntries: Int(node.liveEntries))
  }

  /// Frees the scratch buffer and the repeat check's table.
  func release() { decoder.release() }
}

extension Decoder {
  /// Takes the ziplist or listpack at the read position for the handler to measure aside,
  /// when the input stays in memory, the handler takes it and, for an LZF-compressed one, the
  /// header its first literal run shows gives its element count. Reads an LZF string's
  /// lengths, or a raw string, with the checks of ``readString(into:persistent:)``, and
  /// returns the blob and its element count (a raw one's as ``reportBlob(_:_:group:origin:nodeID:to:)``
  /// counts it), nil when unknown. Otherwise consumes nothing and returns nil, and the caller
  /// reads the blob.
  @inline(__always)
  mutating func takeBlobAside<H: RDBHandler>(
    _ kind: ValueBlob.Kind, group: Int, type: ValueType?, shape: PackedShape, origin: Int,
    handler: inout H
  ) throws(RDBError) -> (blob: PackedBlobAside, count: Int?)? {
    guard source.keepsBytes, let first = unsafe source.peek(upTo: 1).first else { return nil }
    if first < 0xC0 {
      // Stored as it is: walked in place, in the input.
      guard try handler.takesPackedBlobAside(releaseHold: releaseHold) else { return nil }
      let bytes = unsafe try readString(into: .blob, persistent: false)
      let count =
        H.needsPackedElementCounts
        ? unsafe try elementCount(bytes, kind, group: group, origin: origin)
        : nil
      blobsMeasuredAside &+= 1
      let blob = unsafe PackedBlobAside(
        bytes: bytes, isCompressed: false, length: bytes.count, origin: origin, kind: kind,
        type: type, shape: shape, checksRepeats: true)
      return (blob, count)
    }
    guard first == 0xC3,
      let count = unsafe Self.compressedCount(
        source.peek(upTo: 19 + PackedHeader.lookahead), kind, group: group),
      try handler.takesPackedBlobAside(releaseHold: releaseHold)
    else { return nil }
    let (compressed, length) = unsafe try takeCompressedBlob(origin: origin)
    blobsMeasuredAside &+= 1
    // Walked for its lengths only, as the parser would walk it (``readPackedValue(_:into:)``).
    let light = measuresBlobsLightly(H.self)
    if light, type != nil { blobsLeftToChecksum &+= 1 }
    let blob = unsafe PackedBlobAside(
      bytes: compressed, isCompressed: true, length: length, origin: origin, kind: kind,
      type: type, shape: shape, checksRepeats: !light)
    return (blob, count)
  }

  /// Consumes an LZF string (its `0xC3` marker next) undecoded, its lengths read with the
  /// checks of ``readString(into:persistent:)``: the compressed bytes as the input holds them,
  /// and the length they decompress to.
  @unsafe mutating func takeCompressedBlob(origin: Int) throws(RDBError) -> (
    compressed: UnsafeRawBufferPointer, length: Int
  ) {
    _ = try source.takeByte()
    let (compressedLength, length) = try readLZFLengths(start: origin)
    let compressed = unsafe try source.take(compressedLength)
    lastStringWasCompressed = true
    lastStringStoredBytes = compressedLength
    return unsafe (compressed, length)
  }

  /// Reports a blob ``takeBlobAside(_:group:type:shape:origin:handler:)`` took, as
  /// ``reportBlob(_:_:group:origin:nodeID:to:)`` reports one it reads.
  mutating func reportAsideBlob<H: RDBHandler>(
    _ blob: PackedBlobAside, count: Int?, to handler: inout H
  ) throws(RDBError) {
    try handler.valueBlob(
      ValueBlob(
        kind: blob.kind, byteCount: blob.length, isCompressed: blob.isCompressed,
        storedByteCount: blob.isCompressed ? lastStringStoredBytes : blob.length,
        elementCount: count, streamNodeID: nil))
  }

  /// What ``readPackedValue(_:into:)`` and ``readQuicklist(_:into:)`` do with a blob they
  /// read for a handler that measures packed elements: decompress it, check its repeats in
  /// passes when it is large, walk and measure it.
  mutating func measureAside(_ blob: PackedBlobAside) throws(RDBError) -> Int {
    let bytes = unsafe try decompressAside(blob)
    if let type = blob.type, blob.checksRepeats {
      duplicates.reset()
      if bytes.count > DuplicateCheck.streamingLimit {
        try unsafe checkRepeatsInPasses(bytes, type, origin: blob.origin)
      }
    }
    if blob.kind == .ziplist {
      var reader = unsafe try ZiplistReader(bytes, origin: blob.origin)
      return try checkPacked(
        &reader, as: blob.shape, origin: blob.origin, measuring: true,
        checkingRepeats: blob.checksRepeats)
    }
    var reader = unsafe try ListpackReader(bytes, origin: blob.origin)
    return try checkPacked(
      &reader, as: blob.shape, origin: blob.origin, measuring: true,
      checkingRepeats: blob.checksRepeats)
  }

  /// `blob`'s bytes, decompressed into the blob scratch buffer when compressed, as
  /// ``readString(into:persistent:)`` decompresses them.
  mutating func decompressAside(_ blob: PackedBlobAside) throws(RDBError)
    -> UnsafeRawBufferPointer
  {
    guard blob.isCompressed else { return unsafe blob.bytes }
    let room = unsafe blobScratch.reserve(blob.length)
    let output = unsafe UnsafeMutableRawBufferPointer(rebasing: room[..<blob.length])
    if let problem = unsafe LZF.decompress(blob.bytes, into: output) {
      throw RDBError(.corruptLZF(problem), at: blob.origin)
    }
    return UnsafeRawBufferPointer(output)
  }
}
