/// Which scratch buffer a decoded string goes to, so that the strings a record needs at the
/// same time never share one.
enum ScratchSlot {
  case key, first, second, blob
}

/// The record loop: reads the header, then opcodes and key/value records up to EOF and the
/// checksum, reporting each to a handler.
///
/// One decoder lives for one parse and owns the scratch buffers that decoded values are
/// written to; ``release()`` frees them. Nothing is allocated per key or per element once
/// the buffers have grown to the largest value.
@safe struct Decoder {
  var source: ByteSource
  var version = RDBVersion(magic: .redis, number: 0)
  /// The current key's name (for error messages), valid while its value is decoded.
  var key = unsafe UnsafeRawBufferPointer(start: nil, count: 0)
  var keyScratch = ScratchBuffer()
  /// Decoded first halves of pairs (fields, members, AUX names).
  var firstScratch = ScratchBuffer()
  /// Decoded second halves of pairs (values) and single strings.
  var secondScratch = ScratchBuffer()
  /// Decompressed blobs (ziplists, listpacks, intsets).
  var blobScratch = ScratchBuffer(capacity: 1 << 16)
  /// The file size of the last string read and whether it was LZF-compressed.
  var lastStringStoredBytes = 0
  var lastStringWasCompressed = false
  /// Whether the last string read was not raw (an integer or LZF), its text then being in a
  /// scratch buffer that the next string may overwrite.
  var lastStringWasEncoded = false
  /// Fields and members of the packed value being read, to reject repeats.
  var duplicates = DuplicateCheck()
  /// Whether compressed string values may be checked by size only (their bytes being left to
  /// the checksum), and how many were.
  var leavesStringsToChecksum = false
  var stringsLeftToChecksum = 0
  /// Whether LZF-compressed packed blobs may be left to the checksum as well, header checked
  /// (``leaveBlobToChecksum(_:origin:)``), and how many were.
  var leavesBlobsToChecksum = false
  var blobsLeftToChecksum = 0
  /// Compressed packed blobs (and hash tables) the handler took to measure on another thread
  /// (``RDBHandler/measuresPackedBlobsAside``).
  var blobsMeasuredAside = 0
  /// For such blobs of a mapped file whose pages are released as the parse goes: the oldest
  /// byte the thread measuring them has still to read (``ReleaseHold``).
  var releaseHold: ReleaseHold?
  /// Master field names of the stream node being read.
  var masterFields: [PackedElement] = []
  /// Master IDs of the current stream's nodes, in file order.
  var nodeKeys: [StreamID] = []
  /// The current stream's consumer groups, checked as the server checks them.
  var groupCheck = StreamGroupCheck()
  /// What a server accepts but does not write, in file order (see ``RDBWarning``).
  var warnings: [RDBWarning] = []
  /// Empty aggregates seen, and the first one's record offset and name.
  var emptyKeys = 0
  var firstEmptyKey: (offset: Int, name: String)?
  /// Module metadata (`KEY_META`) read for the next key: each class's spec and where its
  /// items lie in ``metadataBytes`` (the mapping, or ``metadataScratch`` for a stream).
  var pendingMetadata: [(spec: UInt32, payload: Range<Int>)] = []
  var metadataBytes = unsafe UnsafeRawBufferPointer(start: nil, count: 0)
  var metadataScratch = ScratchBuffer()
  /// Whether a `KEY_META` record was read and its key's type byte must come next.
  var expectsKeyAfterMetadata = false
  /// The longest string value the current key can hold as `embstr` (see
  /// ``embeddedStringLimit(keyLength:hasExpiry:in:keyInObject:)``).
  var embeddedStringLimit = 44
  /// Whether ``embeddedStringLimit`` depends on the key (Valkey, Redis 8.6, Valkey 8.1's
  /// `REDIS` files); otherwise it stays 44 and is not worked out per key.
  var stringLimitDependsOnKey = false
  /// Whether a `REDIS` file comes from Valkey 8.1 or later (its `valkey-ver`), which keeps the
  /// key in the value's object.
  var valkeyKeepsKeyInObject = false

  /// Selects one of the scratch buffers in place.
  subscript(scratch slot: ScratchSlot) -> ScratchBuffer {
    get {
      switch slot {
      case .key: return keyScratch
      case .first: return firstScratch
      case .second: return secondScratch
      case .blob: return blobScratch
      }
    }
    _modify {
      switch slot {
      case .key: yield &keyScratch
      case .first: yield &firstScratch
      case .second: yield &secondScratch
      case .blob: yield &blobScratch
      }
    }
  }

  init(source: ByteSource) {
    self.source = source
  }

  /// Frees the scratch buffers and the duplicate check's table, and stops the thread
  /// computing a mapped file's CRC.
  func release() {
    keyScratch.release()
    firstScratch.release()
    secondScratch.release()
    blobScratch.release()
    metadataScratch.release()
    duplicates.release()
    source.release()
  }

  /// Parses the whole input into `handler`.
  mutating func run<H: RDBHandler>(_ handler: inout H) throws(RDBError) -> ParseSummary {
    guard H.measuresPackedBlobsAside else { return try runRecords(&handler) }
    if source.releasesMappedPages {
      let hold = ReleaseHold()
      releaseHold = hold
      source.hold = hold
    }
    // The blobs measured aside lie before any record still being read: their damage, if
    // any, comes first.
    var summary: ParseSummary
    do {
      summary = try runRecords(&handler)
    } catch {
      _ = try handler.finishPackedBlobsAside()
      throw error
    }
    let aside = try handler.finishPackedBlobsAside()
    if !aside.isEmpty {
      // In file order, as a walk here would have raised them; the empty-key warning stays
      // last.
      let tail = firstEmptyKey == nil ? 0 : 1
      let own = summary.warnings.dropLast(tail)
      var merged: [RDBWarning] = []
      var (next, nextAside) = (own.startIndex, 0)
      while next < own.endIndex || nextAside < aside.count {
        if nextAside == aside.count
          || (next < own.endIndex && own[next].offset <= aside[nextAside].offset)
        {
          merged.append(own[next])
          next += 1
        } else {
          merged.append(aside[nextAside])
          nextAside += 1
        }
      }
      summary.warnings =
        Array(merged.prefix(ParseSummary.warningLimit)) + summary.warnings.suffix(tail)
    }
    return summary
  }

  /// ``run(_:)`` but for the blobs measured aside.
  private mutating func runRecords<H: RDBHandler>(_ handler: inout H) throws(RDBError)
    -> ParseSummary
  {
    let header = unsafe Array(try source.take(9))
    version = try RDBVersion.parse(header)
    leavesStringsToChecksum =
      leavesStringsToChecksum && version.hasChecksum && !H.needsStringValues
      && !source.trailerLooksZero
    stringLimitDependsOnKey = Self.embeddedStringLimitDependsOnKey(
      in: version, keyInObject: valkeyKeepsKeyInObject)
    leavesBlobsToChecksum =
      leavesBlobsToChecksum && leavesStringsToChecksum && !H.needsPackedElements
      && !H.needsPackedElementLengths
    try handler.header(version)
    var database = 0
    var expiresAt: Int64? = nil
    var idle: UInt64? = nil
    var frequency: UInt8? = nil
    records: while true {
      let recordOffset = source.offset
      let byte = try source.takeByte()
      if expectsKeyAfterMetadata, ValueType(rawValue: byte) == nil {
        throw RDBError(
          .invalidValue("KEY_META is followed by opcode \(byte), not by its key"), at: recordOffset)
      }
      switch byte {
      case Opcode.endOfFile.rawValue:
        break records
      case Opcode.selectDatabase.rawValue:
        let index = try readLength()
        guard index <= UInt64(Int32.max) else {
          throw RDBError(
            .invalidValue("database number \(index) is out of range"), at: recordOffset)
        }
        database = Int(index)
        try handler.beginDatabase(database)
      case Opcode.expireTime.rawValue:
        let seconds = unsafe try source.take(4).littleEndian(at: 0, as: Int32.self)
        expiresAt = Int64(seconds) * 1000
      case Opcode.expireTimeMilliseconds.rawValue:
        expiresAt = unsafe try source.take(8).littleEndian(at: 0, as: Int64.self)
      case Opcode.resizeDatabase.rawValue:
        let keys = try readLength()
        let expires = try readLength()
        try handler.resizeDatabase(keys: keys, expires: expires)
      case Opcode.aux.rawValue:
        let name = unsafe try readString(into: .first, persistent: true)
        let value = unsafe try readString(into: .second, persistent: false)
        if unsafe name.elementsEqual("valkey-ver".utf8) {
          valkeyKeepsKeyInObject = unsafe Self.isValkey81OrLater(value)
          stringLimitDependsOnKey = Self.embeddedStringLimitDependsOnKey(
            in: version, keyInObject: valkeyKeepsKeyInObject)
          if !stringLimitDependsOnKey { embeddedStringLimit = 44 }
        }
        try unsafe handler.aux(
          key: RawSpan(_unsafeBytes: name), value: RawSpan(_unsafeBytes: value))
      case Opcode.freq.rawValue:
        frequency = try source.takeByte()
      case Opcode.idle.rawValue:
        idle = try readLength()
      case Opcode.moduleAux.rawValue:
        try readModuleAux(&handler, at: recordOffset)
      case Opcode.functionPreGA.rawValue:
        try readFunctionPreGA(&handler)
      case Opcode.function2.rawValue:
        let code = unsafe try readString(into: .second, persistent: false)
        try unsafe handler.function(code: RawSpan(_unsafeBytes: code))
      case Opcode.slotInfo.rawValue:
        let slot = try readLength()
        let keys = try readLength()
        let expires = try readLength()
        try handler.slotHint(SlotHint(slot: slot, keys: keys, expires: expires))
      case Opcode.slotImport.rawValue where version.isValkey:
        try skipString()
        let ranges = try readLength()
        for _ in 0..<ranges { for _ in 0..<2 { _ = try readLength() } }
      case Opcode.keyMetadata.rawValue where version.isRedis13OrLater:
        try readKeyMetadata(at: recordOffset)
      default:
        if H.takesPlainStrings, byte == ValueType.string.rawValue, expiresAt == nil, idle == nil,
          frequency == nil, !expectsKeyAfterMetadata,
          try takePlainStrings(database: database, into: &handler)
        {
          continue records
        }
        // A string, most keys, without the out-of-line lookup of the type's raw value.
        let known = byte == ValueType.string.rawValue ? .string : ValueType(rawValue: byte)
        guard let type = known, Self.isDefined(type, in: version) else {
          throw RDBError(.unknownType(byte), at: recordOffset)
        }
        var info = KeyInfo(
          database: database, type: type, expiresAt: expiresAt, idleSeconds: idle,
          frequency: frequency, offset: recordOffset, metadataClassCount: pendingMetadata.count)
        try readKeyValue(&info, into: &handler)
        expiresAt = nil
        idle = nil
        frequency = nil
      }
    }
    let computed = source.checksum()
    var checksum = ChecksumStatus.absent
    if version.hasChecksum {
      let trailerOffset = source.offset
      let stored = unsafe try source.take(8).littleEndian(at: 0, as: UInt64.self)
      if stored == 0 {
        checksum = .notChecked
      } else if stored != computed {
        throw RDBError(.checksumMismatch(expected: stored, actual: computed), at: trailerOffset)
      } else {
        checksum = .verified(stored)
      }
    }
    let byteCount = source.offset
    let trailing = try source.drain()
    if let first = firstEmptyKey {
      warnings.append(RDBWarning(.emptyKeys(count: emptyKeys), at: first.offset, key: first.name))
    }
    return ParseSummary(
      version: version, checksum: checksum, byteCount: byteCount, trailingBytes: trailing,
      uncheckedStrings: stringsLeftToChecksum, uncheckedPackedValues: blobsLeftToChecksum,
      warnings: warnings, emptyKeys: emptyKeys)
  }

  /// Whether the type byte means something in this file's format (types 23–25 only in Redis
  /// files, type 26 only in Redis files of RDB 13 and later). Static, as the decoder's other
  /// per-key helpers: a non-mutating method called from the mutating record loop copies the
  /// whole decoder (400 bytes) at each call.
  @inline(__always)
  private static func isDefined(_ type: ValueType, in version: RDBVersion) -> Bool {
    switch type {
    case .hashListpackExPreGA, .hashMetadata, .hashListpackEx: return !version.isValkey
    case .streamListpacks4: return version.isRedis13OrLater
    default: return true
    }
  }

  /// Reads one key/value record after its type byte. Inlined into the record loop: a file of
  /// tiny keys spends most of its time here.
  @inline(__always)
  private mutating func readKeyValue<H: RDBHandler>(_ info: inout KeyInfo, into handler: inout H)
    throws(RDBError)
  {
    unsafe key = try readKeyName()
    if info.type == .string {
      if stringLimitDependsOnKey {
        embeddedStringLimit = unsafe Self.embeddedStringLimit(
          keyLength: key.count, hasExpiry: info.expiresAt != nil, in: version,
          keyInObject: valkeyKeepsKeyInObject)
      }
    } else if valueIsEmpty(info.type) {
      info.isEmptyAggregate = true
      emptyKeys &+= 1
      if firstEmptyKey == nil {
        firstEmptyKey = unsafe (info.offset, String(decoding: key, as: UTF8.self))
      }
    }
    let decision = try unsafe handler.beginKey(RawSpan(_unsafeBytes: key), info: info)
    let valueStart = source.offset
    do {
      if expectsKeyAfterMetadata {
        expectsKeyAfterMetadata = false
        if decision != .skip { try reportKeyMetadata(to: &handler) }
        pendingMetadata.removeAll(keepingCapacity: true)
      }
      let encoding: Encoding
      if decision == .skip {
        try skipValue(info.type)
        encoding = info.type.storedEncoding
      } else if decision == .copy {
        if info.type == .string, let stored = unsafe takeShortStoredString() {
          try unsafe handler.rawValue(RawSpan(_unsafeBytes: stored))
        } else {
          source.beginCapture()
          try skipValue(info.type)
          try unsafe handler.rawValue(RawSpan(_unsafeBytes: source.endCapture()))
        }
        encoding = info.type.storedEncoding
      } else if info.type == .string {
        encoding = try readStringValue(into: &handler)
      } else {
        encoding = try readValue(info.type, into: &handler)
      }
      try handler.endKey(
        KeySummary(
          encoding: encoding, valueBytes: source.offset &- valueStart, skipped: decision == .skip))
    } catch {
      var error = error
      if error.key == nil { error.key = unsafe String(decoding: key, as: UTF8.self) }
      throw error
    }
    unsafe key = UnsafeRawBufferPointer(start: nil, count: 0)
  }

  /// Reads the current key's name. Most names are under 64 bytes, with a one-byte length
  /// (`00xxxxxx`): one that the window holds whole is taken as it is, in place of the general
  /// ``readString(into:persistent:)`` (which a stream's window, whose bytes do not stay, and
  /// every other form of string still go through, with its errors). Only that test is inlined
  /// into the record loop; the general read is a call, so that a tiny key pays for no frame.
  @inline(__always)
  private mutating func readKeyName() throws(RDBError) -> UnsafeRawBufferPointer {
    if source.keepsBytes, let first = source.nextByteInWindow, first < 0x40,
      let bytes = unsafe source.takeIfHeld(Int(first) &+ 1)
    {
      return unsafe UnsafeRawBufferPointer(rebasing: bytes[1...])
    }
    return unsafe try readKeyNameInScratch()
  }

  /// ``readKeyName()``'s general case: any encoding, or a stream's window.
  @inline(never)
  private mutating func readKeyNameInScratch() throws(RDBError) -> UnsafeRawBufferPointer {
    unsafe try readString(into: .key, persistent: true)
  }

  private mutating func readFunctionPreGA<H: RDBHandler>(_ handler: inout H) throws(RDBError) {
    try skipString()  // library name
    try skipString()  // engine name
    if try readLength() != 0 { try skipString() }  // description
    let code = unsafe try readString(into: .second, persistent: false)
    try unsafe handler.function(code: RawSpan(_unsafeBytes: code))
  }
}
