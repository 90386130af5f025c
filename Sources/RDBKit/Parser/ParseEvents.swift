/// What a handler returns from ``RDBHandler/beginKey(_:info:)``.
public enum KeyDecision: Sendable {
  /// Decode the value and report its elements.
  case decode
  /// Step over the value without decoding it; only ``RDBHandler/endKey(_:)`` follows.
  case skip
  /// Step over the value without decoding it and hand over its bytes as they are in the file
  /// (``RDBHandler/rawValue(_:)``), then ``RDBHandler/endKey(_:)``: a writer copying values
  /// its target holds unchanged. Module metadata (`KEY_META`) is reported as for ``decode``.
  case copy
}

/// What the file says about a key before its value: where it is, its type and attributes.
public struct KeyInfo: Sendable {
  /// The database number (from the last `SELECTDB`; 0 before any).
  public var database: Int
  /// The record's type byte.
  public var type: ValueType
  /// The absolute expiry in Unix milliseconds, or nil when the key has none.
  public var expiresAt: Int64?
  /// The LRU idle time in seconds (`IDLE` opcode), when the file has it.
  public var idleSeconds: UInt64?
  /// The LFU counter (`FREQ` opcode), when the file has it.
  public var frequency: UInt8?
  /// The absolute offset of the record's type byte.
  public var offset: Int
  /// The number of module metadata classes (`KEY_META`, RDB 13) that precede the type byte;
  /// a decoded key reports each with ``RDBHandler/keyMetadata(_:payload:)``.
  public var metadataClassCount: Int = 0
  /// Whether the value is a list, set, sorted set or hash with no elements, which a loading
  /// server skips (judged from the value's first bytes before it is read: a zero count, an
  /// empty ziplist or listpack, a quicklist of empty nodes).
  public var isEmptyAggregate = false

  /// The data type, as `TYPE` names it.
  public var dataType: DataType { type.dataType }

  /// Describes a key of `type` in `database`; a handler fed by hand (a generator writing
  /// through ``RDBWriter``) makes one per key.
  public init(
    database: Int, type: ValueType, expiresAt: Int64? = nil, idleSeconds: UInt64? = nil,
    frequency: UInt8? = nil, offset: Int = 0, metadataClassCount: Int = 0
  ) {
    self.database = database
    self.type = type
    self.expiresAt = expiresAt
    self.idleSeconds = idleSeconds
    self.frequency = frequency
    self.offset = offset
    self.metadataClassCount = metadataClassCount
  }
}

/// What the parser learned about a key's value once it has passed it.
public struct KeySummary: Sendable {
  /// The encoding `OBJECT ENCODING` reports for what the file holds (see ``RDBParser``).
  public var encoding: Encoding
  /// The number of bytes the value takes in the file, from the byte after the key name.
  public var valueBytes: Int
  /// Whether the handler asked to skip the value.
  public var skipped: Bool

  /// A summary of a value of `encoding` that took `valueBytes` bytes.
  public init(encoding: Encoding, valueBytes: Int, skipped: Bool = false) {
    self.encoding = encoding
    self.valueBytes = valueBytes
    self.skipped = skipped
  }
}

/// One stored blob of a value: a ziplist, listpack, intset or zipmap, or a quicklist node.
///
/// Memory estimators need these sizes: a server keeps a blob it loads byte for byte.
public struct ValueBlob: Sendable {
  /// What the blob holds.
  public enum Kind: Sendable {
    case ziplist, listpack, intset, zipmap
    /// A quicklist PLAIN node: one list element stored on its own.
    case plainNode
  }

  /// What the blob holds.
  public var kind: Kind
  /// Its size once decoded.
  public var byteCount: Int
  /// Whether the file stores it LZF-compressed (quicklist nodes compressed in memory are).
  public var isCompressed: Bool
  /// Its size as stored in the file (the compressed size when ``isCompressed``).
  public var storedByteCount: Int
  /// The elements it holds as a handler counts them: list elements (1 for a PLAIN node), set
  /// members, sorted-set members, hash fields, a stream node's live entries. Given for a
  /// handler that asks (``RDBHandler/needsPackedElementCounts``), from the blob's header or,
  /// when the header does not say (a count of 0xFFFF), from a walk; nil otherwise.
  public var elementCount: Int? = nil
  /// A stream node's master ID: its key in the stream's radix tree. Nil for other blobs.
  public var streamNodeID: StreamID? = nil
  /// On a quicklist's first node (types 14 and 18): the node count stored before the nodes,
  /// so that a handler writing the list again node for node can write it first. Nil on
  /// every other blob.
  public var quicklistNodeCount: UInt64? = nil
}

/// A stream entry ID, `ms-seq`.
public struct StreamID: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The millisecond part.
  public var milliseconds: UInt64
  /// The sequence part.
  public var sequence: UInt64

  /// Creates `milliseconds-sequence`.
  public init(milliseconds: UInt64, sequence: UInt64) {
    self.milliseconds = milliseconds
    self.sequence = sequence
  }

  /// `ms-seq`.
  public var description: String { "\(milliseconds)-\(sequence)" }

  public static func < (lhs: StreamID, rhs: StreamID) -> Bool {
    (lhs.milliseconds, lhs.sequence) < (rhs.milliseconds, rhs.sequence)
  }
}

/// The fields a stream stores after its entries.
public struct StreamMetadata: Sendable {
  /// Live entries in the stream (`XLEN`).
  public var length: UInt64
  /// The greatest ID ever assigned.
  public var lastID: StreamID
  /// The first live entry's ID (types 19, 21, 26 only).
  public var firstID: StreamID?
  /// The greatest deleted ID (types 19, 21, 26 only).
  public var maxDeletedID: StreamID?
  /// All entries ever added (types 19, 21, 26 only).
  public var entriesAdded: UInt64?
  /// The number of consumer groups that follow.
  public var groupCount: UInt64

  /// Creates stream metadata.
  public init(
    length: UInt64, lastID: StreamID, firstID: StreamID?, maxDeletedID: StreamID?,
    entriesAdded: UInt64?, groupCount: UInt64
  ) {
    self.length = length
    self.lastID = lastID
    self.firstID = firstID
    self.maxDeletedID = maxDeletedID
    self.entriesAdded = entriesAdded
    self.groupCount = groupCount
  }
}

/// A consumer group's header.
public struct StreamGroupInfo: Sendable {
  /// The last delivered ID.
  public var lastDeliveredID: StreamID
  /// The logical read counter, nil when unknown or not in the file (type 15).
  public var entriesRead: Int64?
  /// Entries in the group's pending entries list.
  public var pendingCount: UInt64

  /// Creates a group header.
  public init(lastDeliveredID: StreamID, entriesRead: Int64?, pendingCount: UInt64) {
    self.lastDeliveredID = lastDeliveredID
    self.entriesRead = entriesRead
    self.pendingCount = pendingCount
  }
}

/// A consumer's header within a group.
public struct StreamConsumerInfo: Sendable {
  /// Last attempted interaction, Unix ms.
  public var seenTime: Int64
  /// Last successful interaction, Unix ms (types 21 and 26 only).
  public var activeTime: Int64?
  /// IDs of this consumer's pending entries that follow.
  public var pendingCount: UInt64

  /// Creates a consumer header.
  public init(seenTime: Int64, activeTime: Int64?, pendingCount: UInt64) {
    self.seenTime = seenTime
    self.activeTime = activeTime
    self.pendingCount = pendingCount
  }
}

/// A module type: its 9-character name and encoding version, from the 64-bit module id.
public struct ModuleType: Sendable, Equatable, CustomStringConvertible {
  /// The module type's name, such as `ReJSON-RL`.
  public var name: String
  /// The module's encoding version, 0…1023.
  public var encodingVersion: Int

  /// Decodes a 64-bit module id: 9 × 6 bits of name, then 10 bits of encoding version.
  public init(id: UInt64) {
    let charset = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    var characters = [Character](repeating: "A", count: 9)
    var bits = id >> 10
    for index in stride(from: 8, through: 0, by: -1) {
      characters[index] = charset[Int(bits & 63)]
      bits >>= 6
    }
    name = String(characters)
    encodingVersion = Int(id & 0x3FF)
  }

  /// `name (encver N)`.
  public var description: String { "\(name) (encver \(encodingVersion))" }
}

/// How the file's checksum turned out.
public enum ChecksumStatus: Sendable, Equatable {
  /// The trailer matched the CRC-64 of the bytes.
  case verified(UInt64)
  /// The trailer is zero: the writer had `rdbchecksum no`.
  case notChecked
  /// RDB versions before 5 have no checksum.
  case absent
}

/// What a whole parse found, besides the events.
public struct ParseSummary: Sendable {
  /// The header's magic and version.
  public var version: RDBVersion
  /// The checksum result.
  public var checksum: ChecksumStatus
  /// Bytes consumed up to and including the checksum.
  public var byteCount: Int
  /// Bytes after the checksum (an AOF tail, for example), which are not part of the RDB.
  public var trailingBytes: Int
  /// Compressed string values whose bytes were left to the checksum (see
  /// ``RDBHandler/needsStringValues``). Over a mapped file, 0 whenever the checksum was not
  /// verified (the parse then decompressed them); over a sequential input whose trailer
  /// turned out zero, how many were not checked at all.
  public var uncheckedStrings: Int = 0
  /// Compressed packed values (ziplist, listpack, intset and zipmap blobs, quicklist and
  /// stream nodes) whose bytes were left to the checksum, their sizes and headers checked
  /// (see ``RDBHandler/needsPackedElements``); 0 or not checked as ``uncheckedStrings``.
  public var uncheckedPackedValues: Int = 0
  /// What a loading server accepts but no server of today writes, in file order: at most one
  /// of each kind per key, at most ``warningLimit`` in all, and empty keys as one warning with
  /// their count, last. Values a handler skipped, and compressed values left to the checksum,
  /// were not looked into.
  public var warnings: [RDBWarning] = []
  /// Lists, sets, sorted sets and hashes with no elements (which a loading server skips),
  /// skipped values included.
  public var emptyKeys: Int = 0

  /// The most warnings a summary lists.
  public static let warningLimit = 100
}
