import RDBKit

/// Builds small RDB images byte by byte for tests: header, opcodes, lengths, strings, blobs,
/// and an EOF with a correct CRC-64 trailer.
///
///     var image = RDBImageBuilder(version: 12)
///     image.key(type: 0, "k")
///     image.string("v")
///     let bytes = image.finished()
///
/// ``offset`` is the absolute offset of the next byte written, which is how tests predict the
/// offset of an expected ``RDBError``.
struct RDBImageBuilder {
  private(set) var bytes: [UInt8]

  /// A `REDIS` header with a 4-digit version (`REDIS0012`).
  init(version: Int = 12) {
    let digits = String(version)
    bytes = Array(("REDIS" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits).utf8)
  }

  /// An arbitrary 9-byte (or other) header, such as `VALKEY080`.
  init(header: String) {
    bytes = Array(header.utf8)
  }

  /// The offset of the next byte written.
  var offset: Int { bytes.count }

  mutating func raw(_ more: [UInt8]) { bytes += more }
  mutating func byte(_ value: UInt8) { bytes.append(value) }

  /// An RDB length in its shortest form.
  mutating func length(_ value: UInt64) { bytes += Self.length(value) }

  /// An RDB string stored raw.
  mutating func string(_ value: [UInt8]) {
    length(UInt64(value.count))
    bytes += value
  }

  mutating func string(_ value: String) { string(Array(value.utf8)) }

  /// A type byte and a raw key name.
  mutating func key(type: UInt8, _ name: String) {
    byte(type)
    string(name)
  }

  mutating func littleEndian<T: FixedWidthInteger>(_ value: T) {
    bytes += Self.littleEndian(value)
  }

  /// `AUX` with a raw name and value.
  mutating func aux(_ name: String, _ value: String) {
    byte(0xFA)
    string(name)
    string(value)
  }

  /// The bytes up to here, then EOF and the CRC-64 (or 8 zero bytes when `checksum` is false).
  func finished(checksum: Bool = true) -> [UInt8] {
    var out = bytes
    out.append(0xFF)
    let crc = checksum ? Self.crc64(out) : 0
    out += Self.littleEndian(crc)
    return out
  }

  /// The bytes up to here and EOF, with no trailer (RDB 1–4).
  func finishedWithoutChecksum() -> [UInt8] { bytes + [0xFF] }

  // MARK: - Encodings as byte arrays

  /// The shortest RDB length encoding of `value`.
  static func length(_ value: UInt64) -> [UInt8] {
    if value < 64 { return [UInt8(value)] }
    if value < 16384 { return [0x40 | UInt8(value >> 8), UInt8(value & 0xFF)] }
    if value <= UInt64(UInt32.max) { return [0x80] + bigEndian(UInt32(value)) }
    return [0x81] + bigEndian(value)
  }

  static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value.littleEndian) { Array($0) }
  }

  static func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value.bigEndian) { Array($0) }
  }

  /// The CRC-64 of `bytes` through RDBKit's own table (its check value is tested separately).
  static func crc64(_ bytes: [UInt8]) -> UInt64 {
    bytes.withUnsafeBytes { CRC64.update(0, $0) }
  }

  /// Replaces the 8-byte trailer of a finished image with the CRC of everything before it.
  static func resealed(_ image: [UInt8]) -> [UInt8] {
    var out = Array(image.dropLast(8))
    out += littleEndian(crc64(out))
    return out
  }
}

/// One ziplist entry's encoding header and data (without prevlen).
enum ZiplistEntry {
  /// A string in the shortest header form (6-, 14- or 32-bit length).
  case string([UInt8])
  /// A string with a forced header width: 1, 2 or 5 bytes.
  case stringForced([UInt8], header: Int)
  case int16(Int16), int32(Int32), int64(Int64), int24(Int32), int8(Int8)
  /// An immediate 0…12.
  case immediate(UInt8)
  /// Bytes used verbatim as encoding and data.
  case verbatim([UInt8])

  var encoded: [UInt8] {
    switch self {
    case .string(let value):
      let header = value.count < 64 ? 1 : value.count < 16384 ? 2 : 5
      return ZiplistEntry.stringForced(value, header: header).encoded
    case .stringForced(let value, let header):
      switch header {
      case 1: return [UInt8(value.count)] + value
      case 2: return [0x40 | UInt8(value.count >> 8), UInt8(value.count & 0xFF)] + value
      default: return [0x80] + RDBImageBuilder.bigEndian(UInt32(value.count)) + value
      }
    case .int16(let value): return [0xC0] + RDBImageBuilder.littleEndian(value)
    case .int32(let value): return [0xD0] + RDBImageBuilder.littleEndian(value)
    case .int64(let value): return [0xE0] + RDBImageBuilder.littleEndian(value)
    case .int24(let value): return [0xF0] + Array(RDBImageBuilder.littleEndian(value).prefix(3))
    case .int8(let value): return [0xFE, UInt8(bitPattern: value)]
    case .immediate(let value): return [0xF1 + value]
    case .verbatim(let bytes): return bytes
    }
  }
}

/// Builds a valid ziplist: header, entries with correct prevlens, tail and count, `0xFF`.
func ziplist(_ entries: [ZiplistEntry], count: UInt16? = nil) -> [UInt8] {
  var body: [UInt8] = []
  var previous = 0
  var tail = 10
  for entry in entries {
    tail = 10 + body.count
    let prevlen: [UInt8] =
      previous < 254 ? [UInt8(previous)] : [0xFE] + RDBImageBuilder.littleEndian(UInt32(previous))
    let whole = prevlen + entry.encoded
    body += whole
    previous = whole.count
  }
  let total = 10 + body.count + 1
  return RDBImageBuilder.littleEndian(UInt32(total)) + RDBImageBuilder.littleEndian(UInt32(tail))
    + RDBImageBuilder.littleEndian(count ?? UInt16(entries.count)) + body + [0xFF]
}

/// One listpack element's encoding and data (backlen is added by ``listpack(_:count:)``).
enum ListpackElement {
  /// A string in the shortest form (6-bit, 12-bit or 32-bit length).
  case string([UInt8])
  /// A string with a forced form: 6, 12 or 32.
  case stringForced([UInt8], bits: Int)
  case uint7(UInt8), int13(Int16), int16(Int16), int24(Int32), int32(Int32), int64(Int64)
  case verbatim([UInt8])

  var encoded: [UInt8] {
    switch self {
    case .string(let value):
      return ListpackElement.stringForced(
        value, bits: value.count < 64 ? 6 : value.count < 4096 ? 12 : 32
      )
      .encoded
    case .stringForced(let value, let bits):
      switch bits {
      case 6: return [0x80 | UInt8(value.count)] + value
      case 12: return [0xE0 | UInt8(value.count >> 8), UInt8(value.count & 0xFF)] + value
      default: return [0xF0] + RDBImageBuilder.littleEndian(UInt32(value.count)) + value
      }
    case .uint7(let value): return [value & 0x7F]
    case .int13(let value):
      let raw = UInt16(bitPattern: value) & 0x1FFF
      return [0xC0 | UInt8(raw >> 8), UInt8(raw & 0xFF)]
    case .int16(let value): return [0xF1] + RDBImageBuilder.littleEndian(value)
    case .int24(let value): return [0xF2] + Array(RDBImageBuilder.littleEndian(value).prefix(3))
    case .int32(let value): return [0xF3] + RDBImageBuilder.littleEndian(value)
    case .int64(let value): return [0xF4] + RDBImageBuilder.littleEndian(value)
    case .verbatim(let bytes): return bytes
    }
  }
}

/// The backlen bytes for an element whose encoding and data take `size` bytes.
func listpackBacklen(_ size: Int) -> [UInt8] {
  if size < 128 { return [UInt8(size)] }
  if size < 16383 { return [UInt8(size >> 7), UInt8(size & 0x7F) | 0x80] }
  if size < 2_097_151 {
    return [UInt8(size >> 14), UInt8((size >> 7) & 0x7F) | 0x80, UInt8(size & 0x7F) | 0x80]
  }
  return [
    UInt8(size >> 21), UInt8((size >> 14) & 0x7F) | 0x80, UInt8((size >> 7) & 0x7F) | 0x80,
    UInt8(size & 0x7F) | 0x80,
  ]
}

/// Builds a valid listpack: total bytes, count, elements with backlens, `0xFF`.
func listpack(_ elements: [ListpackElement], count: UInt16? = nil) -> [UInt8] {
  var body: [UInt8] = []
  for element in elements {
    let encoded = element.encoded
    body += encoded + listpackBacklen(encoded.count)
  }
  return RDBImageBuilder.littleEndian(UInt32(6 + body.count + 1))
    + RDBImageBuilder.littleEndian(count ?? UInt16(elements.count)) + body + [0xFF]
}

/// Builds an intset of `width` bytes per member.
func intset(width: Int, _ members: [Int64], declared: UInt32? = nil) -> [UInt8] {
  var out =
    RDBImageBuilder.littleEndian(UInt32(width))
    + RDBImageBuilder.littleEndian(declared ?? UInt32(members.count))
  for member in members {
    switch width {
    case 2: out += RDBImageBuilder.littleEndian(Int16(member))
    case 4: out += RDBImageBuilder.littleEndian(Int32(member))
    default: out += RDBImageBuilder.littleEndian(member)
    }
  }
  return out
}

/// Builds a zipmap of field/value pairs with the given `free` padding after each value.
func zipmap(_ pairs: [([UInt8], [UInt8])], free: UInt8 = 0, count: UInt8? = nil) -> [UInt8] {
  func length(_ value: Int) -> [UInt8] {
    value < 254 ? [UInt8(value)] : [0xFE] + RDBImageBuilder.littleEndian(UInt32(value))
  }
  var out: [UInt8] = [count ?? UInt8(min(pairs.count, 254))]
  for (field, value) in pairs {
    out += length(field.count) + field + length(value.count) + [free] + value
    out += [UInt8](repeating: 0, count: Int(free))
  }
  return out + [0xFF]
}

/// UTF-8 bytes of a string, for brevity in tests.
func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Lowercase hex of bytes, as ``RecordCollector`` stores strings.
func hexBytes(_ bytes: [UInt8]) -> String {
  let digits = Array("0123456789abcdef")
  return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
}

/// Lowercase hex of text.
func hexText(_ text: String) -> String { hexBytes(Array(text.utf8)) }
