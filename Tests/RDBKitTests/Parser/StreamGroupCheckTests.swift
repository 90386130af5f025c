import Testing

@testable import RDBKit

/// ``StreamGroupCheck`` against the plain sets it replaced (a group's pending entries in a
/// dictionary of owned flags, a set per consumer): the same answer for every call, on groups
/// listed in ID order (its array) and out of order (its dictionary), with repeats, entries
/// no group holds and entries two consumers list.
struct StreamGroupCheckTests {
  /// The check as it was: sets and a dictionary.
  struct Reference {
    var pending: [StreamID: Bool] = [:]
    var consumerPending: Set<StreamID> = []

    mutating func beginGroup() {
      pending.removeAll()
    }

    mutating func addPending(_ id: StreamID) -> Bool {
      guard pending[id] == nil else { return false }
      pending[id] = false
      return true
    }

    mutating func beginConsumer() {
      consumerPending.removeAll()
    }

    mutating func own(_ id: StreamID) -> StreamGroupCheck.Ownership {
      guard let owned = pending[id] else { return .notPending }
      guard consumerPending.insert(id).inserted else { return .repeated }
      pending[id] = true
      return owned ? .alreadyOwned : .owned
    }

    var unowned: StreamID? {
      pending.lazy.filter { !$0.value }.map(\.key).min()
    }
  }

  static func id(_ value: UInt64) -> StreamID {
    StreamID(milliseconds: value / 4, sequence: value % 4)
  }

  /// A group's pending list: `count` IDs in increasing order, then, when `disorder`, one
  /// earlier ID or a repeat somewhere.
  static func pendingList(_ count: Int, disorder: Bool, _ random: inout SplitMix64) -> [UInt64] {
    var ids: [UInt64] = []
    var next: UInt64 = random.next() % 8
    for _ in 0..<count {
      ids.append(next)
      next += 1 + random.next() % 3
    }
    if disorder, count > 1 {
      let at = Int(random.next() % UInt64(count))
      ids.insert(random.next() % 2 == 0 ? ids[Int(random.next() % UInt64(count))] : 0, at: at)
    }
    return ids
  }

  @Test(arguments: 0..<200)
  func agreesWithSets(_ seed: Int) {
    var random = SplitMix64(seed: UInt64(seed))
    var check = StreamGroupCheck()
    var reference = Reference()
    check.beginStream()
    for group in 0..<3 {
      reference.beginGroup()
      let name: [UInt8] = [UInt8(group)]
      #expect(unsafe name.withUnsafeBytes { unsafe check.beginGroup($0) })
      let pending = Self.pendingList(
        Int(random.next() % 40), disorder: seed % 3 == 0, &random)
      for value in pending {
        #expect(check.addPending(Self.id(value)) == reference.addPending(Self.id(value)))
      }
      for consumer in 0..<Int(random.next() % 4) {
        reference.beginConsumer()
        let consumerName: [UInt8] = [UInt8(consumer)]
        #expect(unsafe consumerName.withUnsafeBytes { unsafe check.beginConsumer($0) })
        // Mostly a run of the group's list in order; sometimes out of order, repeated, or
        // an ID the group does not hold.
        var owned: [UInt64] = []
        if !pending.isEmpty {
          let start = Int(random.next() % UInt64(pending.count))
          owned = Array(pending[start..<min(pending.count, start + Int(random.next() % 12))])
        }
        if random.next() % 4 == 0 { owned.reverse() }
        if random.next() % 4 == 0, let first = owned.first { owned.append(first) }
        if random.next() % 4 == 0 { owned.insert(1000 + random.next() % 5, at: 0) }
        for value in owned {
          let answer = check.own(Self.id(value))
          #expect(answer == reference.own(Self.id(value)), "seed \(seed) id \(value)")
          // The parse stops at these.
          if answer == .repeated || answer == .notPending { break }
        }
      }
      #expect(check.unowned == reference.unowned, "seed \(seed)")
    }
  }

  @Test func repeatedNamesAreRefused() {
    var check = StreamGroupCheck()
    check.beginStream()
    let name: [UInt8] = Array("g".utf8)
    #expect(unsafe name.withUnsafeBytes { unsafe check.beginGroup($0) })
    #expect(unsafe name.withUnsafeBytes { unsafe check.beginConsumer($0) })
    let consumerAgain = unsafe name.withUnsafeBytes { unsafe check.beginConsumer($0) }
    #expect(!consumerAgain)
    let groupAgain = unsafe name.withUnsafeBytes { unsafe check.beginGroup($0) }
    #expect(!groupAgain)
    check.beginStream()
    #expect(unsafe name.withUnsafeBytes { unsafe check.beginGroup($0) })
  }
}
