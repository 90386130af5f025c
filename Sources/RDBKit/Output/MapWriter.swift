#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a JSON object of byte-string keys, and rewrites it as an array of `[key, value]`
/// pairs at the end when the object would lose something: a key that is not valid UTF-8 (a
/// JSON object key must be a string), or, in a map whose keys may repeat (a stream entry's
/// fields: `XADD s * k v k v` keeps both pairs), a key written twice, which a JSON reader
/// would keep only once.
///
/// Where every key starts and ends is kept so the rewrite needs no second pass over the input
/// (a value ends where the next entry's comma is, the last at ``end(in:)``); the object stays
/// in the output buffer until then.
struct MapWriter {
  private var start = 0
  private var entries: [(key: Int, colon: Int)] = []
  private var needsPairs = false
  private var checksRepeats = false
  private var keyStart = 0
  /// Entries still expected (stream entries announce their field count).
  var remaining = 0

  /// Whether no entry has been written since ``begin(at:checksRepeats:)``.
  var isEmpty: Bool { entries.isEmpty }

  /// Starts an object at `offset`, the current end of the output. `checksRepeats` asks for
  /// repeated keys to be looked for (a hash's fields are unique, a stream entry's need not be).
  mutating func begin(at offset: Int, checksRepeats: Bool = false) {
    start = offset
    entries.removeAll(keepingCapacity: true)
    needsPairs = false
    self.checksRepeats = checksRepeats
  }

  /// Writes the separator, `key` and the colon; the caller then writes the value.
  @unsafe mutating func beginEntry(
    key: UnsafeRawBufferPointer, style: ByteStringStyle, in output: OutputBuffer
  ) {
    beginKey(in: output)
    // Plain ASCII (most keys) is valid UTF-8 and written as it is: one pass instead of three.
    if style == .base64 || !(unsafe JSONText.appendIfPlain(key, to: output)) {
      if style == .utf8, unsafe !JSONText.isValidUTF8(key) { needsPairs = true }
      unsafe JSONText.appendValue(key, style: style, to: output)
    }
    endKey(in: output)
  }

  /// Writes the separator, the bytes of `key` and the colon; the caller then writes the value.
  @inline(__always)
  mutating func beginEntry(key: RawSpan, style: ByteStringStyle, in output: OutputBuffer) {
    unsafe key.withUnsafeBytes { unsafe beginEntry(key: $0, style: style, in: output) }
  }

  /// Writes the separator; the caller then writes the key as a JSON string and calls
  /// ``endKey(in:)``.
  @inline(__always)
  mutating func beginKey(in output: OutputBuffer) {
    output.append(UInt8(ascii: entries.isEmpty ? "{" : ","))
    keyStart = output.count
  }

  /// Records the key just written and writes the colon; the caller then writes the value.
  @inline(__always)
  mutating func endKey(in output: OutputBuffer) {
    entries.append((keyStart, output.count))
    if checksRepeats, !needsPairs, repeatsAnEarlierKey(in: output) { needsPairs = true }
    output.append(UInt8(ascii: ":"))
  }

  /// Whether the last key's JSON text equals an earlier key's (the writer's encoding is
  /// deterministic, so equal text means equal bytes).
  ///
  /// - Complexity: O(*n*) in the keys written so far: a stream entry has few fields.
  private func repeatsAnEarlierKey(in output: OutputBuffer) -> Bool {
    guard let last = entries.last, entries.count > 1 else { return false }
    let length = last.colon &- last.key
    // The bytes are read in place, without a closure: one that captured `entries` copied
    // this writer, and retained the array, for every field of every stream entry.
    let bytes = unsafe output.unwrittenStart
    let key = unsafe bytes + last.key
    for index in 0..<(entries.count &- 1) {
      let entry = entries[index]
      if entry.colon &- entry.key == length,
        unsafe memcmp(bytes + entry.key, key, length) == 0
      {
        return true
      }
    }
    return false
  }

  /// Closes the object, or rewrites it as pairs when a key was not valid UTF-8 or repeated.
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
      let end = index + 1 < entries.count ? entries[index + 1].key - 1 : output.count
      pairs += output.bytes(in: (entry.colon + 1)..<end)
      pairs.append(UInt8(ascii: "]"))
    }
    pairs.append(UInt8(ascii: "]"))
    output.truncate(to: start)
    output.append(contentsOf: pairs)
  }
}
