/// Ziplists: entries of prevlen (1 byte, or 0xFE and a u32), encoding and data, after a
/// header of total bytes, tail offset and entry count.
extension PackedEntries {
  /// The entries whose encodings can be followed from byte 10 of `blob`.
  init(ziplist blob: [UInt8]) {
    let end = blob.count - 1
    var position = 10
    while position < end, blob[position] != 0xFF {
      let longPrevlen = blob[position] == 0xFE
      position += longPrevlen ? 5 : 1
      guard position < end else { break }
      let encoding = blob[position]
      var entry: Entry
      if encoding >> 6 < 3 {
        let form = Int(encoding >> 6)
        let header = [1, 2, 5][form]
        guard position + header <= end else { break }
        let length =
          switch form {
          case 0: Int(encoding & 0x3F)
          case 1: Int(encoding & 0x3F) << 8 | Int(blob[position + 1])
          default: (1...4).reduce(0) { $0 << 8 | Int(blob[position + $1]) }
          }
        guard length <= end - position - header else { break }
        let start = position + header
        entry = Entry(value: .string(Array(blob[start..<start + length])))
        entry.widening = max(0, form - Self.ziplistStringForm(length))
        position = start + length
      } else {
        guard let form = Self.ziplistIntegerForms.firstIndex(where: { $0.matches(encoding) }),
          position + Self.ziplistIntegerForms[form].size < end
        else { break }
        let size = Self.ziplistIntegerForms[form].size
        let value =
          size == 0
          ? Int64(encoding & 0x0F) - 1 : Self.signed(Array(blob[position + 1...position + size]))
        entry = Entry(value: .integer(value))
        entry.widening = max(0, form - Self.ziplistIntegerForm(value))
        position += 1 + size
      }
      entry.longPrevlen = longPrevlen
      entries.append(entry)
    }
  }

  /// The ziplist of the entries, its header and prevlens consistent; `fields` gets where
  /// its length fields are.
  func ziplist(_ fields: inout LengthFields) -> [UInt8] {
    var blob = [UInt8](repeating: 0, count: 10)
    fields.add(0, width: 4)
    fields.add(4, width: 4)
    fields.add(8, width: 2)
    var previous = 0
    var last = 10
    for entry in entries {
      let start = blob.count
      Self.appendShortOrLong(previous, long: entry.longPrevlen, to: &blob, &fields)
      switch entry.value {
      case let .string(bytes):
        let length = bytes.count
        switch min(Self.ziplistStringForm(length) + entry.widening, 2) {
        case 0: blob.append(UInt8(length))
        case 1: blob += [0x40 | UInt8(length >> 8), UInt8(truncatingIfNeeded: length)]
        default: blob += [0x80] + Self.littleEndian(UInt64(length), 4).reversed()
        }
        blob += bytes
      case let .integer(value):
        let form = Self.ziplistIntegerForms[
          min(Self.ziplistIntegerForm(value) + entry.widening, Self.ziplistIntegerForms.count - 1)]
        if form.size == 0 {
          blob.append(0xF1 + UInt8(value))
        } else {
          blob.append(form.encoding)
          blob += Self.littleEndian(UInt64(bitPattern: value), form.size)
        }
      }
      previous = blob.count - start
      last = start
    }
    blob.append(0xFF)
    Self.store(UInt64(blob.count), 4, at: 0, in: &blob)
    Self.store(UInt64(last), 4, at: 4, in: &blob)
    Self.store(UInt64(min(entries.count, 65535)), 2, at: 8, in: &blob)
    return blob
  }

  /// A ziplist integer form: its encoding byte (the first of 0xF1–0xFD for the 4-bit
  /// immediate) and its data size; narrowest first.
  struct IntegerForm {
    let encoding: UInt8
    let size: Int
    func matches(_ byte: UInt8) -> Bool {
      size == 0 ? (0xF1...0xFD).contains(byte) : byte == encoding
    }
  }

  static let ziplistIntegerForms = [
    IntegerForm(encoding: 0xF1, size: 0), IntegerForm(encoding: 0xFE, size: 1),
    IntegerForm(encoding: 0xC0, size: 2), IntegerForm(encoding: 0xF0, size: 3),
    IntegerForm(encoding: 0xD0, size: 4), IntegerForm(encoding: 0xE0, size: 8),
  ]

  static func ziplistIntegerForm(_ value: Int64) -> Int {
    switch value {
    case 0...12: 0
    case -128...127: 1
    case -32768...32767: 2
    case -8_388_608...8_388_607: 3
    case -2_147_483_648...2_147_483_647: 4
    default: 5
    }
  }

  static func ziplistStringForm(_ length: Int) -> Int { length <= 63 ? 0 : length <= 16383 ? 1 : 2 }

  /// The little-endian two's-complement integer of `bytes` (1 to 8 of them).
  static func signed(_ bytes: [UInt8]) -> Int64 {
    let raw = bytes.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    let unused = 64 - 8 * bytes.count
    return Int64(bitPattern: raw << unused) >> unused
  }

  /// Appends `value` as a ziplist prevlen and a zipmap length are written: one byte under
  /// 254 (unless `long`), else 254 and four bytes; the bytes that hold it join `fields`.
  static func appendShortOrLong(
    _ value: Int, long: Bool, to blob: inout [UInt8], _ fields: inout LengthFields
  ) {
    if value < 254, !long {
      fields.add(blob.count, width: 1)
      blob.append(UInt8(value))
    } else {
      blob.append(254)
      fields.add(blob.count, width: 4)
      blob += littleEndian(UInt64(value), 4)
    }
  }

  static func littleEndian(_ value: UInt64, _ width: Int) -> [UInt8] {
    (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
  }

  static func store(_ value: UInt64, _ width: Int, at offset: Int, in blob: inout [UInt8]) {
    blob.replaceSubrange(offset..<offset + width, with: littleEndian(value, width))
  }
}
