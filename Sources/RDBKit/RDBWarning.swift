/// Something in an RDB file that no current server writes but that a server loading the file
/// (with `sanitize-dump-payload yes`) accepts: the file is usable, yet not as a server of
/// today would have written it.
///
/// The parser goes on past a warning and lists it in ``ParseSummary/warnings``; a caller that
/// wants such files rejected (`rdbtool verify --strict`) treats each as the error
/// ``error`` gives. Each names the byte offset and the key, as an ``RDBError`` does.
///
///     byte 48213: stream length 120 but the nodes hold 118 live entries (key "events")
public struct RDBWarning: Sendable, Equatable, CustomStringConvertible {
  /// What was found.
  public enum Kind: Sendable, Equatable, CustomStringConvertible {
    /// A stream's stored length is not the number of live entries in its nodes (early Redis
    /// 5.0 wrote such streams). The server keeps the stored length: `XLEN` returns it, while
    /// `XRANGE` returns the live entries.
    case streamLength(stored: UInt64, live: UInt64)
    /// A stream entry's ID is not greater than the one before it. The server does not check
    /// the order within a node; it orders nodes by their master ID.
    case streamEntryOrder(id: StreamID, previous: StreamID)
    /// A stream node's listpack header counts other than the elements it holds. The server
    /// checks the walk of a stream node's entries, not its header count.
    case streamNodeCount(declared: Int, found: Int)
    /// A sorted set's score written as text that is not a number as a whole. The server
    /// does not check packed scores (ziplist or listpack) when it loads them and reads each
    /// with `strtod` (`"abc"` is 0); it reads a type-3 score with `sscanf("%lg")`, which skips
    /// leading spaces and stops after the number (`"1.5x"` is 1.5). `loadedAs` is what it
    /// reads, and what the parser reports.
    case sortedSetScore(text: String, loadedAs: Double)
    /// A pending entry of a consumer group that two of its consumers list. Redis 7.4 and 8.6
    /// load it (the later consumer owns it); Debian's Redis 7.0 package refuses it.
    case pendingEntryOwners(id: StreamID, group: String)
    /// A zipmap (Redis 2.4 hash) laid out as no writer lays it out but as the server reads it:
    /// bytes after an end marker that ends the pairs.
    case zipmapLayout(String)
    /// Keys that hold no elements: a list, set, sorted set or hash (any encoding) written
    /// empty. A loading server skips them ("empty keys skipped"), so the file holds `count`
    /// keys more than the server will; the offset and key are the first one's.
    case emptyKeys(count: Int)

    public var description: String {
      switch self {
      case .streamLength(let stored, let live):
        return "stream length \(stored) but the nodes hold \(live) live entries"
      case .streamEntryOrder(let id, let previous):
        return "stream entry \(id) does not follow \(previous)"
      case .streamNodeCount(let declared, let found):
        return "stream node listpack header counts \(declared) elements, found \(found)"
      case .sortedSetScore(let text, let loadedAs):
        return "sorted set score \"\(RDBError.printable(text))\" is not a number; a server "
          + "loads it as \(loadedAs)"
      case .pendingEntryOwners(let id, let group):
        return "pending entry \(id) of group \"\(RDBError.printable(group))\" is listed by two "
          + "consumers; a server gives it to the later one"
      case .zipmapLayout(let what):
        return "zipmap \(what)"
      case .emptyKeys(let count):
        return "\(count) empty key\(count == 1 ? "" : "s"): a server skips them when loading"
      }
    }
  }

  /// What was found.
  public var kind: Kind
  /// The absolute input offset of the structure concerned (the first empty key's record).
  public var offset: Int
  /// The key concerned, as lossy UTF-8 (for ``Kind/emptyKeys(count:)``, the first one).
  public var key: String?

  /// Creates a warning of `kind` at the absolute input `offset`, inside `key` if given.
  public init(_ kind: Kind, at offset: Int, key: String? = nil) {
    self.kind = kind
    self.offset = offset
    self.key = key
  }

  /// `<what> at byte <offset> (key "<key>")`, as ``RDBError/located`` says an error; for empty
  /// keys the same as ``description``.
  public var located: String {
    if case .emptyKeys = kind { return description }
    return RDBError.located("\(kind)", at: offset, key: key)
  }

  /// `byte <offset>: <what> (key "<key>")`, as ``RDBError`` prints; for empty keys
  /// `<what> (the first: key "<key>" at byte <offset>)`.
  public var description: String {
    let name = key.map { "key \"\(RDBError.printable($0))\"" }
    if case .emptyKeys = kind {
      return "\(kind) (the first: \(name ?? "a key") at byte \(offset))"
    }
    return "byte \(offset): \(kind)" + (name.map { " (\($0))" } ?? "")
  }

  /// The same finding as an error, for callers that reject what a server of today would
  /// not have written.
  public var error: RDBError {
    switch kind {
    case .emptyKeys, .sortedSetScore:
      return RDBError(.invalidValue(kind.description), at: offset, key: key)
    case .zipmapLayout:
      return RDBError(
        .corruptStructure(structure: "zipmap", reason: kind.description), at: offset, key: key)
    default:
      return RDBError(
        .corruptStructure(structure: "stream", reason: kind.description), at: offset, key: key)
    }
  }
}
