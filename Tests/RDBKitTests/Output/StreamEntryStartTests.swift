import Testing

@testable import RDBKit

/// The start of each stream entry's object, `{"id":"ms-seq","fields":`, written from the text
/// of the last ID's milliseconds (its last digit raised when that is all that changes) and,
/// in the node writer's walk, the sequence in one byte below 10: against the IDs'
/// `description`, for milliseconds that carry into more digits, fall back, jump or stay.
@Suite struct StreamEntryStartTests {
  /// The text written for `ids` in order, both ways (into the output, and at a pointer).
  static func written(_ ids: [StreamID]) -> (String, String) {
    var start = StreamEntryStart()
    let output = OutputBuffer()
    for (index, id) in ids.enumerated() {
      start.write(id, first: index == 0, to: output)
    }
    var pointerStart = StreamEntryStart()
    let pointerOutput = OutputBuffer()
    for (index, id) in ids.enumerated() {
      let out = pointerOutput.reserve(StreamEntryStart.mostBytes)
      pointerOutput.advance(by: pointerStart.write(id, first: index == 0, at: out))
    }
    return (
      String(decoding: output.bytes(in: 0..<output.count), as: UTF8.self),
      String(decoding: pointerOutput.bytes(in: 0..<pointerOutput.count), as: UTF8.self)
    )
  }

  static func expected(_ ids: [StreamID]) -> String {
    ids.enumerated().map { index, id in
      (index == 0 ? "" : ",") + "{\"id\":\"\(id.milliseconds)-\(id.sequence)\",\"fields\":"
    }.joined()
  }

  static func ids(_ pairs: [(UInt64, UInt64)]) -> [StreamID] {
    pairs.map { StreamID(milliseconds: $0.0, sequence: $0.1) }
  }

  /// Milliseconds raised by 1 to 12 from each last digit, across 9 → 10, 99 → 100,
  /// 999 999 999 → 1 000 000 000 and 19 → 20 digits, and sequences below 10 and above.
  @Test func raisedMilliseconds() {
    var pairs: [(UInt64, UInt64)] = []
    for base: UInt64 in [0, 90, 999_999_990, 1_700_000_000_000, 9_999_999_999_999_999_990] {
      for last: UInt64 in 0...9 {
        for raise: UInt64 in 1...12 {
          pairs += [(base + last, raise), (base + last + raise, raise)]
        }
      }
    }
    pairs += [
      (UInt64.max - 1, 9), (UInt64.max, 10), (UInt64.max, 99), (UInt64.max, 100),
      (UInt64.max, UInt64.max),
    ]
    let ids = Self.ids(pairs)
    let (viaOutput, viaPointer) = Self.written(ids)
    #expect(viaOutput == Self.expected(ids))
    #expect(viaPointer == Self.expected(ids))
  }

  /// Milliseconds that go back (a new stream), stay, jump by 10 or more, or change more than
  /// the last digit.
  @Test func otherMilliseconds() {
    let ids = Self.ids([
      (1_700_000_000_123, 0), (1_700_000_000_123, 3), (1_700_000_000_124, 11), (5, 0), (5, 1),
      (1_699_999_999_999, 0), (1_700_000_000_000, 0), (1_700_000_000_010, 0),
      (1_700_000_000_019, 12_345), (1_700_000_000_021, 0), (1_700_000_000_031, 0), (0, 0),
      (9, 9), (18, 0), (100, 0), (1_000, 1_000),
    ])
    let (viaOutput, viaPointer) = Self.written(ids)
    #expect(viaOutput == Self.expected(ids))
    #expect(viaPointer == Self.expected(ids))
  }

  /// Random IDs, most a few milliseconds after the last, some far.
  @Test func randomSteps() {
    var generator = SystemRandomNumberGenerator()
    var milliseconds = UInt64.random(in: 0...1_000_000, using: &generator)
    var pairs: [(UInt64, UInt64)] = []
    for _ in 0..<5_000 {
      switch UInt8.random(in: 0...9, using: &generator) {
      case 0: milliseconds = UInt64.random(in: 0...UInt64.max, using: &generator)
      case 1: milliseconds = UInt64.random(in: 0...100_000, using: &generator)
      default: milliseconds &+= UInt64.random(in: 0...12, using: &generator)
      }
      pairs.append((milliseconds, UInt64.random(in: 0...20, using: &generator)))
    }
    let ids = Self.ids(pairs)
    let (viaOutput, viaPointer) = Self.written(ids)
    #expect(viaOutput == Self.expected(ids))
    #expect(viaPointer == Self.expected(ids))
  }
}
