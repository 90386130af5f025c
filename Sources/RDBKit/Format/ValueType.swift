/// The type byte of a key/value record (RDB_TYPE_* in rdb.h): the data type and how the
/// file stores it.
public enum ValueType: UInt8, Sendable, CaseIterable {
  /// `RDB_TYPE_STRING`.
  case string = 0
  /// `RDB_TYPE_LIST`: a count, then the elements (RDB 1–6 linked lists).
  case list = 1
  /// `RDB_TYPE_SET`: a count, then the members.
  case set = 2
  /// `RDB_TYPE_ZSET`: members with text scores.
  case sortedSet = 3
  /// `RDB_TYPE_HASH`: a count, then field/value pairs.
  case hash = 4
  /// `RDB_TYPE_ZSET_2`: members with binary double scores.
  case sortedSet2 = 5
  /// `RDB_TYPE_MODULE_PRE_GA`: a module value written by Redis 4.0 release candidates.
  case modulePreGA = 6
  /// `RDB_TYPE_MODULE_2`: a module value framed by opcodes.
  case module2 = 7
  /// `RDB_TYPE_HASH_ZIPMAP`.
  case hashZipmap = 9
  /// `RDB_TYPE_LIST_ZIPLIST`.
  case listZiplist = 10
  /// `RDB_TYPE_SET_INTSET`.
  case setIntset = 11
  /// `RDB_TYPE_ZSET_ZIPLIST`.
  case sortedSetZiplist = 12
  /// `RDB_TYPE_HASH_ZIPLIST`.
  case hashZiplist = 13
  /// `RDB_TYPE_LIST_QUICKLIST`: ziplist nodes.
  case listQuicklist = 14
  /// `RDB_TYPE_STREAM_LISTPACKS`.
  case streamListpacks = 15
  /// `RDB_TYPE_HASH_LISTPACK`.
  case hashListpack = 16
  /// `RDB_TYPE_ZSET_LISTPACK`.
  case sortedSetListpack = 17
  /// `RDB_TYPE_LIST_QUICKLIST_2`: listpack or plain nodes.
  case listQuicklist2 = 18
  /// `RDB_TYPE_STREAM_LISTPACKS_2`.
  case streamListpacks2 = 19
  /// `RDB_TYPE_SET_LISTPACK`.
  case setListpack = 20
  /// `RDB_TYPE_STREAM_LISTPACKS_3`.
  case streamListpacks3 = 21
  /// Type 22: Redis 7.4-rc `RDB_TYPE_HASH_METADATA_PRE_GA`, or Valkey 9 `HASH_2` in a
  /// `VALKEY` file.
  case hashMetadataPreGA = 22
  /// `RDB_TYPE_HASH_LISTPACK_EX_PRE_GA` (Redis 7.4-rc).
  case hashListpackExPreGA = 23
  /// `RDB_TYPE_HASH_METADATA`: a hash table hash with field TTLs.
  case hashMetadata = 24
  /// `RDB_TYPE_HASH_LISTPACK_EX`: a listpack hash with field TTLs.
  case hashListpackEx = 25
  /// `RDB_TYPE_STREAM_LISTPACKS_4` (Redis 8.6, RDB 13): type 21 followed by the stream's
  /// idempotent-producer (IDMP) state.
  case streamListpacks4 = 26

  /// The data type, as the server's `TYPE` command names it.
  public var dataType: DataType {
    switch self {
    case .string: return .string
    case .list, .listZiplist, .listQuicklist, .listQuicklist2: return .list
    case .set, .setIntset, .setListpack: return .set
    case .sortedSet, .sortedSet2, .sortedSetZiplist, .sortedSetListpack: return .sortedSet
    case .hash, .hashZipmap, .hashZiplist, .hashListpack, .hashMetadataPreGA,
      .hashListpackExPreGA, .hashMetadata, .hashListpackEx:
      return .hash
    case .streamListpacks, .streamListpacks2, .streamListpacks3, .streamListpacks4:
      return .stream
    case .modulePreGA, .module2: return .module
    }
  }

  /// The `OBJECT ENCODING` name of the structure the file stores (strings and lists refine it
  /// from their contents; see ``KeyInfo/encoding``).
  public var storedEncoding: Encoding {
    switch self {
    case .string: return .raw
    case .list: return .linkedlist
    case .set, .hash, .hashMetadataPreGA, .hashMetadata: return .hashtable
    case .sortedSet, .sortedSet2: return .skiplist
    case .modulePreGA, .module2: return .raw
    case .hashZipmap: return .zipmap
    case .listZiplist, .sortedSetZiplist, .hashZiplist: return .ziplist
    case .setIntset: return .intset
    case .listQuicklist, .listQuicklist2: return .quicklist
    case .streamListpacks, .streamListpacks2, .streamListpacks3, .streamListpacks4:
      return .stream
    case .hashListpack, .sortedSetListpack, .setListpack: return .listpack
    case .hashListpackExPreGA, .hashListpackEx: return .listpackex
    }
  }
}

/// A data type as the server's `TYPE` command names it (`module` for module values).
public enum DataType: String, Sendable, CaseIterable {
  case string, list, set, hash, stream, module
  /// `zset`.
  case sortedSet = "zset"
}

/// An in-memory encoding, named as the server's `OBJECT ENCODING` reply names it.
public enum Encoding: String, Sendable, CaseIterable {
  case int, embstr, raw, linkedlist, ziplist, quicklist, listpack, listpackex, intset, hashtable
  case skiplist, zipmap, stream
}
