/// The repeat check of sets, hashes and sorted sets stored as hash tables or skip lists, whose
/// fields and members are read one at a time (see `DuplicateCheck+Elements.swift`).
///
/// A repeat is reported at the byte where it is found: the repeated element itself while the
/// value is checked exactly, else the element (or the value's end) at which the hashes were
/// sorted. Both lie after every element read before them, so a parse that leaves compressed
/// strings to the checksum and one that decompresses them agree on which problem comes first.
extension Decoder {
  /// Records the field or member `element`, just read at `offset` with
  /// ``readString(into:persistent:)``, of a value of `structure`.
  /// - Throws: a repeat found.
  @inline(__always)
  @unsafe mutating func recordElement(
    _ element: UnsafeRawBufferPointer, at offset: Int, of structure: String
  ) throws(RDBError) {
    // A raw string of a mapped file stays valid; a copy, an integer's text or a decompressed
    // string does not (the text of an integer-encoded member was once taken for stable, and
    // the next integer's text overwrote it: a mapped file passed a repeat a pipe reported).
    let stable = source.keepsBytes && !lastStringWasEncoded
    let check = unsafe duplicates.insertElement(element, stable: stable)
    if check != .new { throw repeatedElement(check, of: structure, at: offset) }
  }

  /// The error of a repeat ``recordElement(_:at:of:)`` found; out of line, so that the element
  /// loops keep only the test.
  @inline(never)
  private func repeatedElement(
    _ check: DuplicateCheck.ElementCheck, of structure: String, at offset: Int
  ) -> RDBError {
    guard check == .repeatedHash else { return Self.duplicate(structure, offset) }
    return RDBError(
      .corruptStructure(
        structure: structure,
        reason:
          "a field or member appears twice among its first \(duplicates.elementCount) elements"),
      at: offset)
  }

  /// ``readString(into:persistent:)`` of a field or member: a plain string under 64 bytes that
  /// the window holds (most elements) is taken here, inlined into the element loop, as the
  /// general path takes it; anything else (an integer, LZF, a longer string, a string past the
  /// window, or one to keep from a stream's buffer) goes the general way, which is a call.
  @inline(__always)
  @unsafe mutating func readElement(into slot: ScratchSlot, persistent: Bool)
    throws(RDBError) -> UnsafeRawBufferPointer
  {
    if let first = source.nextByteInWindow, first < 0x40, !persistent || source.keepsBytes,
      let bytes = unsafe source.takeIfHeld(Int(first) &+ 1)
    {
      lastStringWasCompressed = false
      lastStringWasEncoded = false
      lastStringStoredBytes = Int(first)
      return unsafe UnsafeRawBufferPointer(rebasing: bytes[1...])
    }
    return unsafe try readElementInGeneral(into: slot, persistent: persistent)
  }

  /// ``readElement(into:persistent:)`` of any string.
  @inline(never)
  private mutating func readElementInGeneral(into slot: ScratchSlot, persistent: Bool)
    throws(RDBError) -> UnsafeRawBufferPointer
  {
    unsafe try readString(into: slot, persistent: persistent)
  }

  /// Ends the check of a value of `structure` read up to here.
  /// - Throws: a repeat found among its elements.
  mutating func finishElements(of structure: String) throws(RDBError) {
    let count = duplicates.elementCount
    guard duplicates.endElements() else {
      throw RDBError(
        .corruptStructure(
          structure: structure,
          reason: "a field or member appears twice among its \(count) elements"),
        at: source.offset)
    }
  }
}

/// What ``Decoder/measureHashTableAside(_:tableOrigin:into:)`` reports of each field of a hash table it
/// walks: the lengths a ``RDBHandler/hashField(_:value:expiresAt:)`` event would have given.
protocol HashFieldLengths {
  mutating func field(length: Int, valueLength: Int)
}

/// Hashes stored as hash tables taken aside whole (``RDBHandler/takesHashTableAside(count:releaseHold:)``):
/// the parser steps over their fields and values with the checks of their reads but for the
/// repeat check and the LZF decompression, and hands the bytes over; the handler's thread walks
/// them again (``measureHashTableAside(_:tableOrigin:into:)``), checking the fields for
/// repeats and decompressing what the parser's own read decompresses, so that the same damage
/// is found at the same byte. Such a value is counted in
/// ``blobsMeasuredAside``: a parse that fails is run again decoding everything, to name the
/// first damage as a whole decode does (``RDBParser``).
extension Decoder {
  /// The fewest fields of a hash taken aside whole: below it, handing the value over costs
  /// about what reading it does.
  static let hashTableAsideMinimum: UInt64 = 16

  /// Steps over the hash table of `count` fields at the read position and hands it to
  /// `handler`, when the input stays in memory and the handler takes it; otherwise consumes
  /// nothing and returns false.
  mutating func takeHashTableAside<H: RDBHandler>(_ count: UInt64, handler: inout H)
    throws(RDBError) -> Bool
  {
    guard count >= Self.hashTableAsideMinimum, count <= UInt64(Int.max / 2), source.keepsBytes,
      duplicates.hashesElementsFrom == .max,
      try handler.takesHashTableAside(count: count, releaseHold: releaseHold)
    else { return false }
    // Counted first: an error met within the value runs the parse again, decoding everything.
    blobsMeasuredAside &+= 1
    var start = source.offset
    var left = count &* 2
    while left > 0 {
      // At most to the CRC's next step (1 MiB) at a time.
      left &-= source.skipPlainStrings(upTo: left, trailing: 0)
      if left > 0, left & 1 == 0 { try handOverIfLong(from: &start, count: count, to: &handler) }
      guard left > 0 else { break }
      _ = try passUndecodedString()
      left &-= 1
      // A step met between a field and its value: the part ends after the value.
      if left > 0, left & 1 == 0 { try handOverIfLong(from: &start, count: count, to: &handler) }
    }
    try handOver(from: start, count: count, continues: false, to: &handler)
    return true
  }

  /// Hands the hash table's fields and values from `start` over to `handler`, and starts the
  /// next part at the read position (a field), once they reach ``hashTablePartLength``.
  private mutating func handOverIfLong<H: RDBHandler>(
    from start: inout Int, count: UInt64, to handler: inout H
  ) throws(RDBError) {
    guard source.offset &- start >= Self.hashTablePartLength else { return }
    try handOver(from: start, count: count, continues: true, to: &handler)
    start = source.offset
  }

  /// The most bytes of a hash table's fields and values handed over at once, at least: a
  /// larger table goes in parts, each handed over once it is read, so that its first pages
  /// are still resident then (``ReleaseHold/lag``) and held from there on.
  static let hashTablePartLength = 1 << 20

  /// Hands the hash table's fields and values from `start` to the read position over to
  /// `handler`; `continues` when more of them follow.
  private mutating func handOver<H: RDBHandler>(
    from start: Int, count: UInt64, continues: Bool, to handler: inout H
  ) throws(RDBError) {
    let length = source.offset &- start
    let bytes = unsafe UnsafeRawBufferPointer(
      rebasing: source.heldBytes(back: length).bytes[..<length])
    var part = unsafe PackedBlobAside(
      elementsOf: .hash, bytes: bytes, count: Int(count), origin: start)
    part.continuesHashTable = continues
    try handler.packedBlobAside(part)
  }

  /// Walks the fields and values of a hash table ``takeHashTableAside(_:handler:)`` handed
  /// over, as ``readHashFields(into:)`` reads them: each field's repeat check, each LZF string
  /// decompressed, and each field's length and its value's given to `sink`.
  ///
  /// A table the parser would check exactly in the table (of at most
  /// ``DuplicateCheck/elementTableLimit`` fields) is checked by its fields' hashes instead,
  /// kept in order and compared once at its end (``DuplicateCheck/beginHashedElements(expecting:)``):
  /// a field costs a hash and a store, where a probe of the table's index, random in up to
  /// 256 KiB, stalled on the memory it read. Only a table whose hashes repeat is walked again,
  /// from its first part, checked exactly as the parser checks it, which names the repeat at
  /// the same byte with the same words (or finds none: two fields whose hashes collide). A
  /// repeat found so is thrown at the table's end, after a damaged string that follows it in
  /// the table: a failed parse is run again whole, which names the first (``RDBParser``).
  /// - Parameters:
  ///   - run: The fields and values handed over, or a part of them.
  ///   - tableOrigin: The offset of the table's first part: `run`'s own, or an earlier part's,
  ///     whose walk this one continues (the parts lie one after another in the input).
  ///   - sink: Takes each field's length and its value's.
  /// - Throws: the first repeat or damaged LZF string, where the parser would have found it.
  mutating func measureHashTableAside<S: HashFieldLengths>(
    _ run: PackedBlobAside, tableOrigin: Int, into sink: inout S
  ) throws(RDBError) {
    let count = run.length
    let hashed = count <= DuplicateCheck.elementTableLimit
    if run.origin == tableOrigin {
      if hashed {
        duplicates.beginHashedElements(expecting: count)
      } else {
        duplicates.beginElements(expecting: UInt64(count))
      }
    }
    try unsafe walkHashTableAside(run.bytes, origin: run.origin, hashing: hashed, into: &sink)
    guard !run.continuesHashTable else { return }
    let end = run.origin &+ run.bytes.count
    if hashed {
      guard !duplicates.endElements() else { return }
      let table = unsafe UnsafeRawBufferPointer(
        start: run.bytes.baseAddress.map { unsafe $0 - (run.origin &- tableOrigin) },
        count: end &- tableOrigin)
      duplicates.beginElements(expecting: UInt64(count))
      var unmeasured = UnmeasuredFields()
      try unsafe walkHashTableAside(table, origin: tableOrigin, hashing: false, into: &unmeasured)
    }
    let checked = duplicates.elementCount
    guard duplicates.endElements() else {
      throw RDBError(
        .corruptStructure(
          structure: "hashtable",
          reason: "a field or member appears twice among its \(checked) elements"),
        at: end)
    }
  }

  /// Walks `bytes`, a hash table's fields and values (or a part of them) at offset `origin`,
  /// for ``measureHashTableAside(_:tableOrigin:into:)``: each field checked exactly in the
  /// repeat check, or only its hash kept (`hashing`).
  @unsafe private mutating func walkHashTableAside<S: HashFieldLengths>(
    _ bytes: UnsafeRawBufferPointer, origin: Int, hashing: Bool, into sink: inout S
  ) throws(RDBError) {
    var at = 0
    while at < bytes.count {
      let fieldStart = at
      // Most fields: a raw string of a 6-bit length, in place.
      let field: UnsafeRawBufferPointer
      let stable: Bool
      let first = unsafe bytes[at]
      if first < 0x40, Int(first) < bytes.count &- at {
        unsafe field = UnsafeRawBufferPointer(rebasing: bytes[(at &+ 1)..<(at &+ 1 &+ Int(first))])
        stable = true
        at &+= 1 &+ Int(first)
      } else {
        let (text, end, raw) = unsafe try stringAside(bytes, at: at, origin: origin, into: .first)
        unsafe field = text
        stable = raw
        at = end
      }
      if hashing {
        unsafe duplicates.collect(field)
      } else {
        let check = unsafe duplicates.insertElement(field, stable: stable)
        if check != .new {
          throw repeatedElement(check, of: "hashtable", at: origin &+ fieldStart)
        }
      }
      guard at < bytes.count else { break }
      // Most values: a raw string of a 6-bit length, or an integer, whose text is not needed.
      let value = unsafe bytes[at]
      let valueLength: Int
      if value < 0x40, Int(value) < bytes.count &- at {
        valueLength = Int(value)
        at &+= 1 &+ valueLength
      } else if value &- 0xC0 < 3, 1 &<< Int(value &- 0xC0) < bytes.count &- at {
        let width = 1 &<< Int(value &- 0xC0)
        let integer: Int64
        switch width {
        case 1: integer = Int64(Int8(bitPattern: unsafe bytes[at &+ 1]))
        case 2:
          integer = Int64(
            Int16(littleEndian: unsafe bytes.loadUnaligned(fromByteOffset: at &+ 1, as: Int16.self))
          )
        default:
          integer = Int64(
            Int32(littleEndian: unsafe bytes.loadUnaligned(fromByteOffset: at &+ 1, as: Int32.self))
          )
        }
        valueLength = IntegerText.length(of: integer)
        at &+= 1 &+ width
      } else {
        let (text, end, _) = unsafe try stringAside(bytes, at: at, origin: origin, into: .second)
        valueLength = text.count
        at = end
      }
      sink.field(length: field.count, valueLength: valueLength)
    }
  }

  /// The string at `at` of `bytes` (at offset `origin` of the input), as
  /// ``readString(into:persistent:)`` reads it (an integer's text and an LZF string's bytes in
  /// the scratch buffer `slot`), where it ends, and whether it is raw (in `bytes`). A string
  /// `bytes` does not hold (never, for the bytes the parser stepped over) reads as empty, and
  /// ends the walk.
  @unsafe private mutating func stringAside(
    _ bytes: UnsafeRawBufferPointer, at: Int, origin: Int, into slot: ScratchSlot
  ) throws(RDBError) -> (text: UnsafeRawBufferPointer, end: Int, raw: Bool) {
    let empty = unsafe UnsafeRawBufferPointer(rebasing: bytes[bytes.count...])
    guard let (marker, header, isEncoding) = unsafe Self.lengthAside(bytes, at: at) else {
      return unsafe (empty, bytes.count, true)
    }
    let body = at &+ header
    if !isEncoding {
      guard marker <= bytes.count &- body else { return unsafe (empty, bytes.count, true) }
      return unsafe (
        UnsafeRawBufferPointer(rebasing: bytes[body..<(body &+ marker)]), body &+ marker, true
      )
    }
    let width = marker == 0 ? 1 : marker == 1 ? 2 : marker == 2 ? 4 : 0
    if width > 0 {
      guard width <= bytes.count &- body else { return unsafe (empty, bytes.count, true) }
      let value: Int64
      switch width {
      case 1: value = Int64(Int8(bitPattern: unsafe bytes[body]))
      case 2:
        value = Int64(
          Int16(littleEndian: unsafe bytes.loadUnaligned(fromByteOffset: body, as: Int16.self)))
      default:
        value = Int64(
          Int32(littleEndian: unsafe bytes.loadUnaligned(fromByteOffset: body, as: Int32.self)))
      }
      return unsafe (self[scratch: slot].text(of: value), body &+ width, false)
    }
    // LZF (the only other marker the parser let through): its two lengths, then its bytes.
    guard let (compressed, first, _) = unsafe Self.lengthAside(bytes, at: body),
      let (length, second, _) = unsafe Self.lengthAside(bytes, at: body &+ first),
      compressed <= bytes.count &- (body &+ first &+ second)
    else { return unsafe (empty, bytes.count, true) }
    let data = body &+ first &+ second
    let room = unsafe self[scratch: slot].reserve(length)
    let output = unsafe UnsafeMutableRawBufferPointer(rebasing: room[..<length])
    if let problem = unsafe LZF.decompress(
      UnsafeRawBufferPointer(rebasing: bytes[data..<(data &+ compressed)]), into: output)
    {
      throw RDBError(.corruptLZF(problem), at: origin &+ at)
    }
    return unsafe (UnsafeRawBufferPointer(output), data &+ compressed, false)
  }

  /// The length or encoding marker at `at` of `bytes` (``readLengthOrEncoding()``'s forms),
  /// the bytes it takes, and whether it is a marker; nil when `bytes` does not hold it or it is
  /// not a length the parser accepts.
  @unsafe private static func lengthAside(_ bytes: UnsafeRawBufferPointer, at: Int) -> (
    value: Int, header: Int, isEncoding: Bool
  )? {
    guard at < bytes.count else { return nil }
    let first = unsafe bytes[at]
    switch first >> 6 {
    case 0:
      return (Int(first), 1, false)
    case 1:
      guard at &+ 1 < bytes.count else { return nil }
      return (Int(first & 0x3F) << 8 | Int(unsafe bytes[at &+ 1]), 2, false)
    case 2:
      if first == 0x80, at &+ 5 <= bytes.count {
        let value = unsafe bytes.loadUnaligned(fromByteOffset: at &+ 1, as: UInt32.self)
        return (Int(UInt32(bigEndian: value)), 5, false)
      }
      if first == 0x81, at &+ 9 <= bytes.count {
        let value = UInt64(
          bigEndian: unsafe bytes.loadUnaligned(fromByteOffset: at &+ 1, as: UInt64.self))
        guard value <= UInt64(bytes.count) else { return nil }
        return (Int(value), 9, false)
      }
      return nil
    default:
      return (Int(first & 0x3F), 1, true)
    }
  }
}

/// The sink of a hash table walked again only to name its repeat: its lengths were given.
private struct UnmeasuredFields: HashFieldLengths {
  func field(length: Int, valueLength: Int) {}
}
