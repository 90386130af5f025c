/// Decimal text of integers, as Redis writes integer-encoded strings and elements back out.
enum IntegerText {
  /// Writes `value` in canonical decimal (`-` sign, no leading zeros) at the start of
  /// `buffer`, which must hold at least 20 bytes, and returns the number of bytes written.
  @inline(__always)
  @unsafe static func write(_ value: Int64, into buffer: UnsafeMutableRawBufferPointer) -> Int {
    precondition(buffer.count >= 20)
    guard let start = buffer.baseAddress else { return 0 }
    return unsafe DecimalText.write(value, to: start)
  }

  /// Calls `body` with `value`'s canonical decimal text, written on the stack.
  @inline(__always)
  static func withText<Result>(
    of value: Int64, _ body: (RawSpan) throws(RDBError) -> Result
  ) throws(RDBError) -> Result {
    var text: (UInt64, UInt64, UInt64) = (0, 0, 0)
    return try unsafe withUnsafeMutableBytes(of: &text) { (buffer) throws(RDBError) in
      let count = unsafe write(value, into: buffer)
      return try unsafe body(
        RawSpan(_unsafeBytes: UnsafeRawBufferPointer(rebasing: buffer[..<count])))
    }
  }

  /// The number of bytes ``write(_:into:)`` writes for `value`.
  ///
  /// Declared free of effects so that the compiler drops a call whose result goes unused: the
  /// parser passes every integer-encoded value's text length to a handler, and one that
  /// ignores it (a verify's key count) otherwise paid for the call on each tiny key.
  @_effects(readnone)
  static func length(of value: Int64) -> Int {
    DecimalText.digitCount(value.magnitude) &+ (value < 0 ? 1 : 0)
  }

  /// Whether `bytes` is the canonical decimal form of an Int64 (what Redis's `string2ll`
  /// accepts and prints back identically): optional `-`, no leading zeros, no `+`, no spaces,
  /// "0" but not "-0", at most 20 characters.
  /// Only text that starts with a digit or `-` is parsed: most text is told apart inline.
  @inline(__always)
  static func isCanonicalInteger(_ bytes: RawSpan) -> Bool {
    guard bytes.byteCount > 0 else { return false }
    let first = unsafe bytes.unsafeLoad(as: UInt8.self)
    guard first == UInt8(ascii: "-") || first &- 48 <= 9 else { return false }
    return canonicalValue(bytes) != nil
  }

  /// The Int64 that `bytes` spells in canonical decimal (see ``isCanonicalInteger(_:)``), or
  /// nil.
  static func canonicalValue(_ bytes: RawSpan) -> Int64? {
    let count = bytes.byteCount
    guard count > 0, count <= 20 else { return nil }
    return unsafe bytes.withUnsafeBytes { bytes -> Int64? in
      var index = 0
      let negative = unsafe bytes[0] == UInt8(ascii: "-")
      if negative { index = 1 }
      guard index < count else { return nil }
      let first = unsafe bytes[index]
      if first == UInt8(ascii: "0") { return count == 1 ? 0 : nil }
      var magnitude: UInt64 = 0
      while index < count {
        let digit = unsafe bytes[index] &- 48
        guard digit <= 9 else { return nil }
        let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
        let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit))
        guard !overflow1, !overflow2 else { return nil }
        magnitude = sum
        index &+= 1
      }
      if negative {
        return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil
      }
      return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }
  }
}
