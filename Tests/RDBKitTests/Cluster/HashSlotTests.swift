import Foundation
import RDBKit
import Testing

/// ``HashSlot`` against a real server's `CLUSTER KEYSLOT`, and ``SlotRanges`` dealing and
/// parsing.
@Suite struct HashSlotTests {
  /// Keys at the edges of the hash tag rules, then pseudo-random binary keys.
  static let keys: [[UInt8]] = {
    let edges = [
      "", "foo", "{}", "{}a", "a{}", "{a}{b}", "a{", "a}", "{a", "}{a}", "{{a}}", "{}{a}",
      "foo{bar}{zap}", "{user1000}.following", "{user1000}.followers", "x{y}", "{", "}",
      "{ }", "123456789",
    ].map { Array($0.utf8) }
    var generator = SplitMix64(seed: 0x5EED_2024)
    let binary = (0..<2000).map { _ in
      let count = Int.random(in: 0...24, using: &generator)
      return (0..<count).map { _ in
        // Braces often, so tags of every shape turn up.
        Bool.random(using: &generator)
          ? [0x7B, 0x7D, 0x00, 0xFF][Int.random(in: 0...3, using: &generator)]
          : UInt8.random(in: 0...255, using: &generator)
      }
    }
    return edges + binary + [[0x7B, 0x00, 0x7D], [0xFF, 0x7B, 0xFE, 0x7D, 0x7B, 0x01, 0x7D]]
  }()

  @Test func slotsAreTheServers() throws {
    // A lone cluster-enabled node answers CLUSTER KEYSLOT; ClusterNode picks a port whose
    // bus port (+10000) is valid and free, which a cluster-enabled server needs.
    let node = try ClusterNode()
    defer { node.remove() }
    let replies = try node.client().pipeline(
      Self.keys.map { [Array("CLUSTER".utf8), Array("KEYSLOT".utf8), $0] })
    var mismatches: [String] = []
    for (key, reply) in zip(Self.keys, replies) {
      let ours = HashSlot.slot(of: key.span)
      let reference = ReferenceSlot.slot(of: key)
      guard let theirs = reply.integer, Int(theirs) == ours, reference == ours else {
        mismatches.append("\(hex(key.span.bytes)): ours \(ours), reference \(reference), \(reply)")
        continue
      }
    }
    #expect(Self.keys.count > 2000)
    let count = mismatches.count
    #expect(count == 0, "\(mismatches.prefix(10).joined(separator: "\n"))")
  }

  /// Keys of 0–80 bytes, past the eight-byte steps of ``HashSlot``'s CRC and of the brace
  /// search, with and without tags, against the bit-by-bit reference.
  @Test func longKeysMatchTheReference() {
    var generator = SplitMix64(seed: 0x51_1CE8)
    for _ in 0..<4000 {
      let count = Int.random(in: 0...80, using: &generator)
      let key = (0..<count).map { _ in
        Int.random(in: 0..<16, using: &generator) == 0
          ? [0x7B, 0x7D][Int.random(in: 0...1, using: &generator)]
          : UInt8.random(in: 0...255, using: &generator)
      }
      #expect(HashSlot.slot(of: key.span) == ReferenceSlot.slot(of: key), "\(key)")
    }
  }

  @Test func knownSlots() {
    #expect(HashSlot.slot(of: Array("foo".utf8).span.bytes) == 12182)
    #expect(HashSlot.slot(of: Array("123456789".utf8).span) == 0x31C3 & 0x3FFF)
    #expect(
      HashSlot.slot(of: Array("{user1000}.following".utf8).span)
        == HashSlot.slot(of: Array("user1000".utf8).span))
    #expect(
      HashSlot.slot(of: Array("{}user1000".utf8).span)
        != HashSlot.slot(of: Array("user1000".utf8).span))
  }

  @Test(arguments: [1, 2, 3, 4, 5, 7, 16, 100, 500, 1000, 16383, 16384])
  func dealtRangesCoverEverySlotInOrder(_ count: Int) throws {
    let ranges = SlotRanges.dealt(shards: count)
    #expect(ranges.count == count)
    var next = 0
    for shard in ranges.shards {
      #expect(shard.count == 1)
      #expect(shard[0].lowerBound == next)
      next = shard[0].upperBound + 1
    }
    #expect(next == HashSlot.count)
    #expect(try SlotRanges(parsing: ranges.description) == ranges)
  }

  @Test func dealtAsRedisCLIDealsThem() {
    #expect(SlotRanges.dealt(shards: 3).description == "0-5460,5461-10922,10923-16383")
    #expect(SlotRanges.dealt(shards: 2).description == "0-8191,8192-16383")
    #expect(
      SlotRanges.dealt(shards: 5).description
        == "0-3276,3277-6553,6554-9829,9830-13106,13107-16383")
  }

  @Test func parsedRangesMayBeSplit() throws {
    let ranges = try SlotRanges(parsing: "0-99+200-16383,100-199")
    #expect(ranges.shard(ofSlot: 50) == 0)
    #expect(ranges.shard(ofSlot: 150) == 1)
    #expect(ranges.shard(ofSlot: 16383) == 0)
    #expect(ranges.description == "0-99+200-16383,100-199")
  }

  @Test(arguments: [
    ("0-5460,5460-16383", "slot 5460 is given to shard 1 and shard 2"),
    ("0-5460,5462-16383", "slot 5461 belongs to no shard"),
    ("0-16384", "slot range 0-16384 is outside 0-16383"),
    ("0-100,x", "'x' is not a slot or a slot range A-B with A <= B"),
    ("100-0", "'100-0' is not a slot or a slot range A-B with A <= B"),
    ("0-16383,", "'' is not a slot or a slot range A-B with A <= B"),
  ])
  func badRangesAreRefused(_ text: String, _ message: String) {
    #expect(throws: SlotRanges.ParseError(description: message)) {
      try SlotRanges(parsing: text)
    }
  }
}
