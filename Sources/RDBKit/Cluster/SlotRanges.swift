/// Which shard of a cluster owns each of the 16384 hash slots: one list of slot ranges per
/// shard, covering every slot exactly once.
///
/// ``dealt(shards:)`` deals N contiguous ranges as `redis-cli --cluster create` does;
/// ``init(parsing:)`` reads them as given (`0-5460,5461-10922,10923-16383`, one shard per
/// comma, `+` joining the ranges of a shard that owns several, as `CLUSTER SHARDS` may say).
///
///     let ranges = SlotRanges.dealt(shards: 3)
///     ranges.description                 // "0-5460,5461-10922,10923-16383"
///     ranges.shard(ofSlot: 12182)        // 2
public struct SlotRanges: Sendable, Equatable, CustomStringConvertible {
  /// A `--slots` text that does not describe every slot exactly once.
  public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, in one sentence.
    public var description: String

    /// An error saying `description`.
    public init(description: String) {
      self.description = description
    }
  }

  /// Each shard's ranges, in the order given.
  public let shards: [[ClosedRange<Int>]]
  /// The owning shard of every slot.
  private let owners: [UInt16]

  /// The ranges `redis-cli --cluster create` gives `count` masters: `16384 / count` slots
  /// each as a 32-bit float, each range ending at the rounded running total (redis-cli's
  /// `clusterManagerCommandCreate`, `lround` of a `float` cursor), the last one at 16383.
  ///
  /// - Precondition: `count` is 1...16384.
  public static func dealt(shards count: Int) -> SlotRanges {
    precondition((1...HashSlot.count).contains(count), "shard count out of range")
    let perShard = Float(HashSlot.count) / Float(count)
    var cursor: Float = 0
    var first = 0
    var shards: [[ClosedRange<Int>]] = []
    for index in 0..<count {
      // lround: halves away from zero, computed in double as C promotes the float argument.
      var last = Int(Double(cursor + perShard - 1).rounded(.toNearestOrAwayFromZero))
      if last > HashSlot.count || index == count - 1 { last = HashSlot.count - 1 }
      if last < first { last = first }
      shards.append([first...last])
      first = last + 1
      cursor += perShard
    }
    // Every shard got at least one slot and the last ends at 16383, so this cannot fail.
    guard let ranges = try? SlotRanges(shards: shards) else {
      preconditionFailure("dealt ranges do not cover the slots")
    }
    return ranges
  }

  /// Ranges given per shard.
  ///
  /// - Throws: ``ParseError`` when a slot is out of range, owned twice or not owned.
  public init(shards: [[ClosedRange<Int>]]) throws(ParseError) {
    var owners = [UInt16](repeating: .max, count: HashSlot.count)
    guard !shards.isEmpty, shards.count <= HashSlot.count else {
      throw ParseError(description: "between 1 and \(HashSlot.count) shards are needed")
    }
    for (shard, ranges) in shards.enumerated() {
      for range in ranges {
        guard range.lowerBound >= 0, range.upperBound < HashSlot.count else {
          throw ParseError(
            description: "slot range \(Self.text(range)) is outside 0-\(HashSlot.count - 1)")
        }
        for slot in range {
          guard owners[slot] == .max else {
            throw ParseError(
              description:
                "slot \(slot) is given to shard \(Int(owners[slot]) + 1) and shard \(shard + 1)")
          }
          owners[slot] = UInt16(shard)
        }
      }
    }
    if let missing = owners.firstIndex(of: .max) {
      throw ParseError(description: "slot \(missing) belongs to no shard")
    }
    self.shards = shards
    self.owners = owners
  }

  /// Reads `0-5460,5461-10922,10923-16383`: one shard per comma-separated item, an item
  /// being ranges `A-B` or single slots joined by `+` (`0-100+200-300`).
  ///
  /// - Throws: ``ParseError`` for bad syntax, and as ``init(shards:)`` does.
  public init(parsing text: String) throws(ParseError) {
    var shards: [[ClosedRange<Int>]] = []
    for item in text.split(separator: ",", omittingEmptySubsequences: false) {
      var ranges: [ClosedRange<Int>] = []
      for part in item.split(separator: "+", omittingEmptySubsequences: false) {
        let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(bounds.count), let low = Int(bounds[0]),
          let high = Int(bounds[bounds.count - 1]), low <= high
        else {
          throw ParseError(
            description: "'\(part)' is not a slot or a slot range A-B with A <= B")
        }
        ranges.append(low...high)
      }
      shards.append(ranges)
    }
    try self.init(shards: shards)
  }

  /// The number of shards.
  public var count: Int { shards.count }

  /// The shard (0-based) that owns `slot`, which must be 0...16383.
  @inline(__always)
  public func shard(ofSlot slot: Int) -> Int { Int(owners[slot]) }

  /// The `--slots` text of these ranges.
  public var description: String {
    shards.map { $0.map(Self.text).joined(separator: "+") }.joined(separator: ",")
  }

  private static func text(_ range: ClosedRange<Int>) -> String {
    range.count == 1 ? "\(range.lowerBound)" : "\(range.lowerBound)-\(range.upperBound)"
  }

  public static func == (lhs: SlotRanges, rhs: SlotRanges) -> Bool { lhs.owners == rhs.owners }
}
