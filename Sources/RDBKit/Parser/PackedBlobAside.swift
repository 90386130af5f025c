/// A ziplist or listpack (a whole set, hash, sorted set or list, or one node of a quicklist),
/// LZF-compressed or not, that a handler with ``RDBHandler/measuresPackedBlobsAside`` took undecoded,
/// to decompress, check and measure on another thread with a ``PackedBlobMeasurer``.
///
/// Its bytes point into the input, which stays in memory for the whole parse.
public struct PackedBlobAside: @unchecked Sendable {
  /// The LZF stream, or the blob itself when it is stored as it is, in the input.
  let bytes: UnsafeRawBufferPointer
  /// Whether ``bytes`` is an LZF stream.
  let isCompressed: Bool
  /// The blob's length (for an LZF stream, announced and checked as the parser checks it).
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

  /// Returns the byte length of `blob`'s longest element, as
  /// ``RDBHandler/largestPackedElement(_:)`` would have been given it.
  /// - Throws: the blob's first damage, as the parser would have thrown it (without the key).
  mutating func measure(_ blob: PackedBlobAside) throws(RDBError) -> Int {
    try decoder.measureAside(blob)
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
    _ = try source.takeByte()
    let (compressedLength, length) = try readLZFLengths(start: origin)
    let compressed = unsafe try source.take(compressedLength)
    lastStringWasCompressed = true
    lastStringStoredBytes = compressedLength
    blobsMeasuredAside &+= 1
    // Walked for its lengths only, as the parser would walk it (``readPackedValue(_:into:)``).
    let light = measuresBlobsLightly(H.self)
    if light, type != nil { blobsLeftToChecksum &+= 1 }
    let blob = unsafe PackedBlobAside(
      bytes: compressed, isCompressed: true, length: length, origin: origin, kind: kind,
      type: type, shape: shape, checksRepeats: !light)
    return (blob, count)
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
    var bytes = unsafe blob.bytes
    if blob.isCompressed {
      let room = unsafe blobScratch.reserve(blob.length)
      let output = unsafe UnsafeMutableRawBufferPointer(rebasing: room[..<blob.length])
      if let problem = unsafe LZF.decompress(blob.bytes, into: output) {
        throw RDBError(.corruptLZF(problem), at: blob.origin)
      }
      unsafe bytes = UnsafeRawBufferPointer(output)
    }
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
}
