/// What an input of `FuzzDecoders` holds: its first byte picks one of these (modulo their
/// number), the rest is the blob, which the target decodes alone and as the value of a
/// one-key RDB file of ``valueType``.
enum DecoderKind: UInt8, CaseIterable {
  case listZiplist, hashZiplist, sortedSetZiplist, quicklistZiplistNode
  case quicklistListpackNode, hashListpack, sortedSetListpack, setListpack, hashListpackEx
  case streamNode
  case intset
  case zipmap
  /// A string stored LZF-compressed; the blob is the announced length (u32 LE), then the
  /// compressed bytes.
  case lzfString

  /// The blob's structure.
  enum Family { case ziplist, listpack, intset, zipmap, lzf }

  var family: Family {
    switch self {
    case .listZiplist, .hashZiplist, .sortedSetZiplist, .quicklistZiplistNode: .ziplist
    case .quicklistListpackNode, .hashListpack, .sortedSetListpack, .setListpack,
      .hashListpackEx, .streamNode:
      .listpack
    case .intset: .intset
    case .zipmap: .zipmap
    case .lzfString: .lzf
    }
  }

  /// The RDB type byte of the value that holds the blob.
  var valueType: UInt8 {
    switch self {
    case .listZiplist: 10
    case .hashZiplist: 13
    case .sortedSetZiplist: 12
    case .quicklistZiplistNode: 14
    case .quicklistListpackNode: 18
    case .hashListpack: 16
    case .sortedSetListpack: 17
    case .setListpack: 20
    case .hashListpackEx: 25
    case .streamNode: 15
    case .intset: 11
    case .zipmap: 9
    case .lzfString: 0
    }
  }

  /// The kind an input's first byte picks.
  init(selector: UInt8) {
    self = Self.allCases[Int(selector) % Self.allCases.count]
  }

  /// The kinds of the same family, for a mutation that keeps the blob and changes its use.
  var siblings: [DecoderKind] { Self.allCases.filter { $0.family == family } }
}
