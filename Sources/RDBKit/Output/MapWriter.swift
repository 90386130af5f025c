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
  private let entries = EntryOffsets()
  private var needsPairs = false
  private var checksRepeats = false
  /// The lengths of the keys written (mod 64), one bit each: a key whose length's bit is not
  /// set repeats none, which spares the comparisons for most entries.
  private var keyLengths: UInt64 = 0
  private var keyStart = 0
  /// Entries still expected (stream entries announce their field count).
  var remaining = 0

  /// Whether no entry has been written since ``begin(at:checksRepeats:)``.
  var isEmpty: Bool { entries.count == 0 }

  /// Starts an object at `offset`, the current end of the output. `checksRepeats` asks for
  /// repeated keys to be looked for (a hash's fields are unique, a stream entry's need not be).
  mutating func begin(at offset: Int, checksRepeats: Bool = false) {
    start = offset
    entries.count = 0
    needsPairs = false
    self.checksRepeats = checksRepeats
    keyLengths = 0
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

  /// Writes the separator, `key`, the colon and `value`, both as JSON strings, in one
  /// reservation, and returns true when both are ASCII that needs no escape (most fields of
  /// hashes and stream entries); returns false, writing nothing, otherwise. What
  /// ``beginEntry(key:style:in:)`` and ``JSONText/appendValue(_:style:to:)`` write then, in
  /// any style but base64.
  @inline(__always)
  @unsafe mutating func appendPlainEntry(
    key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, in output: OutputBuffer
  ) -> Bool {
    let keyCount = key.count
    // Up to 8 bytes past each string's end may be stored (JSONText.storeIfPlain).
    let out = unsafe output.reserve(keyCount &+ value.count &+ 16)
    guard unsafe JSONText.storePlainName(key, first: entries.count == 0, at: out),
      unsafe JSONText.storeIfPlain(value, at: out + (keyCount &+ 5))
    else { return false }
    unsafe endPlainEntry(at: out, keyCount: keyCount, valueCount: value.count, in: output)
    return true
  }

  /// ``appendPlainEntry(key:value:in:)`` for a value that is an integer: its decimal text as
  /// a JSON string, written in place.
  @inline(__always)
  @unsafe mutating func appendPlainEntry(
    key: UnsafeRawBufferPointer, integer value: Int64, in output: OutputBuffer
  ) -> Bool {
    let keyCount = key.count
    let out = unsafe output.reserve(keyCount &+ 40)
    guard unsafe JSONText.storePlainName(key, first: entries.count == 0, at: out) else {
      return false
    }
    let valueCount = unsafe DecimalText.write(value, to: out + (keyCount &+ 5))
    unsafe endPlainEntry(at: out, keyCount: keyCount, valueCount: valueCount, in: output)
    return true
  }

  /// Closes the value stored after a plain key at `out` and takes the entry into the output.
  @inline(__always)
  @unsafe private mutating func endPlainEntry(
    at out: UnsafeMutableRawPointer, keyCount: Int, valueCount: Int, in output: OutputBuffer
  ) {
    unsafe out.storeBytes(
      of: UInt8(ascii: "\""), toByteOffset: keyCount &+ valueCount &+ 5, as: UInt8.self)
    keyStart = output.count &+ 1
    output.advance(by: keyCount &+ 3)
    noteKey(in: output)
    output.advance(by: valueCount &+ 3)
  }

  /// Writes the separator; the caller then writes the key as a JSON string and calls
  /// ``endKey(in:)``.
  @inline(__always)
  mutating func beginKey(in output: OutputBuffer) {
    output.append(UInt8(ascii: entries.count == 0 ? "{" : ","))
    keyStart = output.count
  }

  /// Records the key just written and writes the colon; the caller then writes the value.
  @inline(__always)
  mutating func endKey(in output: OutputBuffer) {
    noteKey(in: output)
    output.append(UInt8(ascii: ":"))
  }

  /// Records the key written from ``keyStart`` to the end of `output` and, where repeats
  /// matter, whether it repeats one.
  @inline(__always)
  private mutating func noteKey(in output: OutputBuffer) {
    entries.append(key: keyStart, colon: output.count)
    if checksRepeats, !needsPairs {
      let length: UInt64 = 1 &<< UInt64(truncatingIfNeeded: (output.count &- keyStart) & 63)
      if keyLengths & length != 0, repeatsAnEarlierKey(in: output) { needsPairs = true }
      keyLengths |= length
    }
  }

  /// Whether the last key's JSON text equals an earlier key's (the writer's encoding is
  /// deterministic, so equal text means equal bytes).
  ///
  /// - Complexity: O(*n*) in the keys written so far: a stream entry has few fields.
  private func repeatsAnEarlierKey(in output: OutputBuffer) -> Bool {
    let count = entries.count
    guard count > 1 else { return false }
    let last = entries[count &- 1]
    let length = last.colon &- last.key
    // The bytes are read in place, without a closure: one that captured `entries` copied
    // this writer for every field of every stream entry.
    let bytes = unsafe output.unwrittenStart
    let key = unsafe bytes + last.key
    for index in 0..<(count &- 1) {
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
    guard entries.count > 0 else {
      output.append("{}")
      return
    }
    guard needsPairs else {
      output.append(UInt8(ascii: "}"))
      return
    }
    var pairs: [UInt8] = [UInt8(ascii: "[")]
    for index in 0..<entries.count {
      let entry = entries[index]
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

/// Where each key of a ``MapWriter``'s object starts and where its colon is, in a block that
/// grows and is kept: appending is a store, without the uniqueness check of an array's append
/// (a runtime call for every field of every stream entry).
@safe private final class EntryOffsets {
  /// Key start and colon offsets, one pair after the other.
  private var storage: UnsafeMutablePointer<Int>
  private var capacity = 16
  /// The number of pairs.
  var count = 0

  init() { unsafe storage = .allocate(capacity: 2 * 16) }

  deinit { unsafe storage.deallocate() }

  @inline(__always)
  func append(key: Int, colon: Int) {
    if count == capacity { grow() }
    unsafe storage[2 &* count] = key
    unsafe storage[2 &* count &+ 1] = colon
    count &+= 1
  }

  /// The `index`th pair (below ``count``).
  @inline(__always)
  subscript(index: Int) -> (key: Int, colon: Int) {
    precondition(index >= 0 && index < count)
    return unsafe (storage[2 &* index], storage[2 &* index &+ 1])
  }

  private func grow() {
    let larger = UnsafeMutablePointer<Int>.allocate(capacity: 4 &* capacity)
    unsafe larger.update(from: storage, count: 2 &* count)
    unsafe storage.deallocate()
    unsafe storage = larger
    capacity &*= 2
  }
}
