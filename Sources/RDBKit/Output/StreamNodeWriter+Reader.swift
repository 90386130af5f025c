extension StreamNodeWriter {
  /// An element read: an integer, or where a string starts in the node and its length.
  struct Element {
    var isInteger: Bool
    var integer: Int64
    /// Where a string's bytes start (for an integer, where its element starts).
    var start: UnsafeRawPointer
    var count: Int
  }

  /// Reads a node's elements in order, each with its back-length in the server's form. A
  /// value of the walk's own, its state two pointers (no base and offset), so that both can
  /// stay in registers.
  @safe struct Reader {
    /// Where the end marker is.
    let end: UnsafeRawPointer
    /// Where the next element starts.
    private(set) var position: UnsafeRawPointer

    /// Reads the node of `count` bytes at `base`, from its first element.
    @unsafe init(_ base: UnsafeRawPointer, count: Int) {
      unsafe end = base + (count &- 1)
      unsafe position = base + 6
    }

    @unsafe private init(end: UnsafeRawPointer, position: UnsafeRawPointer) {
      unsafe self.end = end
      unsafe self.position = position
    }

    /// The bytes from the current position to the end marker.
    @inline(__always)
    private var left: Int { unsafe position.distance(to: end) }

    /// The byte `offset` bytes after the current position.
    @inline(__always)
    private func byte(_ offset: Int) -> Int {
      Int(unsafe position.load(fromByteOffset: offset, as: UInt8.self))
    }

    /// Reads an integer element (any of its six forms) with its one-byte back-length; nil,
    /// having read it or not, for anything else. The 7-bit and 13-bit forms (counts, flags,
    /// ID deltas) here, the others in a call.
    @inline(__always)
    mutating func integer() -> Int64? {
      let left = left
      guard left >= 2 else { return nil }
      let first = byte(0)
      if first < 0x80 {
        guard byte(1) == 1 else { return nil }
        unsafe position += 2
        return Int64(first)
      }
      if first & 0xE0 == 0xC0, left > 2, byte(2) == 2 {
        let raw = (first & 0x1F) << 8 | byte(1)
        unsafe position += 3
        return Int64(raw >= 4096 ? raw &- 8192 : raw)
      }
      guard let (element, next) = unsafe Self.element(at: position, end: end),
        element.isInteger
      else { return nil }
      unsafe position = next
      return element.integer
    }

    /// Reads the element at the current position as ``element()`` does, in a call: for the
    /// walk's rarer reads, which would each add a copy of the whole reading to the walk.
    @inline(__always)
    mutating func elementInCall() -> Element? {
      guard let (element, next) = unsafe Self.element(at: position, end: end) else {
        return nil
      }
      unsafe position = next
      return element
    }

    /// The element at `start` and where the element after its back-length starts
    /// (``element()``).
    @inline(never)
    @unsafe private static func element(at start: UnsafeRawPointer, end: UnsafeRawPointer)
      -> (Element, UnsafeRawPointer)?
    {
      var reader = unsafe Reader(end: end, position: start)
      guard let element = reader.element() else { return nil }
      return unsafe (element, reader.position)
    }

    /// Reads the element at the current position with its back-length; nil when it is not
    /// there whole or its back-length is not in the server's form.
    @inline(__always)
    mutating func element() -> Element? {
      let start = position
      let left = left
      guard left > 0 else { return nil }
      let first = byte(0)
      var element = unsafe Element(isInteger: true, integer: 0, start: start, count: 0)
      let size: Int
      if first < 0x80 {
        element.integer = Int64(first)
        size = 1
      } else if first < 0xC0 {
        element = unsafe Element(
          isInteger: false, integer: 0, start: start + 1, count: first & 0x3F)
        size = 1 &+ element.count
      } else if first < 0xE0 {
        guard left >= 2 else { return nil }
        let raw = (first & 0x1F) << 8 | byte(1)
        element.integer = Int64(raw >= 4096 ? raw &- 8192 : raw)
        size = 2
      } else if first < 0xF0 {
        guard left >= 2 else { return nil }
        element = unsafe Element(
          isInteger: false, integer: 0, start: start + 2, count: (first & 0x0F) << 8 | byte(1))
        size = 2 &+ element.count
      } else if first != 0xF0, first <= 0xF4, left > 8 {
        // A 16-, 24-, 32- or 64-bit integer, its bytes (2, 3, 4, 8) the low ones of the
        // word after the first byte, which is in the node: sign-extended by two shifts.
        let bytes = first == 0xF4 ? 8 : first &- 0xEF
        let word = unsafe start.loadUnaligned(fromByteOffset: 1, as: UInt64.self)
        let unused = UInt64(64 &- bytes &* 8)
        element.integer = Int64(bitPattern: UInt64(littleEndian: word) &<< unused) &>> unused
        size = 1 &+ bytes
      } else {
        guard let (largerSize, value) = unsafe Self.largerForm(start, first, left: left)
        else { return nil }
        if first == 0xF0 {
          element = unsafe Element(
            isInteger: false, integer: 0, start: start + 5, count: Int(value))
        } else {
          element.integer = value
        }
        size = largerSize
      }
      guard size < left else { return nil }
      if size < 128 {
        guard byte(size) == size else { return nil }
        unsafe position = start + (size &+ 1)
      } else {
        let next = unsafe ListpackReader.serverBacklenEnd(start, 0, size, left)
        guard next > 0 else { return nil }
        unsafe position = start + next
      }
      return element
    }

    /// The size and value of the element at `start`, `left` bytes before the end marker,
    /// whose first byte `first` is 0xF0 or above: a string with a 32-bit length (the value is
    /// the length) or a 16-, 24-, 32- or 64-bit integer
    /// (``ListpackReader/integerElement(_:_:_:_:)``); nil for any other byte or when its
    /// header runs past the end marker.
    @unsafe private static func largerForm(_ start: UnsafeRawPointer, _ first: Int, left: Int)
      -> (Int, Int64)?
    {
      guard first == 0xF0 else {
        let (size, value) = unsafe ListpackReader.integerElement(start, 0, UInt8(first), left)
        return size > 0 ? (size, value) : nil
      }
      guard left >= 5 else { return nil }
      let length = Int(
        UInt32(littleEndian: unsafe start.loadUnaligned(fromByteOffset: 1, as: UInt32.self)))
      return (5 &+ length, Int64(length))
    }
  }
}
