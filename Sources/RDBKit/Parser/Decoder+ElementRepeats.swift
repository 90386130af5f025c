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
