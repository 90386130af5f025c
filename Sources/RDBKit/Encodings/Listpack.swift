/// Walks a listpack blob (types 16–18, 20, 23, 25 and stream nodes), applying the deep
/// checks of Redis's `lpValidateIntegrity`.
///
/// Layout: total bytes u32 LE, element count u16 LE (`0xFFFF` = unknown), elements, `0xFF`.
/// Each element is its encoding and data, then `backlen`, the size of those two written in
/// 1–5 bytes of 7 bits so it can be read backwards.
@safe struct ListpackReader {
  private let bytes: UnsafeRawBufferPointer
  private let origin: Int
  private let declaredCount: Int
  private let checksCount: Bool
  private var position = 6
  /// Elements read so far.
  private(set) var count = 0

  /// Checks the header of `bytes`; `origin` is the file offset reported in errors.
  /// `checksCount: false` leaves the header's element count unchecked at the end, as the
  /// server does for a stream node (whose entries it walks by their own counts); the caller
  /// compares ``headerCount`` with ``count``.
  @unsafe init(_ bytes: UnsafeRawBufferPointer, origin: Int, checksCount: Bool = true)
    throws(RDBError)
  {
    unsafe self.bytes = bytes
    self.origin = origin
    self.checksCount = checksCount
    guard bytes.count >= 7 else { throw Self.corrupt("\(bytes.count) bytes is too short", origin) }
    let total = unsafe Int(bytes.littleEndian(at: 0, as: UInt32.self))
    guard total == bytes.count else {
      throw Self.corrupt("header says \(total) bytes, string holds \(bytes.count)", origin)
    }
    guard unsafe bytes[bytes.count &- 1] == 0xFF else {
      throw Self.corrupt("no end marker", origin)
    }
    declaredCount = unsafe Int(bytes.littleEndian(at: 4, as: UInt16.self))
  }

  /// The element count the header declares, or nil when it says "unknown".
  var headerCount: Int? { declaredCount == 0xFFFF ? nil : declaredCount }

  private static func corrupt(_ reason: String, _ origin: Int) -> RDBError {
    RDBError(.corruptStructure(structure: "listpack", reason: reason), at: origin)
  }

  private func fail(_ reason: String) -> RDBError {
    Self.corrupt("element \(count) at blob byte \(position): \(reason)", origin)
  }

  /// Whether every element has been read (the next byte is the end marker).
  var isAtEnd: Bool { unsafe position >= bytes.count &- 1 }

  /// Returns the next element, or nil after the last one (having checked the count).
  @inline(__always)
  mutating func next() throws(RDBError) -> PackedElement? {
    let end = unsafe bytes.count &- 1
    guard position < end else {
      if checksCount, declaredCount != 0xFFFF, declaredCount != count {
        throw fail("header counts \(declaredCount) elements, found \(count)")
      }
      return nil
    }
    let start = position
    let first = unsafe bytes[position]
    let element: PackedElement
    var size: Int  // encoding + data
    if first < 0x80 {
      element = PackedElement(integer: Int64(first))
      size = 1
    } else if first < 0xC0 {
      let length = Int(first & 0x3F)
      size = 1 &+ length
      guard size <= end &- start else { throw fail("string runs past the end") }
      element = unsafe PackedElement(
        string: UnsafeRawBufferPointer(rebasing: bytes[start &+ 1..<start &+ size]))
    } else if first & 0xF0 == 0xE0 {
      guard 2 <= end &- start else { throw fail("string header runs past the end") }
      let length = unsafe (Int(first & 0x0F) << 8) | Int(bytes[start &+ 1])
      size = 2 &+ length
      guard size <= end &- start else { throw fail("string runs past the end") }
      element = unsafe PackedElement(
        string: UnsafeRawBufferPointer(rebasing: bytes[start &+ 2..<start &+ size]))
    } else if first == 0xF0 {
      guard 5 <= end &- start else { throw fail("string header runs past the end") }
      let length = unsafe Int(bytes.littleEndian(at: start &+ 1, as: UInt32.self))
      guard length <= end &- start &- 5 else { throw fail("string runs past the end") }
      size = 5 &+ length
      element = unsafe PackedElement(
        string: UnsafeRawBufferPointer(rebasing: bytes[start &+ 5..<start &+ size]))
    } else {
      let value: Int64
      (size, value) = unsafe Self.integerElement(
        bytes.baseAddress.unsafelyUnwrapped, start, first, end)
      guard size > 0 else {
        guard first <= 0xF4 else {
          throw fail("invalid encoding byte 0x\(String(first, radix: 16))")
        }
        throw fail("integer runs past the end")
      }
      element = PackedElement(integer: value)
    }
    // Most elements are under 128 bytes: their backlen is one byte, the size itself.
    if size < 128, size < end &- start,
      unsafe bytes[start &+ size] == UInt8(truncatingIfNeeded: size)
    {
      position = start &+ size &+ 1
      count &+= 1
      return element
    }
    let backlenSize = Self.backlenSize(of: size)
    guard backlenSize <= end &- start &- size else { throw fail("backlen runs past the end") }
    // Decode backlen backwards from its last byte, as the server's `lpDecodeBacklen` does: 7
    // bits a byte, lowest first, until a byte without the continuation bit (at most 5). A
    // writer sets that bit on every byte but the first; the server reads on past a first
    // byte that has it too, and so does this (its bytes before then add nothing when 0).
    let next = start &+ size &+ backlenSize
    var decoded = 0
    var shift = 0
    var index = next &- 1
    while true {
      let byte = unsafe bytes[index]
      decoded |= Int(byte & 0x7F) << shift
      if byte & 0x80 == 0 { break }
      shift &+= 7
      guard shift <= 28 else { throw fail("malformed backlen") }
      index &-= 1
    }
    guard decoded == size else { throw fail("backlen \(decoded) does not match size \(size)") }
    position = next
    count &+= 1
    return element
  }

  /// The next element when it is a 7-bit integer with its one-byte backlen (flags, counts and
  /// ID deltas of stream entries, mostly); nil, having read nothing, for anything else, which
  /// ``next()`` then reads and checks.
  @inline(__always)
  mutating func nextSmallInteger() -> Int64? {
    guard unsafe position &+ 1 < bytes.count &- 1 else { return nil }
    let first = unsafe bytes[position]
    guard first < 0x80, unsafe bytes[position &+ 1] == 1 else { return nil }
    position &+= 2
    count &+= 1
    return Int64(first)
  }

  /// The next element when it is a string of at most 63 bytes with its one-byte backlen
  /// (most list elements); nil, having read nothing, for anything else, which ``next()`` then
  /// reads and checks.
  @inline(__always)
  @unsafe mutating func nextShortString() -> UnsafeRawBufferPointer? {
    let end = unsafe bytes.count &- 1
    guard position < end else { return nil }
    let first = unsafe bytes[position]
    guard first & 0xC0 == 0x80 else { return nil }
    let size = 1 &+ Int(first & 0x3F)
    guard size < end &- position,
      unsafe bytes[position &+ size] == UInt8(truncatingIfNeeded: size)
    else { return nil }
    let string = unsafe UnsafeRawBufferPointer(rebasing: bytes[position &+ 1..<position &+ size])
    position &+= size &+ 1
    count &+= 1
    return unsafe string
  }

  /// The next element when it is an integer or a string of at most 63 bytes, with its
  /// one-byte backlen (most elements of hashes, sets and stream entries); nil, having read
  /// nothing, for anything else, which ``next()`` then reads and checks.
  @inline(__always)
  mutating func nextSimple() -> PackedElement? {
    let left = unsafe bytes.count &- 1 &- position
    guard left > 1 else { return nil }
    let start = position
    let first = unsafe bytes[start]
    let size: Int
    let element: PackedElement
    if first < 0x80 {
      size = 1
      element = PackedElement(integer: Int64(first))
    } else if first < 0xC0 {
      size = 1 &+ Int(first & 0x3F)
      guard size < left else { return nil }
      element = unsafe PackedElement(
        string: UnsafeRawBufferPointer(rebasing: bytes[start &+ 1..<start &+ size]))
    } else {
      let value: Int64
      (size, value) = unsafe Self.integerElement(
        bytes.baseAddress.unsafelyUnwrapped, start, first, start &+ left)
      guard size > 0, size < left else { return nil }
      element = PackedElement(integer: value)
    }
    guard unsafe bytes[start &+ size] == UInt8(truncatingIfNeeded: size) else { return nil }
    position = start &+ size &+ 1
    count &+= 1
    return element
  }

  /// The size (encoding and data) and value of the integer element at `position` of the
  /// listpack at `base`, whose first byte is `first`, in any of its six forms; size 0 when it
  /// is no integer or its data runs past `end` (the end marker's offset). For the one-pass
  /// readers of stream nodes (``StreamNodeScan``, ``StreamNodeWriter``), which read elements
  /// in place, and for ``next()`` and ``nextSimple()``.
  @inline(__always)
  static func integerElement(
    _ base: UnsafeRawPointer, _ position: Int, _ first: UInt8, _ end: Int
  ) -> (size: Int, value: Int64) {
    let size: Int
    switch first {
    case 0..<0x80: return (1, Int64(first))
    case 0xC0..<0xE0: size = 2
    case 0xF1: size = 3
    case 0xF2: size = 4
    case 0xF3: size = 5
    case 0xF4: size = 9
    default: return (0, 0)
    }
    guard size <= end &- position else { return (0, 0) }
    let data = position &+ 1
    switch size {
    case 2:
      let raw =
        unsafe Int64(first & 0x1F) << 8 | Int64(base.load(fromByteOffset: data, as: UInt8.self))
      return (size, raw >= 4096 ? raw &- 8192 : raw)
    case 3:
      return unsafe (
        size, Int64(Int16(littleEndian: base.loadUnaligned(fromByteOffset: data, as: Int16.self)))
      )
    case 4:
      // 24 bits, sign-extended.
      let raw =
        unsafe UInt32(base.load(fromByteOffset: data, as: UInt8.self))
        | UInt32(base.load(fromByteOffset: data &+ 1, as: UInt8.self)) << 8
        | UInt32(base.load(fromByteOffset: data &+ 2, as: UInt8.self)) << 16
      return (size, Int64(Int32(bitPattern: raw << 8) >> 8))
    case 5:
      return unsafe (
        size, Int64(Int32(littleEndian: base.loadUnaligned(fromByteOffset: data, as: Int32.self)))
      )
    default:
      return unsafe (
        size, Int64(littleEndian: base.loadUnaligned(fromByteOffset: data, as: Int64.self))
      )
    }
  }

  /// The offset after the element of `size` bytes (128 or more) at `position` of the
  /// listpack at `base` and its back-length, when the back-length is in the form the server
  /// writes: its bytes, last first, give the size 7 bits at a time, each but the earliest
  /// with the continuation bit. 0 for any other form, or one that runs past `end` (the end
  /// marker's offset). For the one-pass readers of stream nodes (``StreamNodeScan``,
  /// ``StreamNodeWriter``), which leave a node in another form to the walk that names it.
  static func serverBacklenEnd(
    _ base: UnsafeRawPointer, _ position: Int, _ size: Int, _ end: Int
  ) -> Int {
    let backlenSize = Self.backlenSize(of: size)
    guard backlenSize <= end &- position &- size else { return 0 }
    let next = position &+ size &+ backlenSize
    var decoded = 0
    var shift = 0
    var index = next &- 1
    while true {
      let byte = unsafe base.load(fromByteOffset: index, as: UInt8.self)
      decoded |= Int(byte & 0x7F) << shift
      if byte & 0x80 == 0 { break }
      shift &+= 7
      index &-= 1
      guard index >= position &+ size else { return 0 }
    }
    guard decoded == size, index == position &+ size else { return 0 }
    return next
  }

  @inline(__always)
  static func backlenSize(of size: Int) -> Int {
    size < 128 ? 1 : size < 16383 ? 2 : size < 2_097_151 ? 3 : size < 268_435_455 ? 4 : 5
  }
}
