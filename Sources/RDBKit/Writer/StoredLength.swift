/// An RDB length (6, 14, 32 or 64 bits) read from the bytes of a value the writer copies or
/// transcodes, where a malformed one is not an error: the caller falls back to the decoder,
/// which says what is wrong.
enum StoredLength {
  /// The length at `position` in `raw`, which moves past it; nil for an encoding byte, too
  /// few bytes, or a length over `UInt32.max`.
  @unsafe static func read(_ raw: UnsafeRawBufferPointer, at position: inout Int) -> Int? {
    guard position < raw.count else { return nil }
    let first = unsafe raw[position]
    let width: Int
    switch first {
    case ..<0x40:
      position &+= 1
      return Int(first)
    case ..<0x80:
      guard position &+ 2 <= raw.count else { return nil }
      defer { position &+= 2 }
      return Int(first & 0x3F) << 8 | Int(unsafe raw[position &+ 1])
    case 0x80: width = 4
    case 0x81: width = 8
    default: return nil
    }
    guard position &+ 1 &+ width <= raw.count else { return nil }
    var value: UInt64 = 0
    for index in 1...width { value = value << 8 | UInt64(unsafe raw[position &+ index]) }
    position &+= 1 &+ width
    return value <= UInt64(UInt32.max) ? Int(value) : nil
  }
}
