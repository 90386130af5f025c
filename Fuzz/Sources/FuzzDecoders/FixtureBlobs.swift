import RDBKit

/// The blobs of an RDB file's values, cut out as `FuzzDecoders` inputs: the parser finds
/// each key's type byte, and the value after the key name is read here by its type.
struct FixtureBlobs: RDBHandler {
  static var needsElements: Bool { false }
  private var records: [(offset: Int, type: UInt8)] = []

  mutating func beginKey(_ key: RawSpan, info: KeyInfo) throws(RDBError) -> KeyDecision {
    records.append((info.offset, info.type.rawValue))
    return .skip
  }

  /// The inputs of every packed value (ziplists, listpacks, intsets, zipmaps, quicklist and
  /// stream nodes) and every LZF string in `file`, which must parse.
  static func seeds(in file: [UInt8]) -> [[UInt8]] {
    var finder = FixtureBlobs()
    guard (try? RDBParser().parse(file, into: &finder)) != nil else { return [] }
    var seeds: [[UInt8]] = []
    for (offset, type) in finder.records {
      var cursor = StringCursor(file, at: offset + 1)
      cursor.string(&seeds)
      let kind: DecoderKind? =
        switch type {
        case 9: .zipmap
        case 10: .listZiplist
        case 11: .intset
        case 12: .sortedSetZiplist
        case 13: .hashZiplist
        case 16: .hashListpack
        case 17: .sortedSetListpack
        case 20: .setListpack
        case 23, 25: .hashListpackEx
        default: nil
        }
      if type == 0 {
        cursor.string(&seeds)
        continue
      }
      if let kind {
        if type == 25 { cursor.skip(8) }
        if let blob = cursor.string(&seeds) { seeds.append([kind.rawValue] + blob) }
        continue
      }
      let nodes = cursor.length()
      for _ in 0..<min(nodes, 1024) {
        switch type {
        case 14:
          if let blob = cursor.string(&seeds) {
            seeds.append([DecoderKind.quicklistZiplistNode.rawValue] + blob)
          }
        case 18:
          let container = cursor.length()
          if let blob = cursor.string(&seeds), container == 2 {
            seeds.append([DecoderKind.quicklistListpackNode.rawValue] + blob)
          }
        case 15, 19, 21, 26:
          cursor.string(&seeds)
          if let blob = cursor.string(&seeds) {
            seeds.append([DecoderKind.streamNode.rawValue] + blob)
          }
        default:
          break
        }
      }
    }
    return seeds
  }
}
