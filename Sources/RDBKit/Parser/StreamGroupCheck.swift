/// What a server checks in a stream's consumer groups when it loads them (`rdbLoadObject`):
/// each group name once per stream, each consumer name once per group, each pending entry
/// once in its group's list, each consumer's pending entry in its group's list and once in
/// that consumer's, and in the end every pending entry of the group owned by a consumer
/// ("Stream CG PEL entry without consumer", checked with `sanitize-dump-payload yes`).
///
/// A pending entry listed by two consumers of one group is loaded by Redis 7.4 and 8.6 (the
/// later consumer becomes its owner), so it is only reported: ``own(_:)`` says so.
///
/// A server writes a group's pending entries in ID order (its radix tree's), so they are kept
/// in an array while each is greater than the one before, where no entry can repeat and a
/// consumer's entry is found by a binary search; the first entry out of order moves them to
/// a dictionary. Either way an entry notes the consumer that owns it, so that a consumer
/// listing an entry twice needs no set of its own.
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

  /// A pending entry and the number of the consumer that owns it (0: none yet).
  private struct Entry {
    var id: StreamID
    var owner: Int
  }

  private var groupNames: Set<[UInt8]> = []
  private var consumerNames: Set<[UInt8]> = []
  /// The current group's pending entries in increasing ID order, while they come in that
  /// order (``isOrdered``).
  private var ordered: [Entry] = []
  private var isOrdered = true
  /// Where the current consumer's next entry is looked for first: after its last one.
  private var cursor = 0
  /// The current group's pending entries and their owners, once one came out of order.
  private var unordered: [StreamID: Int] = [:]
  /// The current consumer's number in its group, from 1.
  private var consumer = 0

  /// Forgets the previous stream's groups.
  mutating func beginStream() {
    groupNames.removeAll(keepingCapacity: true)
  }

  /// Starts a group; false when the stream already has a group of that name.
  @unsafe mutating func beginGroup(_ name: UnsafeRawBufferPointer) -> Bool {
    consumerNames.removeAll(keepingCapacity: true)
    ordered.removeAll(keepingCapacity: true)
    unordered.removeAll(keepingCapacity: true)
    isOrdered = true
    consumer = 0
    return unsafe groupNames.insert(Array(name)).inserted
  }

  /// Adds an entry of the group's pending list; false when the list already holds it.
  mutating func addPending(_ id: StreamID) -> Bool {
    if isOrdered {
      if let last = ordered.last, id <= last.id {
        // Out of order: from here on, a dictionary finds the repeats.
        isOrdered = false
        unordered.reserveCapacity(ordered.count &+ 1)
        for entry in ordered { unordered[entry.id] = 0 }
        ordered.removeAll(keepingCapacity: true)
      } else {
        ordered.append(Entry(id: id, owner: 0))
        return true
      }
    }
    guard unordered[id] == nil else { return false }
    unordered[id] = 0
    return true
  }

  /// Starts a consumer of the current group; false when the group already has one of that
  /// name.
  @unsafe mutating func beginConsumer(_ name: UnsafeRawBufferPointer) -> Bool {
    consumer &+= 1
    cursor = 0
    return unsafe consumerNames.insert(Array(name)).inserted
  }

  /// Records that the current consumer lists `id` among its pending entries.
  mutating func own(_ id: StreamID) -> Ownership {
    let previous: Int
    if isOrdered {
      guard let index = orderedIndex(of: id) else { return .notPending }
      previous = ordered[index].owner
      guard previous != consumer else { return .repeated }
      ordered[index].owner = consumer
      cursor = index &+ 1
    } else {
      guard let index = unordered.index(forKey: id) else { return .notPending }
      previous = unordered.values[index]
      guard previous != consumer else { return .repeated }
      unordered.values[index] = consumer
    }
    return previous == 0 ? .owned : .alreadyOwned
  }

  /// The index of `id` in ``ordered``: the one at ``cursor`` when it is (a consumer lists its
  /// entries in ID order too), else found by a binary search.
  private func orderedIndex(of id: StreamID) -> Int? {
    if cursor < ordered.count, ordered[cursor].id == id { return cursor }
    var low = 0
    var high = ordered.count
    while low < high {
      let middle = low &+ (high &- low) / 2
      if ordered[middle].id < id { low = middle &+ 1 } else { high = middle }
    }
    return low < ordered.count && ordered[low].id == id ? low : nil
  }

  /// The lowest pending entry of the current group that no consumer owns, if any.
  var unowned: StreamID? {
    if isOrdered { return ordered.first { $0.owner == 0 }?.id }
    return unordered.lazy.filter { $0.value == 0 }.map(\.key).min()
  }
}
