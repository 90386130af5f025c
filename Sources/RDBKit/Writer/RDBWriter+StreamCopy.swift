/// Streams moved between stream types 19 and 21 and down to type 15 without decoding their
/// entries: a node (its 16-byte master ID key and its listpack) is the same in every stream
/// type, as Redis's `rdbLoadObject` reads types 15, 19 and 21 through one node loop and
/// `streamValidateListpackIntegrity`; only what follows the nodes differs (type 19's first
/// ID, max deleted ID and entries added, each group's entries read, type 21's consumer active
/// time). So the writer asks for the value's bytes (``KeyDecision/copy``), copies the node
/// count and the nodes as they are stored (LZF-compressed or not), and writes the metadata,
/// groups, pending entries and consumers with the target's fields, recording what the target
/// cannot hold as the decoded path does (``writeStream(_:)``).
///
/// As for any copied value, the input's checksum vouches for the nodes: they are stepped
/// over, not walked, so a node keeps entries flagged deleted and the stored length is kept as
/// it is (the decoded path writes only live entries and counts them). A type-15 source needs
/// its first live entry's ID for types 19 and 21 and type 26 carries the IDMP state, so those
/// are decoded, as is any value whose bytes this walk does not read (the decoder then says
/// what is wrong).
extension RDBWriter {
  /// Whether a stream stored as `type` is written from its bytes with its nodes copied.
  func copiesStreamNodes(_ type: ValueType) -> Bool {
    guard type == .streamListpacks2 || type == .streamListpacks3,
      let target = format.streamType, target != type
    else { return false }
    return target == .streamListpacks || target == .streamListpacks2
      || target == .streamListpacks3
  }

  /// Writes the stream whose stored bytes are `bytes` in the target's stream type.
  mutating func copyStream(_ bytes: RawSpan, _ info: KeyInfo) throws(RDBError) {
    guard let target = format.streamType else { return }
    let written = try unsafe bytes.withUnsafeBytes { (raw) throws(RDBError) -> Bool in
      var scan = unsafe StreamCopy(raw, source: info.type, target: target, writes: false)
      guard try unsafe scan.walk(&encoder) else { return false }
      writeKeyPrefix(info)
      writeTypeAndKey(target)
      var write = unsafe StreamCopy(raw, source: info.type, target: target, writes: true)
      _ = try unsafe write.walk(&encoder)
      if scan.losesMetadata { recordLoss(.streamMetadata) }
      if scan.losesActiveTime { recordLoss(.consumerActiveTime) }
      return true
    }
    if !written { try decodeCopiedValue(bytes, info) }
  }
}

/// One walk over a stored stream (types 19 and 21) for ``RDBWriter/copyStream(_:_:)``: once
/// writing nothing, to check that every part is where it should be and to find the losses,
/// then once more writing the value in the target's type. Runs of bytes kept as they are
/// (the nodes, IDs, names, pending entries) are copied whole; a field the target lacks is
/// stepped over, one it has and the source lacks is written.
@unsafe struct StreamCopy {
  private let raw: UnsafeRawBufferPointer
  private let source: ValueType
  private let target: ValueType
  /// Whether this walk writes; the first only reads.
  private let writes: Bool
  private var position = 0
  /// The start of the bytes read but not yet copied.
  private var copied = 0
  /// Whether the target type drops a non-default max deleted ID, entries added count or
  /// group entries read counter (type 15).
  private(set) var losesMetadata = false
  /// Whether a consumer's active time differs from its seen time in a target without it.
  private(set) var losesActiveTime = false

  init(_ raw: UnsafeRawBufferPointer, source: ValueType, target: ValueType, writes: Bool) {
    unsafe self.raw = raw
    self.source = source
    self.target = target
    self.writes = writes
  }

  /// Walks the whole value, writing it into `encoder` when ``writes``; false when the bytes
  /// are not a stream this reads to its last byte (a walk that writes follows one that
  /// read the same bytes to the end).
  mutating func walk(_ encoder: inout RDBEncoder) throws(RDBError) -> Bool {
    guard let nodes = unsafe readLength() else { return false }
    for _ in 0..<nodes {
      // A node key is 16 bytes stored raw (LZF starts above 20, integers end at 11).
      guard unsafe position < raw.count, unsafe raw[position] == 16, unsafe skip(17),
        unsafe skipString()
      else { return false }
    }
    guard let storedLength = unsafe readLength(), unsafe skipLengths(2) else { return false }
    let toFifteen = target == .streamListpacks
    if toFifteen {
      try unsafe keep(&encoder)
      guard unsafe skipLengths(2), let deletedMs = unsafe readLength(),
        let deletedSeq = unsafe readLength(), let added = unsafe readLength()
      else { return false }
      if deletedMs != 0 || deletedSeq != 0 || added != storedLength { unsafe losesMetadata = true }
      unsafe drop()
    } else {
      guard unsafe skipLengths(5) else { return false }
    }
    guard let groups = unsafe readLength() else { return false }
    for _ in 0..<groups {
      guard unsafe skipString(), unsafe skipLengths(2) else { return false }
      if toFifteen {
        try unsafe keep(&encoder)
        guard let read = unsafe readLength() else { return false }
        // -1 (as 64 bits) is "unknown", which a type-15 stream implies.
        if read != UInt64.max { unsafe losesMetadata = true }
        unsafe drop()
      } else {
        guard unsafe skipLengths(1) else { return false }
      }
      guard let pending = unsafe readLength() else { return false }
      for _ in 0..<pending {
        guard unsafe skip(24), unsafe skipLengths(1) else { return false }
      }
      guard let consumers = unsafe readLength() else { return false }
      for _ in 0..<consumers {
        guard unsafe skipString(), unsafe position <= raw.count &- 8 else { return false }
        let seen = unsafe UInt64(
          littleEndian: raw.loadUnaligned(fromByteOffset: position, as: UInt64.self))
        unsafe position &+= 8
        if source == .streamListpacks3, target != .streamListpacks3 {
          try unsafe keep(&encoder)
          guard unsafe position <= raw.count &- 8 else { return false }
          let active = unsafe UInt64(
            littleEndian: raw.loadUnaligned(fromByteOffset: position, as: UInt64.self))
          unsafe position &+= 8
          if active != seen { unsafe losesActiveTime = true }
          unsafe drop()
        } else if source != .streamListpacks3, target == .streamListpacks3 {
          // The decoded path's active time for a consumer that has none: its seen time.
          try unsafe keep(&encoder)
          if writes { encoder.littleEndian(seen, byteCount: 8) }
        }
        guard let owned = unsafe readLength(), owned <= UInt64(raw.count),
          unsafe skip(Int(owned) &* 16)
        else { return false }
      }
    }
    guard unsafe position == raw.count else { return false }
    try unsafe keep(&encoder)
    return true
  }

  /// Copies the bytes read since the last copy or drop. The nodes are one run, which
  /// ``RDBEncoder/raw(_:)`` writes straight through when it is large.
  private mutating func keep(_ encoder: inout RDBEncoder) throws(RDBError) {
    if writes, unsafe copied < position {
      try unsafe encoder.raw(UnsafeRawBufferPointer(rebasing: raw[copied..<position]))
    }
    unsafe copied = position
  }

  /// Leaves the bytes read since the last copy out.
  private mutating func drop() {
    unsafe copied = position
  }

  private mutating func skip(_ count: Int) -> Bool {
    guard count >= 0, unsafe count <= raw.count &- position else { return false }
    unsafe position &+= count
    return true
  }

  private mutating func skipLengths(_ count: Int) -> Bool {
    for _ in 0..<count {
      guard unsafe readLength() != nil else { return false }
    }
    return true
  }

  /// An RDB length, all 64 bits of it; nil for a string encoding byte or too few bytes.
  private mutating func readLength() -> UInt64? {
    guard unsafe position < raw.count else { return nil }
    let first = unsafe raw[position]
    let width: Int
    switch first {
    case ..<0x40:
      unsafe position &+= 1
      return UInt64(first)
    case ..<0x80:
      guard unsafe position &+ 2 <= raw.count else { return nil }
      defer { unsafe position &+= 2 }
      return UInt64(first & 0x3F) << 8 | UInt64(unsafe raw[position &+ 1])
    case 0x80: width = 4
    case 0x81: width = 8
    default: return nil
    }
    guard unsafe position &+ 1 &+ width <= raw.count else { return nil }
    var value: UInt64 = 0
    for index in 1...width { value = value << 8 | UInt64(unsafe raw[position &+ index]) }
    unsafe position &+= 1 &+ width
    return value
  }

  /// Steps over an RDB string in any of its forms.
  private mutating func skipString() -> Bool {
    guard unsafe position < raw.count else { return false }
    switch unsafe raw[position] {
    case 0xC0: return unsafe skip(2)
    case 0xC1: return unsafe skip(3)
    case 0xC2: return unsafe skip(5)
    case 0xC3:
      unsafe position &+= 1
      guard let stored = unsafe readLength(), unsafe readLength() != nil,
        stored <= UInt64(raw.count)
      else { return false }
      return unsafe skip(Int(stored))
    default:
      guard let count = unsafe readLength(), count <= UInt64(raw.count) else { return false }
      return unsafe skip(Int(count))
    }
  }
}
