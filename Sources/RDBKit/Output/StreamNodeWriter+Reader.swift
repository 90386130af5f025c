extension StreamNodeWriter {
  /// An element read: an integer, or where a string starts in the node and its length.
  struct Element {
    var isInteger: Bool
    var integer: Int64
    var start: Int
    var count: Int
  }

  /// Reads a node's elements in order, each with its back-length in the server's form. A
  /// value of the walk's own, so that its position can stay in a register.
  @safe struct Reader {
    private let base: UnsafeRawPointer
    /// Where the end marker is.
    let end: Int
    private(set) var position = 6

    @unsafe init(_ base: UnsafeRawPointer, count: Int) {
      unsafe self.base = base
      end = count &- 1
    }

    @unsafe private init(_ base: UnsafeRawPointer, end: Int, position: Int) {
      unsafe self.base = base
      self.end = end
      self.position = position
    }

    /// Whether the header's element count is unknown (0xFFFF) or `count`.
    func headerCountMatches(_ count: Int) -> Bool {
      let declared = unsafe Int(
        base.loadUnaligned(fromByteOffset: 4, as: UInt16.self).littleEndian)
      return declared == 0xFFFF || declared == count
    }

    /// The byte at `offset`.
    @inline(__always)
    private func byte(_ offset: Int) -> Int {
      Int(unsafe base.load(fromByteOffset: offset, as: UInt8.self))
    }

    /// Reads an integer element (any of its six forms) with its one-byte back-length; nil,
    /// having read it or not, for anything else. The 7-bit and 13-bit forms (counts, flags,
    /// ID deltas) here, the others in a call.
    @inline(__always)
    mutating func integer() -> Int64? {
      guard end &- position >= 2 else { return nil }
      let first = byte(position)
      if first < 0x80 {
        guard byte(position &+ 1) == 1 else { return nil }
        position &+= 2
        return Int64(first)
      }
      if first & 0xE0 == 0xC0, end &- position > 2, byte(position &+ 2) == 2 {
        let raw = (first & 0x1F) << 8 | byte(position &+ 1)
        position &+= 3
        return Int64(raw >= 4096 ? raw &- 8192 : raw)
      }
      guard let (element, next) = unsafe Self.element(base, at: position, end: end),
        element.isInteger
      else { return nil }
      position = next
      return element.integer
    }

    /// Reads the element at the current position as ``element()`` does, in a call: for the
    /// walk's rarer reads, which would each add a copy of the whole reading to the walk.
    @inline(__always)
    mutating func elementInCall() -> Element? {
      guard let (element, next) = unsafe Self.element(base, at: position, end: end) else {
        return nil
      }
      position = next
      return element
    }

    /// The element at `start` and the offset after its back-length (``element()``).
    @inline(never)
    @unsafe private static func element(_ base: UnsafeRawPointer, at start: Int, end: Int)
      -> (Element, Int)?
    {
      var reader = unsafe Reader(base, end: end, position: start)
      guard let element = reader.element() else { return nil }
      return (element, reader.position)
    }

    /// Reads the element at the current position with its back-length; nil when it is not
    /// there whole or its back-length is not in the server's form.
    @inline(__always)
    mutating func element() -> Element? {
      let start = position
      let left = end &- start
      guard left > 0 else { return nil }
      let first = byte(start)
      var element = Element(isInteger: true, integer: 0, start: 0, count: 0)
      let size: Int
      if first < 0x80 {
        element.integer = Int64(first)
        size = 1
      } else if first < 0xC0 {
        element = Element(isInteger: false, integer: 0, start: start &+ 1, count: first & 0x3F)
        size = 1 &+ element.count
      } else if first < 0xE0 {
        guard left >= 2 else { return nil }
        let raw = (first & 0x1F) << 8 | byte(start &+ 1)
        element.integer = Int64(raw >= 4096 ? raw &- 8192 : raw)
        size = 2
      } else if first < 0xF0 {
        guard left >= 2 else { return nil }
        element = Element(
          isInteger: false, integer: 0, start: start &+ 2,
          count: (first & 0x0F) << 8 | byte(start &+ 1))
        size = 2 &+ element.count
      } else if first != 0xF0, first <= 0xF4, left > 8 {
        // A 16-, 24-, 32- or 64-bit integer, its bytes (2, 3, 4, 8) the low ones of the
        // word after the first byte, which is in the node: sign-extended by two shifts.
        let bytes = first == 0xF4 ? 8 : first &- 0xEF
        let word = unsafe base.loadUnaligned(fromByteOffset: start &+ 1, as: UInt64.self)
        let unused = UInt64(64 &- bytes &* 8)
        element.integer = Int64(bitPattern: UInt64(littleEndian: word) &<< unused) &>> unused
        size = 1 &+ bytes
      } else {
        guard let (largerSize, value) = unsafe Self.largerForm(base, first, at: start, end: end)
        else { return nil }
        if first == 0xF0 {
          element = Element(isInteger: false, integer: 0, start: start &+ 5, count: Int(value))
        } else {
          element.integer = value
        }
        size = largerSize
      }
      guard size < left else { return nil }
      if size < 128 {
        guard byte(start &+ size) == size else { return nil }
        position = start &+ size &+ 1
      } else {
        guard let next = unsafe Self.longBacklenEnd(base, start, size, end: end) else {
          return nil
        }
        position = next
      }
      return element
    }

    /// The size and value of an element whose first byte is 0xF0 or above: a string with a
    /// 32-bit length (the value is the length) or a 16-, 24-, 32- or 64-bit integer
    /// (``ListpackReader/integerElement(_:_:_:_:)``); nil for any other byte or when its
    /// header runs past `end`.
    @unsafe private static func largerForm(
      _ base: UnsafeRawPointer, _ first: Int, at start: Int, end: Int
    ) -> (Int, Int64)? {
      guard first == 0xF0 else {
        let (size, value) = unsafe ListpackReader.integerElement(base, start, UInt8(first), end)
        return size > 0 ? (size, value) : nil
      }
      guard end &- start >= 5 else { return nil }
      let length = Int(
        UInt32(
          littleEndian: unsafe base.loadUnaligned(fromByteOffset: start &+ 1, as: UInt32.self)))
      return (5 &+ length, Int64(length))
    }

    /// The offset after the element of `size` bytes (128 or more) at `start` and its
    /// back-length, when the back-length is there in the server's form: its bytes, last
    /// first, give the size 7 bits at a time, each but the earliest with the continuation
    /// bit.
    @unsafe private static func longBacklenEnd(
      _ base: UnsafeRawPointer, _ start: Int, _ size: Int, end: Int
    ) -> Int? {
      let backlenSize = ListpackReader.backlenSize(of: size)
      guard backlenSize <= end &- start &- size else { return nil }
      let next = start &+ size &+ backlenSize
      var decoded = 0
      var shift = 0
      var index = next &- 1
      while true {
        let byte = Int(unsafe base.load(fromByteOffset: index, as: UInt8.self))
        decoded |= (byte & 0x7F) << shift
        if byte & 0x80 == 0 { break }
        shift &+= 7
        index &-= 1
        guard index >= start &+ size else { return nil }
      }
      guard decoded == size, index == start &+ size else { return nil }
      return next
    }
  }
}
