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

/// The element count at the start of a plain aggregate's bytes.
enum PlainValue {
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
