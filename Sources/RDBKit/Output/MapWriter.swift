/// Writes a JSON object of byte-string keys, and rewrites it as an array of `[key, value]`
/// pairs at the end when a key turned out not to be valid UTF-8 (a JSON object key must be a
/// string).
///
/// Offsets of every entry are kept so the rewrite needs no second pass over the input; the
/// object stays in the output buffer until ``end(in:)``.
struct MapWriter {
  private var start = 0
  private var entries: [(key: Int, colon: Int, end: Int)] = []
  private var needsPairs = false
  /// Entries still expected (stream entries announce their field count).
  var remaining = 0

  /// Whether no entry has been written since ``begin(at:)``.
  var isEmpty: Bool { entries.isEmpty }

  /// Starts an object at `offset`, the current end of the output.
  mutating func begin(at offset: Int) {
    start = offset
    entries.removeAll(keepingCapacity: true)
    needsPairs = false
  }

  /// Writes the separator, `key` and the colon; the caller writes the value, then calls
  /// ``endEntry(in:)``.
  @unsafe mutating func beginEntry(
    key: UnsafeRawBufferPointer, style: ByteStringStyle, in output: OutputBuffer
  ) {
    output.append(UInt8(ascii: entries.isEmpty ? "{" : ","))
    let keyOffset = output.count
    if style == .utf8, unsafe !JSONText.isValidUTF8(key) { needsPairs = true }
    unsafe JSONText.appendValue(key, style: style, to: output)
    entries.append((keyOffset, output.count, 0))
    output.append(UInt8(ascii: ":"))
  }

  /// Records where the entry's value ended.
  mutating func endEntry(in output: OutputBuffer) {
    entries[entries.count - 1].end = output.count
  }

  /// Closes the object, or rewrites it as pairs when a key was not valid UTF-8.
  mutating func end(in output: OutputBuffer) {
    guard !entries.isEmpty else {
      output.append("{}")
      return
    }
    guard needsPairs else {
      output.append(UInt8(ascii: "}"))
      return
    }
    var pairs: [UInt8] = [UInt8(ascii: "[")]
    for (index, entry) in entries.enumerated() {
      if index > 0 { pairs.append(UInt8(ascii: ",")) }
      pairs.append(UInt8(ascii: "["))
      pairs += output.bytes(in: entry.key..<entry.colon)
      pairs.append(UInt8(ascii: ","))
      pairs += output.bytes(in: (entry.colon + 1)..<entry.end)
      pairs.append(UInt8(ascii: "]"))
    }
    pairs.append(UInt8(ascii: "]"))
    output.truncate(to: start)
    output.append(contentsOf: pairs)
  }
}
