/// What a rewrite could not carry into its target format, by kind: how many items, in how
/// many keys, and the first few key names. Nothing is dropped without being counted here.
public struct LossReport: Sendable, Equatable {
  /// A kind of data a format cannot hold.
  public enum Kind: String, Sendable, CaseIterable, Comparable {
    case streams = "stream keys (streams need RDB 9)"
    case moduleValues = "module values (need RDB 8)"
    case moduleAux = "module AUX data (needs RDB 9)"
    case vectorSets = "vector sets (need Redis 8.0)"
    case keyMetadata = "per-key module metadata, KEY_META (needs Redis 8.6 / RDB 13)"
    case streamIdempotency = "stream idempotent-producer (IDMP) state (needs Redis 8.6 / RDB 13)"
    case functions = "function libraries (functions need RDB 10)"
    case fieldTTLs = "hash field TTLs (need Redis 7.4 / RDB 12 or Valkey 9)"
    case streamMetadata =
      "stream metadata: first ID, max deleted ID, entries added, group read counters (need RDB 10)"
    case consumerActiveTime = "stream consumers' active time (needs RDB 11)"
    case evictionData = "LRU idle times and LFU counters (need RDB 9)"
    case expiryPrecision = "expiry milliseconds (RDB 1-2 store whole seconds)"
    case expiryRange =
      "expiries after 2038-01-19, written as 2038-01-19 (RDB 1-2 store 32-bit seconds)"
    case auxFields = "AUX metadata fields (need RDB 7)"
    case duplicateKeys =
      "keys left out because another input or database had the same name (--on-duplicate)"
    case emptyKeys = "empty aggregates (a loading server skips them)"

    public static func < (lhs: Kind, rhs: Kind) -> Bool {
      (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }

    /// Whether this kind blocks a rewrite unless losses are allowed. Empty aggregates do
    /// not (the target server would drop them on load whatever the file says), nor do the
    /// duplicates `--on-duplicate first` or `last` was asked to leave out.
    public var isBlocking: Bool { self != .emptyKeys && self != .duplicateKeys }
  }

  /// What was lost of one kind.
  public struct Entry: Sendable, Equatable {
    /// Items lost (fields, values, keys, functions …).
    public var items = 0
    /// Keys affected (0 for file-level data).
    public var keys = 0
    /// The first affected key names, lossy UTF-8.
    public var examples: [String] = []
  }

  /// How many example keys each kind keeps.
  public static let exampleLimit = 5

  /// The losses by kind.
  public private(set) var entries: [Kind: Entry] = [:]

  /// An empty report.
  public init() {}

  /// Whether nothing was lost.
  public var isEmpty: Bool { entries.isEmpty }

  /// Whether anything that blocks a rewrite was lost.
  public var isBlocking: Bool { entries.keys.contains { $0.isBlocking } }

  /// Records `items` lost of `kind`, in `key` when it is a key's.
  public mutating func record(_ kind: Kind, items: Int = 1, key: RawSpan?) {
    var entry = entries[kind] ?? Entry()
    entry.items += items
    if let key {
      entry.keys += 1
      if entry.examples.count < Self.exampleLimit {
        entry.examples.append(
          unsafe key.withUnsafeBytes { unsafe String(decoding: $0, as: UTF8.self) })
      }
    }
    entries[kind] = entry
  }

  /// Adds another report's counts (several inputs into one output).
  public mutating func merge(_ other: LossReport) {
    for (kind, theirs) in other.entries {
      var entry = entries[kind] ?? Entry()
      entry.items += theirs.items
      entry.keys += theirs.keys
      entry.examples = Array((entry.examples + theirs.examples).prefix(Self.exampleLimit))
      entries[kind] = entry
    }
  }
}
