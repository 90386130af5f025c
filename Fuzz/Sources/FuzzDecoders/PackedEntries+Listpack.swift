/// Listpacks: elements of encoding and data, then their size as a backlen read backwards,
/// after a header of total bytes and element count.
extension PackedEntries {
  /// The elements whose encodings can be followed from byte 6 of `blob` (backlens skipped
  /// by the size they should have, whatever they say).
  init(listpack blob: [UInt8]) {
    let end = blob.count - 1
    var position = 6
    while position < end {
      let first = blob[position]
      var entry: Entry
      let size: Int
      if first < 0x80 {
        entry = Entry(value: .integer(Int64(first)))
        size = 1
      } else if first < 0xC0 || (0xE0..<0xF0).contains(first) || first == 0xF0 {
        let form = first < 0xC0 ? 0 : first < 0xF0 ? 1 : 2
        let header = [1, 2, 5][form]
        guard position + header <= end else { break }
        let length =
          switch form {
          case 0: Int(first & 0x3F)
          case 1: Int(first & 0x0F) << 8 | Int(blob[position + 1])
          default: (1...4).reversed().reduce(0) { $0 << 8 | Int(blob[position + $1]) }
          }
        guard length <= end - position - header else { break }
        let start = position + header
        entry = Entry(value: .string(Array(blob[start..<start + length])))
        entry.widening = max(0, form - Self.listpackStringForm(length))
        size = header + length
      } else {
        let form: Int
        switch first {
        case 0xC0..<0xE0: form = 1
        case 0xF1...0xF4: form = Int(first - 0xF1) + 2
        default: form = -1
        }
        guard form > 0, position + Self.listpackIntegerSizes[form] <= end else { break }
        size = Self.listpackIntegerSizes[form]
        let value: Int64
        if form == 1 {
          let raw = Int64(first & 0x1F) << 8 | Int64(blob[position + 1])
          value = raw >= 4096 ? raw - 8192 : raw
        } else {
          value = Self.signed(Array(blob[position + 1..<position + size]))
        }
        entry = Entry(value: .integer(value))
        entry.widening = max(0, form - Self.listpackIntegerForm(value))
      }
      entries.append(entry)
      position += size + Self.backlenSize(size)
    }
  }

  /// The listpack of the entries, its header and backlens consistent; `fields` gets where
  /// its length fields are.
  func listpack(_ fields: inout LengthFields) -> [UInt8] {
    var blob = [UInt8](repeating: 0, count: 6)
    fields.add(0, width: 4)
    fields.add(4, width: 2)
    for entry in entries {
      let start = blob.count
      switch entry.value {
      case let .string(bytes):
        let length = bytes.count
        switch min(Self.listpackStringForm(length) + entry.widening, 2) {
        case 0: blob.append(0x80 | UInt8(length))
        case 1: blob += [0xE0 | UInt8(length >> 8), UInt8(truncatingIfNeeded: length)]
        default: blob += [0xF0] + Self.littleEndian(UInt64(length), 4)
        }
        blob += bytes
      case let .integer(value):
        let form = min(Self.listpackIntegerForm(value) + entry.widening, 5)
        let bits = UInt64(bitPattern: value)
        switch form {
        case 0: blob.append(UInt8(value))
        case 1: blob += [0xC0 | UInt8((bits & 0x1FFF) >> 8), UInt8(truncatingIfNeeded: bits)]
        default:
          blob.append(0xF1 + UInt8(form - 2))
          blob += Self.littleEndian(bits, Self.listpackIntegerSizes[form] - 1)
        }
      }
      let size = blob.count - start
      let groups = Self.backlenSize(size)
      for index in stride(from: groups - 1, through: 0, by: -1) {
        let group = UInt8(truncatingIfNeeded: size >> (7 * index)) & 127
        blob.append(index == groups - 1 ? group : group | 128)
      }
      fields.add(blob.count - 1, width: 1)
    }
    blob.append(0xFF)
    Self.store(UInt64(blob.count), 4, at: 0, in: &blob)
    Self.store(UInt64(min(entries.count, 65535)), 2, at: 4, in: &blob)
    return blob
  }

  /// The encoding and data size of each integer form, narrowest first.
  static let listpackIntegerSizes = [1, 2, 3, 4, 5, 9]

  static func listpackIntegerForm(_ value: Int64) -> Int {
    switch value {
    case 0...127: 0
    case -4096...4095: 1
    case -32768...32767: 2
    case -8_388_608...8_388_607: 3
    case -2_147_483_648...2_147_483_647: 4
    default: 5
    }
  }

  static func listpackStringForm(_ length: Int) -> Int { length < 64 ? 0 : length < 4096 ? 1 : 2 }

  static func backlenSize(_ size: Int) -> Int {
    size < 128 ? 1 : size < 16383 ? 2 : size < 2_097_151 ? 3 : size < 268_435_455 ? 4 : 5
  }
}
