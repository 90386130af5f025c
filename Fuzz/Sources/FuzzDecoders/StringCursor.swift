/// Reads RDB lengths and strings from a file the parser has accepted, from a key's value on.
/// A read past the end (a value of a type read here by a wrong guess) reads zeros and empty
/// strings, never out of bounds.
struct StringCursor {
  private let file: [UInt8]
  private var position: Int

  init(_ file: [UInt8], at position: Int) {
    self.file = file
    self.position = position
  }

  mutating func skip(_ count: Int) { position += count }

  /// The next `count` bytes (fewer at the end of the file).
  private mutating func take(_ count: Int) -> ArraySlice<UInt8> {
    let start = min(max(position, 0), file.count)
    let end = count > file.count - start ? file.count : start + count
    position = end
    return file[start..<end]
  }

  /// A length (0 for an encoded string's marker, which ``string(_:)`` reads instead).
  mutating func length() -> Int {
    let first = take(1).first ?? 0
    switch first >> 6 {
    case 0: return Int(first & 0x3F)
    case 1: return Int(first & 0x3F) << 8 | Int(take(1).first ?? 0)
    case 2: return take(first == 0x80 ? 4 : 8).reduce(0) { $0 << 8 | Int($1 & 0x7F) }
    default: return 0
    }
  }

  /// The next string (nil for an integer-encoded one); an LZF string also adds its
  /// compressed form to `seeds`.
  @discardableResult
  mutating func string(_ seeds: inout [[UInt8]]) -> [UInt8]? {
    guard position < file.count else { return nil }
    let first = file[position]
    guard first >> 6 == 3 else { return Array(take(length())) }
    position += 1
    switch first {
    case 0xC0: skip(1)
    case 0xC1: skip(2)
    case 0xC2: skip(4)
    default:
      let compressedLength = length()
      let announced = length()
      let blob = PackedEntries.littleEndian(UInt64(announced), 4) + take(compressedLength)
      seeds.append([DecoderKind.lzfString.rawValue] + blob)
      return DirectWalk.elements(.lzfString, blob)?.first
    }
    return nil
  }
}
