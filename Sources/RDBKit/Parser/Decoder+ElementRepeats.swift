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
    switch unsafe duplicates.insertElement(element, stable: stable) {
    case .new:
      return
    case .repeated:
      throw Self.duplicate(structure, offset)
    case .repeatedHash:
      throw RDBError(
        .corruptStructure(
          structure: structure,
          reason:
            "a field or member appears twice among its first \(duplicates.elementCount) elements"),
        at: offset)
    }
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
