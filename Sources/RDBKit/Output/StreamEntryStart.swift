/// Writes the start of a stream entry's JSON object, `{"id":"ms-seq","fields":` (a comma
/// first unless it is the stream's first entry), keeping the text of the last ID's
/// milliseconds for the next: the entries of a node are often a few per millisecond, and
/// the next millisecond's text is the last one's with its last digit raised.
struct StreamEntryStart {
  /// The most bytes ``write(_:first:at:)`` stores (the text and the words stored past it).
  static let mostBytes = 72

  /// `{"id":"`, the milliseconds of the last ID written, `-`: the text of an ID before its
  /// sequence, in the low ``length`` bytes (0: none yet).
  private var text: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
  private var length = 0
  private var milliseconds: UInt64 = 0

  /// Writes the start of the entry `id`, a comma first unless `first`.
  @inline(__always)
  mutating func write(_ id: StreamID, first: Bool, to output: OutputBuffer) {
    output.advance(by: unsafe write(id, first: first, at: output.reserve(Self.mostBytes)))
  }

  /// Writes the start of the entry `id`, a comma first unless `first`, at `out`, which has
  /// room for ``mostBytes``, and returns its length.
  @inline(__always)
  @unsafe mutating func write(_ id: StreamID, first: Bool, at out: UnsafeMutableRawPointer)
    -> Int
  {
    if id.milliseconds != milliseconds || length == 0 { setMilliseconds(id.milliseconds) }
    unsafe out.storeBytes(of: UInt8(ascii: ","), as: UInt8.self)
    var position = first ? 0 : 1
    unsafe out.storeBytes(of: text.0, toByteOffset: position, as: UInt64.self)
    unsafe out.storeBytes(of: text.1, toByteOffset: position &+ 8, as: UInt64.self)
    unsafe out.storeBytes(of: text.2, toByteOffset: position &+ 16, as: UInt64.self)
    unsafe out.storeBytes(of: text.3, toByteOffset: position &+ 24, as: UInt64.self)
    position &+= length
    if id.sequence < 10 {
      unsafe out.storeBytes(
        of: UInt8(truncatingIfNeeded: id.sequence) &+ 48, toByteOffset: position, as: UInt8.self)
      position &+= 1
    } else {
      position &+= unsafe Self.write(sequence: id.sequence, at: out + position)
    }
    // `","fields":`, 11 bytes: two words, the second overlapping the first.
    unsafe out.storeBytes(
      of: Self.word("\",\"fields\":", at: 0), toByteOffset: position, as: UInt64.self)
    unsafe out.storeBytes(
      of: Self.word("\",\"fields\":", at: 3), toByteOffset: position &+ 3, as: UInt64.self)
    return position &+ 11
  }

  /// Makes ``text`` that of `value`: the last one's with its last digit raised when that
  /// is all that differs, else written again.
  private mutating func setMilliseconds(_ value: UInt64) {
    let raise = value &- milliseconds
    milliseconds = value
    unsafe withUnsafeMutableBytes(of: &text) { bytes in
      guard let start = bytes.baseAddress else { return }
      // The last digit is before the `-`.
      let last = length &- 2
      if length > 0, raise < 10 {
        let digit = unsafe start.load(fromByteOffset: last, as: UInt8.self) &- 48
        if UInt64(digit) &+ raise <= 9 {
          unsafe start.storeBytes(
            of: digit &+ UInt8(truncatingIfNeeded: raise) &+ 48, toByteOffset: last,
            as: UInt8.self)
          return
        }
      }
      unsafe start.storeBytes(of: Self.word("{\"id\":\"", at: 0), as: UInt64.self)
      let digits = unsafe DecimalText.write(unsigned: value, to: start + 7)
      unsafe start.storeBytes(of: UInt8(ascii: "-"), toByteOffset: 7 &+ digits, as: UInt8.self)
      length = 8 &+ digits
    }
  }

  /// Writes a sequence of 10 or more at `out` and returns its length: in a call, out of the
  /// node writer's walk, which writes the sequences below 10 (nearly all) itself.
  @inline(never)
  @unsafe private static func write(sequence: UInt64, at out: UnsafeMutableRawPointer) -> Int {
    unsafe DecimalText.write(unsigned: sequence, to: out)
  }

  /// The eight bytes of `text` from `offset` as a word, to be stored as they are.
  @inline(__always)
  private static func word(_ text: StaticString, at offset: Int) -> UInt64 {
    unsafe UnsafeRawPointer(text.utf8Start).loadUnaligned(fromByteOffset: offset, as: UInt64.self)
  }
}
