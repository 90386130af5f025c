import Testing

@testable import RDBKit

/// Decimal text of 17 to 19 digits (Redis 7.0 writes listpack scores with `%.17g`), which
/// ``DoubleText`` divides in 128-bit integers instead of calling `strtod`, against Swift's
/// correctly rounded `Double(_: String)`, bit for bit: `%.17g` text of random doubles, random
/// digits with the point anywhere, and values exactly halfway between two doubles.
@Suite struct LongDecimalScoreTests {
  private func parsed(_ text: String) -> Double? {
    Array(text.utf8).withUnsafeBytes { DoubleText.parse($0) }
  }

  private func check(_ text: String, _ mismatches: inout [String]) {
    let expected = Double(text)
    let read = parsed(text)
    if read?.bitPattern != expected?.bitPattern, mismatches.count < 10 {
      mismatches.append("\(text): \(String(describing: read)) not \(String(describing: expected))")
    }
  }

  @Test func paddedScoresReadAsStrtodReadsThem() {
    var random = SplitMix64(seed: 0x17_6E)
    var mismatches: [String] = []
    let scales: [Double] = [1e6, 1, 1e3, 1e-3, 1e15, 1e16, 123]
    for index in 0..<30_000 {
      let scale = scales[index % scales.count]
      let value = Double(random.below(1 << 53)) / Double(1 << 53) * 2 * scale - scale
      // The value's shortest digits padded with random ones to 17-19 digits (text with an
      // exponent is left to strtod and checked as it is).
      var text = value.description
      if !text.contains("e") {
        while text.filter(\.isNumber).count < 17 + index % 3 {
          text += text.contains(".") ? String(random.below(10)) : ".0"
        }
      }
      check(text, &mismatches)
    }
    #expect(mismatches.isEmpty, "\(mismatches)")
  }

  @Test func randomLongDigitsReadAsStrtodReadsThem() {
    var random = SplitMix64(seed: 0xD161_7500)
    var mismatches: [String] = []
    for index in 0..<30_000 {
      let length = 17 + index % 3
      var digits = String(1 + random.below(9))
      for _ in 1..<length { digits += String(random.below(10)) }
      let point = random.below(length + 1)
      var text = digits
      if point < length { text.insert(".", at: text.index(text.startIndex, offsetBy: point)) }
      if text.hasPrefix(".") { text = "0" + text }
      if index % 2 == 1 { text = "-" + text }
      check(text, &mismatches)
    }
    #expect(mismatches.isEmpty, "\(mismatches)")
  }

  /// Integers above 2^53 that lie exactly halfway between two doubles (ties go to the even
  /// one) or just beside such a point, written as they are and over powers of ten.
  @Test func halfwayValuesRoundToEven() {
    var mismatches: [String] = []
    for step in 0..<5_000 {
      for base in [UInt64(1) << 53, 1 << 54, 1 << 60, 9_999_999_999_999_999_000] {
        let spacing = base >> 52
        let halfway = base &+ UInt64(step) &* spacing &+ spacing / 2
        for value in [halfway, halfway &- 1, halfway &+ 1] {
          let text = String(value)
          check(text, &mismatches)
          for decimals in [1, 5, 17, text.count] where decimals <= text.count {
            var scaled = text
            scaled.insert(".", at: scaled.index(scaled.endIndex, offsetBy: -decimals))
            if scaled.hasPrefix(".") { scaled = "0" + scaled }
            check(scaled, &mismatches)
          }
        }
      }
    }
    #expect(mismatches.isEmpty, "\(mismatches)")
  }
}
