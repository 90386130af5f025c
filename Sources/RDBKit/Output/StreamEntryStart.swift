/// Writes the start of a stream entry's JSON object, `{"id":"ms-seq","fields":` (a comma
/// first unless it is the stream's first entry), in one reservation of at most 60 bytes
/// (words stored past them), keeping the milliseconds' text of the last ID written for the
/// next: the entries of a node are often a few per millisecond.
struct StreamEntryStart {
  /// The milliseconds of the last ID written, their text and its length (0: none yet).
  private var milliseconds: UInt64 = 0
  private var text: (UInt64, UInt64, UInt64) = (0, 0, 0)
  private var length = 0

  /// Writes the start of the entry `id`, a comma first unless `first`.
  @inline(__always)
  mutating func write(_ id: StreamID, first: Bool, to output: OutputBuffer) {
    let out = unsafe output.reserve(80)
    unsafe out.storeBytes(of: UInt8(ascii: ","), as: UInt8.self)
    var position = first ? 0 : 1
    unsafe out.storeBytes(
      of: Self.word("{\"id\":\"", at: 0), toByteOffset: position, as: UInt64.self)
    position &+= 7
    if id.milliseconds != milliseconds || length == 0 {
      milliseconds = id.milliseconds
      length = unsafe DecimalText.write(unsigned: id.milliseconds, to: out + position)
      text = unsafe (
        out.loadUnaligned(fromByteOffset: position, as: UInt64.self),
        out.loadUnaligned(fromByteOffset: position &+ 8, as: UInt64.self),
        out.loadUnaligned(fromByteOffset: position &+ 16, as: UInt64.self)
      )
    } else {
      unsafe out.storeBytes(of: text.0, toByteOffset: position, as: UInt64.self)
      unsafe out.storeBytes(of: text.1, toByteOffset: position &+ 8, as: UInt64.self)
      unsafe out.storeBytes(of: text.2, toByteOffset: position &+ 16, as: UInt64.self)
    }
    position &+= length
    unsafe out.storeBytes(of: UInt8(ascii: "-"), toByteOffset: position, as: UInt8.self)
    position &+= 1
    position &+= unsafe DecimalText.write(unsigned: id.sequence, to: out + position)
    // `","fields":`, 11 bytes: two words, the second overlapping the first.
    unsafe out.storeBytes(
      of: Self.word("\",\"fields\":", at: 0), toByteOffset: position, as: UInt64.self)
    unsafe out.storeBytes(
      of: Self.word("\",\"fields\":", at: 3), toByteOffset: position &+ 3, as: UInt64.self)
    output.advance(by: position &+ 11)
  }

  /// The eight bytes of `text` from `offset` as a word, to be stored as they are.
  @inline(__always)
  private static func word(_ text: StaticString, at offset: Int) -> UInt64 {
    unsafe UnsafeRawPointer(text.utf8Start).loadUnaligned(fromByteOffset: offset, as: UInt64.self)
  }
}
