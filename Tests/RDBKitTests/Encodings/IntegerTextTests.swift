import Testing

@testable import RDBKit

/// Integers as decimal text (integer-encoded strings and elements, RESP lengths): the digits
/// and their count agree with Swift's own rendering at every power-of-ten boundary and at the
/// extremes.
@Suite struct IntegerTextTests {
  static let values: [Int64] = {
    var values: [Int64] = [0, 1, -1, 9, -9, .max, .min, .max - 1, .min + 1]
    var power: Int64 = 1
    for _ in 1...18 {
      power *= 10
      values += [power - 1, power, power + 1, -(power - 1), -power, -(power + 1)]
    }
    return values
  }()

  @Test func digitsAndLengthMatchSwift() {
    var buffer = [UInt8](repeating: 0, count: 24)
    for value in Self.values {
      let count = buffer.withUnsafeMutableBytes { unsafe IntegerText.write(value, into: $0) }
      #expect(Array(buffer[..<count]) == Array(String(value).utf8), "\(value)")
      #expect(IntegerText.length(of: value) == count, "\(value)")
    }
  }

  @Test func canonicalValueReadsBackWhatWasWritten() {
    for value in Self.values {
      let text = Array(String(value).utf8)
      #expect(IntegerText.canonicalValue(text.span.bytes) == value, "\(value)")
    }
    for text in ["", "-", "-0", "007", "+1", "1 ", "9223372036854775808", "-9223372036854775809"] {
      #expect(IntegerText.canonicalValue(Array(text.utf8).span.bytes) == nil, "\(text)")
    }
  }
}
