extension StreamNodeWriter {
  /// The text of a node's entries as it is written at the end of the output: stored through
  /// a pointer into room reserved a few hundred bytes at a time, and counted in the output
  /// when the room is used up or the node is done (``commit()``): one reservation and one
  /// count for a few entries, where each field made its own.
  @safe struct Text {
    /// Bytes reserved at least at a time.
    private static let chunk = 256

    private let output: OutputBuffer
    /// Where the uncounted text starts (valid while ``room`` is not 0).
    private(set) var out: UnsafeMutableRawPointer
    /// Bytes stored at ``out``.
    var count = 0
    /// Bytes reserved at ``out``.
    private var room = 0

    init(_ output: OutputBuffer) {
      self.output = output
      out = unsafe output.reserve(0)
    }

    /// Makes room for `needed` more bytes at ``out`` + ``count``, which may move both.
    /// (Every method is inlined: a call that took the walk's text by address would keep its
    /// pointer and count in memory, reloaded after each store of text.)
    @inline(__always)
    mutating func reserve(_ needed: Int) {
      guard room &- count < needed else { return }
      commit()
      room = max(needed, Self.chunk)
      out = unsafe output.reserve(room)
    }

    /// Counts the text stored in the output; the room left is given back.
    @inline(__always)
    mutating func commit() {
      output.advance(by: count)
      count = 0
      room = 0
    }

    /// Writes `,"name":"` (`{` first when `first`) of the name of `count` bytes at `name`;
    /// false when it is not plain ASCII.
    @inline(__always)
    @unsafe mutating func writeName(_ name: UnsafeRawPointer, count nameCount: Int, first: Bool)
      -> Bool
    {
      reserve(nameCount &+ 16)
      guard
        unsafe JSONText.storePlainName(
          UnsafeRawBufferPointer(start: name, count: nameCount), first: first, at: out + count)
      else { return false }
      count &+= nameCount &+ 5
      return true
    }

    /// Writes an integer's digits and the closing quote, after the opening one.
    @inline(__always)
    mutating func writeValue(integer value: Int64) {
      reserve(24)
      let digits = unsafe DecimalText.write(value, to: out + count)
      unsafe out.storeBytes(
        of: UInt8(ascii: "\""), toByteOffset: count &+ digits, as: UInt8.self)
      count &+= digits &+ 1
    }

    /// Writes a string's bytes and the closing quote after the opening one, or when they
    /// are not plain ASCII, in place of that quote the value `style` writes
    /// (``JSONText/appendValue(_:style:to:)``).
    @inline(__always)
    @unsafe mutating func writeValue(_ bytes: UnsafeRawBufferPointer, style: ByteStringStyle) {
      let valueCount = bytes.count
      reserve(valueCount &+ 9)
      guard unsafe JSONText.storeIfPlain(bytes, at: out + count) else {
        count &-= 1
        commit()
        return unsafe JSONText.appendValue(notPlain: bytes, style: style, to: output)
      }
      unsafe out.storeBytes(
        of: UInt8(ascii: "\""), toByteOffset: count &+ valueCount, as: UInt8.self)
      count &+= valueCount &+ 1
    }

    /// Writes `text`, of 1 to 8 bytes, padded to a word, and counts `length` of its bytes.
    @inline(__always)
    mutating func write(word text: UInt64, length: Int) {
      reserve(8)
      unsafe out.storeBytes(of: text, toByteOffset: count, as: UInt64.self)
      count &+= length
    }
  }
}
