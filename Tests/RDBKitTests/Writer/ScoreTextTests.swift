import Testing

@testable import RDBKit

/// ``ScoreText/appendNonInteger(_:to:)`` writes the text ``ScoreText/text(of:)`` builds as a
/// String, for the scores a packed sorted set stores as text.
@Suite struct ScoreTextTests {
  @Test func appendedTextIsTheTextOfTheScore() {
    var random = SplitMix64(seed: 21)
    let edges: [Double] = [
      .infinity, -.infinity, -0.0, 0.5, -0.5, 0.1, 1e-5, 1e16, 9_007_199_254_740_992,
      -9_007_199_254_740_993, .leastNonzeroMagnitude, -.greatestFiniteMagnitude, .ulpOfOne,
      3.0000000000000004, 123_456.789,
    ]
    let scores =
      edges
      + (0..<20_000).map { index -> Double in
        let bits = random.next()
        switch index % 3 {
        case 0: return Double(bitPattern: bits)
        case 1: return Double(Int64(bitPattern: bits) % 2_000_000_000) / 1000
        default: return Double(bits >> 11) * 0x1p-53 * 1e6 - 5e5
        }
      }
    let bytes = BlobBytes()
    for score in scores where !score.isNaN && ScoreText.integer(of: score) == nil {
      bytes.removeAll()
      ScoreText.appendNonInteger(score, to: bytes)
      #expect(bytes.buffer.elementsEqual(ScoreText.text(of: score).utf8), "\(score)")
    }
  }
}
