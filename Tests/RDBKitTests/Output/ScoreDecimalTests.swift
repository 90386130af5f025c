import Testing

@testable import RDBKit

/// ScoreDecimal's in-place shortest digits against `Double.description`, which they stand in
/// for in JSON scores, and the names and IDs written without a `String` against the strings.
@Suite struct ScoreDecimalTests {
  /// The text an OutputBuffer holds.
  private func text(_ write: (OutputBuffer) -> Void) -> String {
    let output = OutputBuffer()
    write(output)
    return String(decoding: output.bytes(in: 0..<output.count), as: UTF8.self)
  }

  /// What `appendScore` writes: the covered path, or `description` where it declines.
  private func score(_ value: Double) -> String {
    text { JSONText.appendScore(value, to: $0) }
  }

  /// A xorshift generator, seeded and printed so that a failure can be replayed.
  private struct Generator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state ^= state << 13
      state ^= state >> 7
      state ^= state << 17
      return state
    }
  }

  /// Random doubles of every shape scores take (uniform, any bit pattern in the covered range,
  /// few decimals and their neighbours, floats widened, integers): each written by the covered
  /// path must equal `description`, and most must be covered.
  @Test(arguments: [UInt64(0x9E37_79B9_7F4A_7C15), 42, 20_261_205])
  func coveredScoresMatchDescription(seed: UInt64) {
    var generator = Generator(state: seed)
    var covered = 0
    var total = 0
    var mismatches: [String] = []
    func check(_ value: Double) {
      total += 1
      let output = OutputBuffer()
      guard ScoreDecimal.appendIfCovered(value, to: output) else { return }
      covered += 1
      let written = String(decoding: output.bytes(in: 0..<output.count), as: UTF8.self)
      if written != value.description, mismatches.count < 10 {
        mismatches.append("\(value.description) written as \(written)")
      }
    }
    let divisors: [Double] = [10, 100, 1000, 4, 8, 1e5, 1e7, 3]
    for _ in 0..<40_000 {
      check(Double.random(in: -1e6...1e6, using: &generator))
      check(
        Double(
          bitPattern: UInt64.random(
            in: 0x3F50_0000_0000_0000...0x432F_FFFF_FFFF_FFFF, using: &generator)))
      let decimal =
        Double(Int.random(in: -100_000...100_000, using: &generator))
        / divisors[Int.random(in: 0..<divisors.count, using: &generator)]
      check(decimal)
      check(decimal.nextUp)
      check(decimal.nextDown)
      check(Double(Float.random(in: -1000...1000, using: &generator)))
    }
    #expect(mismatches.isEmpty, "seed \(seed): \(mismatches)")
    #expect(covered > total * 9 / 10, "seed \(seed): \(covered) of \(total) covered")
  }

  /// The ends of the covered range, powers of two (whose lower neighbour is closer), values
  /// that need all 17 digits, and what lies outside (left to `description`).
  static let edges: [Double] = [
    0.001, 0.001.nextUp, 0.001.nextDown, 0.0015, 0.01, 0.1, 0.2, 0.3, 0.5, 1.5, 2.5, 0.125,
    0x1p-9, 0x1p-5, 0x1p40 + 0.5, 0x1p52 - 0.5, 0x1p52, 0x1p51 + 0.5, 1e15 + 0.5, 123456.789,
    -0.000123, 1e-5, .leastNonzeroMagnitude, 1e300, 9.0e15 + 2, 0.1 + 0.2, 1 / 3.0, 2 / 3.0, 1e16,
    4.0, 1234567.0,
  ]

  @Test(arguments: edges)
  func edgeScoresMatchDescription(value: Double) {
    for signed in [value, -value] {
      let expected =
        signed == signed.rounded() && abs(signed) < 9.0e15
        ? String(Int64(signed)) : signed.description
      #expect(score(signed) == expected)
    }
  }

  @Test func namesAndIDsMatchTheirStrings() {
    for type in DataType.allCases {
      #expect(text { $0.append(type) } == type.rawValue)
    }
    for encoding in Encoding.allCases {
      #expect(text { $0.append(encoding) } == encoding.rawValue)
    }
    for id in [
      StreamID(milliseconds: 0, sequence: 0),
      StreamID(milliseconds: 1_733_356_800_123, sequence: 7),
      StreamID(milliseconds: .max, sequence: .max), StreamID(milliseconds: 9, sequence: 10),
    ] {
      #expect(text { $0.append(id) } == id.description)
    }
    for value in [UInt64(0), 9, 10, 99, 100, 1 << 63, .max] {
      #expect(text { $0.append(unsigned: value) } == String(value))
    }
  }
}
