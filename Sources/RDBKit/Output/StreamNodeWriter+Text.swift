extension StreamNodeWriter {
  /// The text of a node's entries as it is written at the end of the output: stored through
  /// a pointer into room reserved a few hundred bytes at a time, and counted in the output
  /// when the room is used up or the node is done (``commit()``): one reservation and one
  /// count for a few entries, where each field made its own.
  @safe struct Text {
    /// Bytes reserved at least at a time.
    private static let chunk = 256

    private let output: OutputBuffer
    /// Where the next byte of text goes.
    private(set) var cursor: UnsafeMutableRawPointer
    /// The end of the room reserved.
    private var limit: UnsafeMutableRawPointer
    /// Where the uncounted text starts.
    private var start: UnsafeMutableRawPointer

    init(_ output: OutputBuffer) {
      self.output = output
      cursor = unsafe output.reserve(0)
      limit = cursor
      start = cursor
    }

    /// Makes room for `needed` more bytes at ``cursor``, which may move it. (Every method is
    /// inlined: a call that took the walk's text by address would keep its pointers in
    /// memory, reloaded after each store of text.)
    @inline(__always)
    mutating func reserve(_ needed: Int) {
      guard unsafe cursor.distance(to: limit) < needed else { return }
      commit()
      let room = max(needed, Self.chunk)
      start = unsafe output.reserve(room)
      cursor = start
      limit = unsafe start + room
    }

    /// Counts the text stored in the output; the room left is given back.
    @inline(__always)
    mutating func commit() {
      output.advance(by: unsafe start.distance(to: cursor))
      start = cursor
      limit = cursor
    }

    /// Counts `written` bytes stored at ``cursor`` as text.
    @inline(__always)
    mutating func advance(by written: Int) {
      cursor = unsafe cursor + written
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
          UnsafeRawBufferPointer(start: name, count: nameCount), first: first, at: cursor)
      else { return false }
      advance(by: nameCount &+ 5)
      return true
    }

    /// Writes an integer's digits and the closing quote, after the opening one.
    @inline(__always)
    mutating func writeValue(integer value: Int64) {
      reserve(24)
      let digits = unsafe DecimalText.write(value, to: cursor)
      unsafe cursor.storeBytes(of: UInt8(ascii: "\""), toByteOffset: digits, as: UInt8.self)
      advance(by: digits &+ 1)
    }

    /// Writes a string's bytes and the closing quote after the opening one, or when they
    /// are not plain ASCII, in place of that quote the value `style` writes
    /// (``JSONText/appendValue(_:style:to:)``).
    @inline(__always)
    @unsafe mutating func writeValue(_ bytes: UnsafeRawBufferPointer, style: ByteStringStyle) {
      let valueCount = bytes.count
      reserve(valueCount &+ 9)
      guard unsafe JSONText.storeIfPlain(bytes, at: cursor) else {
        advance(by: -1)
        commit()
        return unsafe JSONText.appendValue(notPlain: bytes, style: style, to: output)
      }
      unsafe cursor.storeBytes(of: UInt8(ascii: "\""), toByteOffset: valueCount, as: UInt8.self)
      advance(by: valueCount &+ 1)
    }

    /// Writes `text`, of 1 to 8 bytes, padded to a word, and counts `length` of its bytes.
    @inline(__always)
    mutating func write(word text: UInt64, length: Int) {
      reserve(8)
      unsafe cursor.storeBytes(of: text, as: UInt64.self)
      advance(by: length)
    }
  }
}
