/// Plain aggregates (types 1–5, and Redis's type 24: a count, then the elements) are copied
/// byte for byte only
/// when they are too large for any compact encoding of the target; a smaller one is decoded
/// from its bytes and written in the encoding the target's server would give it (a loading
/// server converts such a value itself, so a copy would not be what the writer chose).
extension RDBWriter {
  /// The most elements a value of plain `type` can have and still get a compact encoding in
  /// the target (a list always can: every target since RDB 7 has quicklists).
  func compactLimit(_ type: ValueType) -> UInt64 {
    let limits = engine.limits
    switch type {
    case .list:
      return .max
    case .set:
      let listpack = format.hasListpackSets ? limits.setListpackEntries : 0
      return UInt64(max(format.hasZiplists ? limits.intsetEntries : 0, listpack))
    case .sortedSet, .sortedSet2:
      return format.hasZiplists ? UInt64(limits.sortedSetEntries) : 0
    case .hash:
      return format.hasZiplistHashes ? UInt64(limits.hashEntries) : 0
    case .hashMetadata:
      return UInt64(limits.hashEntries)
    default:
      return 0
    }
  }

  /// Whether a plain value of `type` with a count within ``compactLimit(_:)`` may still get a
  /// compact encoding: false for a set in a format without listpack sets whose members are
  /// not all integers (no intset can hold it; it is copied as it is instead of being decoded
  /// and written back as the same hash table). Only the members up to the first one that is
  /// surely not an integer are looked at.
  func mayBeCompact(_ bytes: RawSpan, _ type: ValueType) -> Bool {
    guard type == .set, !format.hasListpackSets else { return true }
    return unsafe bytes.withUnsafeBytes { unsafe !PlainValue.hasTextMember($0) }
  }

  /// Decodes a value handed over as bytes with the parser's own decoder, into this writer's
  /// buffers, so that ``endKey(_:)`` encodes it as any decoded value.
  mutating func decodeCopiedValue(_ bytes: RawSpan, _ info: KeyInfo) throws(RDBError) {
    copying = false
    let version = sourceVersion
    do throws(RDBError) {
      try unsafe bytes.withUnsafeBytes { (raw) throws(RDBError) in
        var decoder = unsafe Decoder(
          source: ByteSource(bytes: raw, releasesPages: false, progress: nil))
        defer { decoder.release() }
        decoder.version = version
        _ = try decoder.readValue(info.type, into: &self)
      }
    } catch {
      // The offsets count from the value's first byte: name the record instead.
      var error = error
      error.offset = info.offset
      throw error
    }
  }
}

/// Lists moved from quicklist v2 (RDB 10+) to quicklist v1 (RDB 7–9) node for node: the
/// input's node count is written before its first node arrives, and each listpack (or PLAIN)
/// node becomes one ziplist node, written as soon as its last element has been added. So a
/// list of any size costs one node of memory, from a file, a pipe or S3, where gathering
/// ziplist nodes split anew would hold the whole list (their count comes first).
///
/// A loading server keeps a quicklist's ziplists as they are (`quicklistAppendZiplist`), so
/// the list loads with every element in order; its nodes are the input server's (8 KiB as
/// listpacks by default, somewhat more as ziplists, whose entries take a byte or two more
/// for some integers and strings over 253 bytes), where ``QuicklistBuilder`` would cut them
/// at 8 KiB as ziplists. Lists of fewer nodes than ``nodeByNodeLists`` are still built by
/// the builder, nodes held until the list is written, as a server pushing their elements
/// would build them.
extension RDBWriter {
  /// The fewest input nodes a list has to be written node for node: 128 nodes of 8 KiB, at
  /// which the nodes a builder holds reach ``RDBEncoder/writeThroughBytes``.
  static let nodeByNodeLists: UInt64 = 128

  /// Starts the next node of a list written node for node, after writing the open one, or
  /// (on a quicklist's first node, when the list is to be written so) starts the record.
  /// False for a blob of any other value, which ``valueBlob(_:)`` notes as before.
  mutating func listNodeBlob(_ blob: ValueBlob) throws(RDBError) -> Bool {
    if let count = blob.quicklistNodeCount {
      guard let info, info.type == .listQuicklist2, format.hasQuicklist, !format.hasListpacks,
        count >= Self.nodeByNodeLists
      else { return false }
      copying = false
      writeKeyPrefix(info)
      writeTypeAndKey(.listQuicklist)
      encoder.length(count)
      quicklist.beginNodeByNode()
    } else if !quicklist.writesNodeByNode {
      return false
    }
    try writeOpenListNode()
    quicklist.openNode()
    // As ``valueBlob(_:)`` decides for a whole value, here for each node.
    quicklist.openNodeWasUncompressed = blob.byteCount > 20 && !blob.isCompressed
    return true
  }

  /// Node for node: the open node's elements straight from the input's listpack `node`
  /// (decompressed), in one walk without an event per element; false for any other list, or
  /// a listpack that breaks off (the parser then reports its elements and the damage).
  public mutating func listpackListNode(_ node: RawSpan) throws(RDBError) -> Bool {
    guard options.takesListpackNodes, quicklist.writesNodeByNode, quicklist.hasOpenNode,
      !format.hasListpacks
    else {
      return false
    }
    return unsafe node.withUnsafeBytes { unsafe quicklist.appendListpack($0) }
  }

  /// Writes the open node of a list written node for node, if there is one.
  mutating func writeOpenListNode() throws(RDBError) {
    guard quicklist.closeOpenNode() else { return }
    encoder.leavesBlobsUncompressed = quicklist.openNodeWasUncompressed
    unsafe encoder.blob(unsafeBytes: quicklist.node.blob.buffer)
    encoder.leavesBlobsUncompressed = false
    try encoder.flushIfFull()
  }
}

/// The element count at the start of a plain aggregate's bytes.
enum PlainValue {
  /// Whether the set whose bytes (type 2: a count, then the members) are `raw` has a member
  /// that is surely not a canonical Int64: a raw string over 20 bytes, an LZF-compressed one
  /// (over 20 bytes when a server wrote it), or one that does not spell an integer. False
  /// when every member is an integer, and for bytes this does not read (the decoder then says
  /// what is wrong).
  @unsafe static func hasTextMember(_ raw: UnsafeRawBufferPointer) -> Bool {
    var position = 0
    guard var remaining = unsafe StoredLength.read(raw, at: &position) else { return false }
    while remaining > 0, position < raw.count {
      remaining &-= 1
      let first = unsafe raw[position]
      switch first {
      case 0xC0, 0xC1, 0xC2:
        position &+= first == 0xC0 ? 2 : first == 0xC1 ? 3 : 5
        continue
      case 0xC3:
        return true
      default:
        guard let count = unsafe StoredLength.read(raw, at: &position),
          count <= raw.count &- position
        else {
          return false
        }
        if count > 20 { return true }
        let member = unsafe RawSpan(
          _unsafeBytes: UnsafeRawBufferPointer(rebasing: raw[position..<position &+ count]))
        if !IntegerText.isCanonicalInteger(member) { return true }
        position &+= count
      }
    }
    return false
  }

  /// The count a value of `type` holds, when it is a plain aggregate (types 1–5: the count
  /// comes first; type 24: after the 8-byte minimum field TTL), or nil.
  static func count(_ bytes: RawSpan, of type: ValueType) -> UInt64? {
    let start: Int
    switch type {
    case .list, .set, .sortedSet, .hash, .sortedSet2: start = 0
    case .hashMetadata: start = 8
    default: return nil
    }
    guard bytes.byteCount > start else { return nil }
    func byte(_ index: Int) -> UInt64 {
      UInt64(unsafe bytes.unsafeLoad(fromByteOffset: start + index, as: UInt8.self))
    }
    let first = byte(0)
    let available = bytes.byteCount - start
    switch first >> 6 {
    case 0:
      return first & 0x3F
    case 1 where available >= 2:
      return (first & 0x3F) << 8 | byte(1)
    case 2 where first == 0x80 && available >= 5:
      return (1...4).reduce(0) { $0 << 8 | byte($1) }
    case 2 where first == 0x81 && available >= 9:
      return (1...8).reduce(0) { $0 << 8 | byte($1) }
    default:
      return nil
    }
  }
}
