/// What an RDB version can hold, as the writer needs to know it: which type bytes and
/// opcodes exist, from the header's magic and version number.
///
/// Valkey 9's `VALKEY080` holds what RDB 11 holds plus its own hash with field TTLs (type 22).
public struct WriteFormat: Sendable, Equatable {
  /// The header the file gets.
  public var version: RDBVersion

  /// The format of `version`.
  public init(_ version: RDBVersion) {
    self.version = version
  }

  /// The version number the capabilities follow: a Valkey file counts as RDB 11.
  private var level: Int { version.magic == .valkey ? 11 : version.number }

  /// `EXPIRETIME_MS` (RDB 3+); before, expiries are whole seconds.
  var hasMillisecondExpiry: Bool { level >= 3 }
  /// The CRC-64 trailer (RDB 5+).
  var hasChecksum: Bool { version.hasChecksum }
  /// The 1-, 8- and 24-bit ziplist integer forms (RDB 6+).
  var hasCompactZiplistIntegers: Bool { level >= 6 }
  /// `AUX` and `RESIZEDB` (RDB 7+).
  var hasAux: Bool { level >= 7 }
  /// Quicklists of ziplists, type 14 (RDB 7–9).
  var hasQuicklist: Bool { level >= 7 }
  /// Binary sorted-set scores (type 5), module values (type 7) and 64-bit lengths (RDB 8+).
  var hasBinaryScores: Bool { level >= 8 }
  /// Module values, type 7 (RDB 8+).
  var hasModules: Bool { level >= 8 }
  /// Streams, `IDLE`, `FREQ` and `MODULE_AUX` (RDB 9+).
  var hasStreams: Bool { level >= 9 }
  /// `IDLE` and `FREQ`.
  var hasEvictionData: Bool { level >= 9 }
  /// Listpacks instead of ziplists, quicklist v2, stream v2 and `FUNCTION2` (RDB 10+).
  var hasListpacks: Bool { level >= 10 }
  /// `FUNCTION2`.
  var hasFunctions: Bool { level >= 10 }
  /// Listpack sets (type 20) and stream v3 (RDB 11+).
  var hasListpackSets: Bool { level >= 11 }
  /// Hash field TTLs: Redis's types 24 and 25 (RDB 12+) or Valkey's type 22.
  var hasFieldTTLs: Bool { version.magic == .valkey || version.number >= 12 }
  /// Zipmap hashes (RDB 2–3), written by no server since.
  var hasZiplists: Bool { level >= 2 }
  /// Ziplist hashes (type 13, RDB 4+).
  var hasZiplistHashes: Bool { level >= 4 }

  /// Per-key module metadata, `KEY_META` (Redis RDB 13+).
  var hasKeyMetadata: Bool { version.isRedis13OrLater }

  /// The stream type this format writes: type 26 (with the IDMP tail) from Redis RDB 13.
  var streamType: ValueType? {
    if version.isRedis13OrLater { return .streamListpacks4 }
    switch level {
    case ..<9: return nil
    case 9: return .streamListpacks
    case 10: return .streamListpacks2
    default: return .streamListpacks3
    }
  }

  /// Whether a value stored as `type` in a file of `source`'s format can be copied into this
  /// format byte for byte: the type byte means the same here and a server of this version
  /// loads it (converting it to its own encoding where its thresholds say so, as it does with
  /// the files it wrote itself). Older compact encodings (zipmaps, ziplists after RDB 9,
  /// pre-GA field-TTL hashes), streams of another stream type and module values are
  /// re-encoded instead.
  func copies(_ type: ValueType, from source: RDBVersion) -> Bool {
    switch type {
    case .string, .list, .set, .sortedSet, .hash: return true
    case .sortedSet2: return hasBinaryScores
    case .setIntset: return hasZiplists
    case .listZiplist, .sortedSetZiplist: return hasZiplists && !hasListpacks
    case .hashZiplist: return hasZiplistHashes && !hasListpacks
    case .listQuicklist: return hasQuicklist && !hasListpacks
    case .hashListpack, .sortedSetListpack, .listQuicklist2: return hasListpacks
    case .setListpack: return hasListpackSets
    case .streamListpacks, .streamListpacks2, .streamListpacks3, .streamListpacks4:
      return type == streamType
    case .hashMetadataPreGA: return source.magic == .valkey && version.magic == .valkey
    case .hashMetadata, .hashListpackEx: return version.magic == .redis && version.number >= 12
    case .hashZipmap, .hashListpackExPreGA, .modulePreGA, .module2: return false
    }
  }
}
