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
  /// Entries of a detached map (field TTLs), kept apart from the output.
  private var detached: [UInt8] = []

  var isEmpty: Bool { detached.isEmpty }

  /// Starts an object at `offset`, the current end of the output.
  mutating func begin(at offset: Int) {
    start = offset
    entries.removeAll(keepingCapacity: true)
    needsPairs = false
  }

  /// Adds `key: value` to the object being written in `output`.
  @unsafe mutating func add(
    key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, style: ByteStringStyle,
    to output: inout OutputBuffer
  ) {
    output.append(UInt8(ascii: entries.isEmpty ? "{" : ","))
    let keyOffset = output.bytes.count
    if style == .utf8, unsafe !JSONText.isValidUTF8(key) { needsPairs = true }
    unsafe JSONText.appendValue(key, style: style, to: &output)
    let colon = output.bytes.count
    output.append(UInt8(ascii: ":"))
    unsafe JSONText.appendValue(value, style: style, to: &output)
    entries.append((keyOffset, colon, output.bytes.count))
  }

  /// Closes the object, or rewrites it as pairs when a key was not valid UTF-8.
  mutating func end(in output: inout OutputBuffer) {
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
      pairs.append(contentsOf: output.bytes[entry.key..<entry.colon])
      pairs.append(UInt8(ascii: ","))
      pairs.append(contentsOf: output.bytes[(entry.colon + 1)..<entry.end])
      pairs.append(UInt8(ascii: "]"))
    }
    pairs.append(UInt8(ascii: "]"))
    output.bytes.removeSubrange(start...)
    output.bytes.append(contentsOf: pairs)
  }

  /// Adds `key: time` to a detached map (written later by ``writeDetached(to:)``).
  @unsafe mutating func addExpiry(key: UnsafeRawBufferPointer, time: Int64, style: ByteStringStyle) {
    if detached.isEmpty { begin(at: 0) }
    var scratch = OutputBuffer(detachedWith: detached)
    detached = []  // so the buffer is not copied on write
    unsafe add(key: key, value: UnsafeRawBufferPointer(start: nil, count: 0), style: style, to: &scratch)
    // The value written was a placeholder "": replace it with the number.
    scratch.bytes.removeLast(2)
    scratch.append(integer: time)
    entries[entries.count - 1].end = scratch.bytes.count
    detached = scratch.bytes
  }

  /// Appends the detached map to `output` and empties it.
  mutating func writeDetached(to output: inout OutputBuffer) {
    var scratch = OutputBuffer(detachedWith: detached)
    end(in: &scratch)
    output.bytes.append(contentsOf: scratch.bytes)
    detached.removeAll(keepingCapacity: true)
    entries.removeAll(keepingCapacity: true)
  }
}
