/// Seeds for what the fixtures hold little or nothing of: every integer and string form of
/// ziplists and listpacks (each in a list, and in pairs as a hash and a sorted set), intsets
/// of each width, zipmaps (Redis 2.4, which no fixture comes from) with padding and long
/// lengths, and LZF strings compressed and in literal runs.
enum HandBuiltSeeds {
  static var all: [[UInt8]] {
    var seeds: [[UInt8]] = []
    var entries = PackedEntries()
    entries.entries = MutationSource.edgeIntegers.map { .init(value: .integer($0)) }
    for length in [0, 1, 63, 64, 253, 254, 4095, 4096] {
      entries.entries.append(.init(value: .string([UInt8](repeating: 0x61, count: length))))
    }
    entries.entries.append(.init(value: .string(Array("3.25".utf8))))
    entries.entries.append(.init(value: .string(Array("12".utf8))))
    var fields = LengthFields()
    for kind in DecoderKind.allCases where kind != .streamNode {
      switch kind.family {
      case .ziplist: seeds.append([kind.rawValue] + entries.ziplist(&fields))
      case .listpack: seeds.append([kind.rawValue] + entries.listpack(&fields))
      default: break
      }
    }
    for width in [2, 4, 8] {
      var members = IntsetMembers()
      members.width = width
      members.members = [-3, 0, 7] + (width > 2 ? [70_000] : []) + (width > 4 ? [1 << 40] : [])
      seeds.append([DecoderKind.intset.rawValue] + members.intset(&fields))
    }
    var pairs = ZipmapPairs([])
    pairs.pairs = [
      .init(field: Array("name".utf8), value: Array("value".utf8)),
      .init(field: Array("padded".utf8), value: [1, 2, 3], free: 2),
      .init(
        field: Array("long".utf8), value: [UInt8](repeating: 0x62, count: 300), longLengths: true),
    ]
    seeds.append([DecoderKind.zipmap.rawValue] + pairs.zipmap(&fields))
    let text = Array(String(repeating: "abcdefgh", count: 40).utf8)
    for literalOnly in [false, true] {
      seeds.append(
        [DecoderKind.lzfString.rawValue] + LZFString.compressedBlob(text, literalOnly: literalOnly))
    }
    return seeds
  }
}
