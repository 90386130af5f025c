/// Decoding of values: the dispatch by type and the element-by-element (non-blob) types.
extension Decoder {
  /// Decodes a string value; inlined into the record loop, strings being most keys.
  @inline(__always)
  mutating func readStringValue<H: RDBHandler>(into handler: inout H) throws(RDBError)
    -> Encoding
  {
    // Most values of a file of tiny keys: a string under 64 bytes stored as it is, one-byte
    // length (`00xxxxxx`), or an integer, that the window holds whole. Read here, inlined into
    // the record loop, as the general path below reads it; anything else is a call.
    if let first = source.nextByteInWindow, first < 0x40,
      let bytes = unsafe source.takeIfHeld(Int(first) &+ 1)
    {
      let value = unsafe UnsafeRawBufferPointer(rebasing: bytes[1...])
      let encoding = unsafe stringEncoding(of: value)
      if leavesStringsToChecksum {
        try handler.beginValue(encoding: encoding)
        try handler.stringLength(value.count)
        return encoding
      }
      lastStringWasCompressed = false
      lastStringStoredBytes = value.count
      try handler.beginValue(encoding: encoding)
      try handler.stringLength(value.count)
      try unsafe handler.stringValue(RawSpan(_unsafeBytes: value))
      return encoding
    }
    // An integer of 1, 2 or 4 bytes (`11000000`–`11000010`) whose text the handler does not
    // need: its length, as ``readStringEncodingOnly()`` works it out.
    if leavesStringsToChecksum, let first = source.nextByteInWindow, first &- 0xC0 <= 2,
      let bytes = unsafe source.takeIfHeld(1 &+ 1 &<< Int(first &- 0xC0))
    {
      let value = unsafe bytes.encodedInteger(marker: Int(first &- 0xC0), at: 1)
      try handler.beginValue(encoding: .int)
      try handler.stringLength(IntegerText.length(of: value))
      return .int
    }
    return try readStringValueInGeneral(into: &handler)
  }

  /// A string value's stored bytes (its length or integer marker and what follows), when it
  /// is under 64 bytes stored as it is or an integer of 1, 2 or 4 bytes and the window holds
  /// it whole: what ``skipValue(_:)`` would step over, for a handler that copies the value
  /// (``KeyDecision/copy``), taken without a capture. Nil, consuming nothing, otherwise.
  @inline(__always)
  mutating func takeShortStoredString() -> UnsafeRawBufferPointer? {
    guard let first = source.nextByteInWindow else { return nil }
    let count: Int
    if first < 0x40 {
      count = Int(first) &+ 1
    } else if first &- 0xC0 <= 2 {
      count = 1 &+ 1 &<< Int(first &- 0xC0)
    } else {
      return nil
    }
    return unsafe source.takeIfHeld(count)
  }

  /// ``readStringValue(into:)`` of any string.
  @inline(never)
  private mutating func readStringValueInGeneral<H: RDBHandler>(into handler: inout H)
    throws(RDBError) -> Encoding
  {
    if leavesStringsToChecksum {
      let (encoding, length) = try readStringEncodingOnly()
      try handler.beginValue(encoding: encoding)
      try handler.stringLength(length)
      return encoding
    }
    let value = unsafe try readString(into: .second, persistent: false)
    let encoding = unsafe stringEncoding(of: value)
    try handler.beginValue(encoding: encoding)
    try handler.stringLength(value.count)
    try unsafe handler.stringValue(RawSpan(_unsafeBytes: value))
    return encoding
  }

  /// Decodes a value of `type`, reporting it to `handler`; returns its `OBJECT ENCODING`.
  mutating func readValue<H: RDBHandler>(_ type: ValueType, into handler: inout H)
    throws(RDBError) -> Encoding
  {
    switch type {
    case .string:
      return try readStringValue(into: &handler)
    case .list:
      try handler.beginValue(encoding: type.storedEncoding)
      let count = try readLength()
      for _ in 0..<count {
        if !H.needsElements {
          try passElementString()
          continue
        }
        let element = unsafe try readString(into: .second, persistent: false)
        try unsafe handler.listElement(RawSpan(_unsafeBytes: element))
      }
    case .set:
      try handler.beginValue(encoding: type.storedEncoding)
      try readSetMembers(into: &handler)
    case .sortedSet, .sortedSet2:
      try handler.beginValue(encoding: .skiplist)
      try readSkiplistMembers(binaryScores: type == .sortedSet2, into: &handler)
    case .hash:
      try handler.beginValue(encoding: .hashtable)
      try readHashFields(into: &handler)
    case .hashMetadataPreGA, .hashMetadata:
      try handler.beginValue(encoding: .hashtable)
      try readHashWithFieldTTLs(type, into: &handler)
    case .listQuicklist, .listQuicklist2:
      return try readQuicklist(type, into: &handler)
    case .hashZipmap, .listZiplist, .setIntset, .sortedSetZiplist, .hashZiplist, .hashListpack,
      .sortedSetListpack, .setListpack, .hashListpackExPreGA, .hashListpackEx:
      try readPackedValue(type, into: &handler)
    case .streamListpacks, .streamListpacks2, .streamListpacks3, .streamListpacks4:
      try handler.beginValue(encoding: .stream)
      try readStream(type, into: &handler)
    case .modulePreGA, .module2:
      try readModuleValue(type, into: &handler)
    }
    return type.storedEncoding
  }

  // The element loops of hash tables and skip lists, each a function of its own: in the
  // dispatch above, which is large, the compiler called the per-element steps
  // (``readElement(into:persistent:)``, ``recordElement(_:at:of:)``) rather than inline them.

  /// The members of a set stored as a hash table.
  private mutating func readSetMembers<H: RDBHandler>(into handler: inout H) throws(RDBError) {
    let count = try readLength()
    duplicates.beginElements(expecting: count)
    for _ in 0..<count {
      let start = source.offset
      let member = unsafe try readElement(into: .second, persistent: false)
      try unsafe recordElement(member, at: start, of: "hashtable")
      if H.needsElements { try unsafe handler.setMember(RawSpan(_unsafeBytes: member)) }
    }
    try finishElements(of: "hashtable")
  }

  /// The members and scores of a sorted set stored as a skip list: scores as 8 bytes (type 5)
  /// or as text (type 3).
  private mutating func readSkiplistMembers<H: RDBHandler>(
    binaryScores: Bool, into handler: inout H
  ) throws(RDBError) {
    let count = try readLength()
    var warned = false
    duplicates.beginElements(expecting: count)
    for _ in 0..<count {
      let start = source.offset
      // Kept while the score is read only when the handler gets it.
      let member = unsafe try readElement(into: .first, persistent: H.needsElements)
      try unsafe recordElement(member, at: start, of: "skiplist")
      let score = binaryScores ? try readBinaryScore() : try readTextScore(warned: &warned)
      if H.needsElements {
        try unsafe handler.sortedSetMember(RawSpan(_unsafeBytes: member), score: score)
      }
    }
    try finishElements(of: "skiplist")
  }

  /// The fields and values of a hash stored as a hash table (without field TTLs).
  private mutating func readHashFields<H: RDBHandler>(into handler: inout H) throws(RDBError) {
    let count = try readLength()
    if H.measuresPackedBlobsAside, try takeHashTableAside(count, handler: &handler) { return }
    duplicates.beginElements(expecting: count)
    for _ in 0..<count {
      let start = source.offset
      let field = unsafe try readElement(into: .first, persistent: H.needsElements)
      try unsafe recordElement(field, at: start, of: "hashtable")
      if !H.needsElements {
        try passElementString()
        continue
      }
      let value = unsafe try readElement(into: .second, persistent: false)
      try unsafe handler.hashField(
        RawSpan(_unsafeBytes: field), value: RawSpan(_unsafeBytes: value), expiresAt: nil)
    }
    try finishElements(of: "hashtable")
  }

  /// The encoding a server gives a string it loads: `int` for a canonical 64-bit decimal,
  /// `embstr` up to ``embeddedStringLimit`` bytes, `raw` above (`tryObjectEncoding`).
  @inline(__always)
  @unsafe func stringEncoding(of value: UnsafeRawBufferPointer) -> Encoding {
    if value.count <= 20, unsafe IntegerText.isCanonicalInteger(RawSpan(_unsafeBytes: value)) {
      return .int
    }
    return value.count <= embeddedStringLimit ? .embstr : .raw
  }

  /// The longest string value a key can hold as `embstr`.
  ///
  /// Up to Redis 8.0 and Valkey 8.0 the object and the value share one allocation up to 44
  /// bytes. Redis 8.6 (RDB 13) also keeps the key name there, and embeds the value only while
  /// object, key and value fit in 64 bytes (`kvobjSet`: a 16-byte object, key + 3, value + 4;
  /// an expiry or metadata slot added later makes the allocation larger but leaves the value
  /// embedded, as the fixtures' `expired:string` shows). Valkey 9 decides within 128 bytes
  /// and counts the expiry (`shouldEmbedStringObject`: an 8-byte header, the key as an sds
  /// with a 1-byte prefix, 8 for an expiry, the value as an sds with a 3-byte header, at most
  /// 255 bytes). Both decide with the key's name, which is why the limit is per key.
  /// Valkey 8.1 (which still writes `REDIS0011`, told apart by `keyInObject`) embeds while a
  /// 16-byte object, the key + 3 and the value + 4 fit 64 bytes, an expiry taking 8 of them
  /// under a key shorter than 32 bytes (measured on Valkey 8.1.1 for keys of 4 to 300 bytes).
  /// Under a longer key with an expiry the server's choice is irregular (a 33-byte key embeds
  /// values of 0, 7 and 8 bytes but not 1 to 6); the limit without the expiry is taken.
  static func embeddedStringLimit(
    keyLength: Int, hasExpiry: Bool, in version: RDBVersion, keyInObject: Bool = false
  ) -> Int {
    if keyInObject, !version.isValkey {
      return 64 &- 16 &- (hasExpiry && keyLength < 32 ? 8 : 0) &- (keyLength &+ 3) &- 4
    }
    if version.isValkey {
      let keyHeader = keyLength < 32 ? 1 : keyLength < 256 ? 3 : keyLength < 65_536 ? 5 : 9
      let used = 8 &+ keyHeader &+ keyLength &+ 2 &+ (hasExpiry ? 8 : 0) &+ 4
      return min(128 &- used, 255)
    }
    if version.isRedis13OrLater {
      return 64 &- 16 &- (keyLength &+ 3) &- 4
    }
    return 44
  }

  /// Whether ``embeddedStringLimit(keyLength:hasExpiry:in:keyInObject:)`` depends on the key
  /// in `version` (otherwise it is 44 for every key).
  static func embeddedStringLimitDependsOnKey(in version: RDBVersion, keyInObject: Bool) -> Bool {
    keyInObject || version.isValkey || version.isRedis13OrLater
  }

  /// Whether a `valkey-ver` AUX value names Valkey 8.1 or later.
  @unsafe static func isValkey81OrLater(_ value: UnsafeRawBufferPointer) -> Bool {
    let parts = unsafe value.split(separator: UInt8(ascii: ".")).prefix(2).map { part in
      part.reduce(0) { number, digit in
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit)
          ? min(number &* 10 &+ Int(digit &- UInt8(ascii: "0")), 1_000_000) : 1_000_000
      }
    }
    guard let major = parts.first, major < 1_000_000 else { return false }
    return major > 8 || (major == 8 && (parts.count > 1 ? parts[1] : 0) >= 1)
  }

  /// Types 22 and 24: a hash table hash whose fields may have TTLs; type 22 in a Valkey file
  /// is Valkey 9's HASH_2.
  private mutating func readHashWithFieldTTLs<H: RDBHandler>(
    _ type: ValueType, into handler: inout H
  ) throws(RDBError) {
    let start = source.offset
    let minimum: Int64 = type == .hashMetadata ? try readInt64() : 0
    guard minimum >= 0, minimum <= FieldTTL.maximum else {
      throw RDBError(.invalidValue("minimum field expiry \(minimum) is out of range"), at: start)
    }
    let count = try readLength()
    duplicates.beginElements(expecting: count)
    for _ in 0..<count {
      let fieldStart = source.offset
      var expiresAt: Int64? = nil
      let field: UnsafeRawBufferPointer
      let value: UnsafeRawBufferPointer
      if version.isValkey {
        unsafe field = try readString(into: .first, persistent: true)
        try unsafe recordElement(field, at: fieldStart, of: "hashtable")
        unsafe value = try readString(into: .second, persistent: true)
        let expiry = try readInt64()
        guard expiry >= -1 else {
          throw RDBError(.invalidValue("field expiry \(expiry) is out of range"), at: fieldStart)
        }
        if expiry != -1 { expiresAt = expiry }
      } else {
        let ttl = try readLength()
        if ttl != 0 {
          let absolute = type == .hashMetadata ? ttl &+ UInt64(minimum) &- 1 : ttl
          guard absolute <= UInt64(FieldTTL.maximum), absolute >= ttl || type != .hashMetadata
          else {
            throw RDBError(
              .invalidValue("field expiry \(absolute) is out of range"), at: fieldStart)
          }
          expiresAt = Int64(absolute)
        }
        let start = source.offset
        unsafe field = try readString(into: .first, persistent: true)
        try unsafe recordElement(field, at: start, of: "hashtable")
        unsafe value = try readString(into: .second, persistent: false)
      }
      try unsafe handler.hashField(
        RawSpan(_unsafeBytes: field), value: RawSpan(_unsafeBytes: value), expiresAt: expiresAt)
    }
    try finishElements(of: "hashtable")
  }
}

/// Limits of hash field TTLs.
enum FieldTTL {
  /// The largest expiry the format allows, 2^48 − 1 ms (`EB_EXPIRE_TIME_MAX`).
  static let maximum: Int64 = (1 << 48) - 1
}
