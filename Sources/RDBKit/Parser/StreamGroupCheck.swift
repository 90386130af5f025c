/// What a server checks in a stream's consumer groups when it loads them (`rdbLoadObject`):
/// each group name once per stream, each consumer name once per group, each pending entry
/// once in its group's list, each consumer's pending entry in its group's list and once in
/// that consumer's, and in the end every pending entry of the group owned by a consumer
/// ("Stream CG PEL entry without consumer", checked with `sanitize-dump-payload yes`).
///
/// A pending entry listed by two consumers of one group is loaded by Redis 7.4 and 8.6 (the
/// later consumer becomes its owner), so it is only reported: ``own(_:)`` says so.
///
///     var check = StreamGroupCheck()
///     check.beginStream()
///     guard check.beginGroup(name) else { /* the group name repeats */ }
struct StreamGroupCheck {
  /// What ``own(_:)`` found for a consumer's pending entry.
  enum Ownership: Equatable {
    /// The entry is the group's and had no owner yet.
    case owned
    /// The group's list does not hold the entry.
    case notPending
    /// This consumer already listed the entry.
    case repeated
    /// Another consumer of the group already listed the entry; the server keeps the later.
    case alreadyOwned
  }

  private var groupNames: Set<[UInt8]> = []
  private var consumerNames: Set<[UInt8]> = []
  /// The current group's pending entries, and whether a consumer owns each.
  private var pending: [StreamID: Bool] = [:]
  /// The current consumer's pending entries.
  private var consumerPending: Set<StreamID> = []

  /// Forgets the previous stream's groups.
  mutating func beginStream() {
    groupNames.removeAll(keepingCapacity: true)
  }

  /// Starts a group; false when the stream already has a group of that name.
  @unsafe mutating func beginGroup(_ name: UnsafeRawBufferPointer) -> Bool {
    consumerNames.removeAll(keepingCapacity: true)
    pending.removeAll(keepingCapacity: true)
    return unsafe groupNames.insert(Array(name)).inserted
  }

  /// Adds an entry of the group's pending list; false when the list already holds it.
  mutating func addPending(_ id: StreamID) -> Bool {
    guard pending[id] == nil else { return false }
    pending[id] = false
    return true
  }

  /// Starts a consumer of the current group; false when the group already has one of that
  /// name.
  @unsafe mutating func beginConsumer(_ name: UnsafeRawBufferPointer) -> Bool {
    consumerPending.removeAll(keepingCapacity: true)
    return unsafe consumerNames.insert(Array(name)).inserted
  }

  /// Records that the current consumer lists `id` among its pending entries.
  mutating func own(_ id: StreamID) -> Ownership {
    guard let owned = pending[id] else { return .notPending }
    guard consumerPending.insert(id).inserted else { return .repeated }
    pending[id] = true
    return owned ? .alreadyOwned : .owned
  }

  /// The lowest pending entry of the current group that no consumer owns, if any.
  var unowned: StreamID? {
    pending.lazy.filter { !$0.value }.map(\.key).min()
  }
}
