import Foundation
import Testing

@testable import RDBKit

/// The in-place writers for expiry dates and plain JSON strings against the general forms they
/// stand in for.
@Suite struct OutputTextFastPathTests {
  /// The text an OutputBuffer holds.
  private func text(_ write: (OutputBuffer) -> Void) -> String {
    let output = OutputBuffer()
    write(output)
    return String(decoding: output.bytes(in: 0..<output.count), as: UTF8.self)
  }

  @Test(arguments: [
    (Int64(0), "1970-01-01T00:00:00.000Z"),
    (4_102_444_800_000, "2100-01-01T00:00:00.000Z"),
    (1_733_356_800_123, "2024-12-05T00:00:00.123Z"),
    (951_782_399_999, "2000-02-28T23:59:59.999Z"),
    (-1, "1969-12-31T23:59:59.999Z"),
    (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
    (-62_167_219_200_000, "0000-01-01T00:00:00.000Z"),
  ])
  func expiryDates(milliseconds: Int64, expected: String) {
    #expect(text { $0.append(iso8601Milliseconds: milliseconds) } == expected)
    #expect(CalendarDate.iso8601(milliseconds: milliseconds) == expected)
  }

  /// Outside the years 0–9999 the general form is written.
  @Test(arguments: [Int64(253_402_300_800_000), -62_167_219_200_001, Int64.max / 2, Int64.min / 2])
  func expiryDatesOutsideFourDigitYears(milliseconds: Int64) {
    #expect(
      text { $0.append(iso8601Milliseconds: milliseconds) }
        == CalendarDate.iso8601(milliseconds: milliseconds))
  }

  /// Integers written in place, against `description`: every power of ten and its
  /// neighbours, every power of two and its neighbours, the extremes and random values.
  @Test func integersMatchTheirDescription() {
    var values: [UInt64] = [0, 1, 9, UInt64.max, UInt64(Int64.max)]
    var power: UInt64 = 1
    for _ in 0...19 {
      values += [power &- 1, power, power &+ 1]
      power = power &* 10
    }
    for shift in 0..<64 { values += [(1 << UInt64(shift)) &- 1, 1 << UInt64(shift)] }
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<10_000 { values.append(generator.next() >> UInt64.random(in: 0..<64)) }
    for value in values {
      #expect(text { $0.append(unsigned: value) } == value.description)
      let signed = Int64(truncatingIfNeeded: value)
      #expect(text { $0.append(integer: signed) } == signed.description)
      let negated = 0 &- signed
      #expect(text { $0.append(integer: negated) } == negated.description)
    }
    #expect(text { $0.append(integer: Int64.min) } == Int64.min.description)
  }

  /// The digit count from the table of powers of ten, against `description`: every power of
  /// ten and its neighbours, up to the largest 64-bit value.
  @Test func digitCountsMatchDescription() {
    var values: [UInt64] = [0, 1, UInt64.max]
    var power: UInt64 = 10
    for _ in 1...19 {
      values += [power &- 1, power, power &+ 1]
      power &*= 10
    }
    for value in values {
      #expect(DecimalText.digitCount(value) == value.description.count, "\(value)")
    }
  }

  /// Eight digits made in one word, against `description` padded with zeros: every power of
  /// ten and its neighbours, and a stride through all values below 10^8.
  @Test func eightDigitWordsMatchDescription() {
    var values: [UInt64] = [0, 99_999_999]
    var power: UInt64 = 1
    for _ in 0...7 {
      values += [power &- 1, power, power &+ 1]
      power &*= 10
    }
    values += stride(from: 0, to: 100_000_000, by: 9973).map { UInt64($0) }
    for value in values where value < 100_000_000 {
      var word = DecimalText.eightDigits(value).littleEndian
      let written = withUnsafeBytes(of: &word) { String(decoding: $0, as: UTF8.self) }
      let expected = String(repeating: "0", count: 8 - value.description.count) + value.description
      #expect(written == expected)
    }
  }

  /// The one-test check of a word for bytes a JSON string cannot hold as they are, against a
  /// byte-by-byte check, on words made of the bytes around each boundary (so that a borrow
  /// from one byte into the next would show).
  @Test func plainWordsMatchABytewiseCheck() {
    let interesting: [UInt8] = [
      0x00, 0x01, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x41, 0x5B, 0x5C, 0x5D, 0x7E, 0x7F, 0x80, 0xA2,
      0xDC, 0xFF,
    ]
    var random = SplitMix64(seed: 0x9_1A1E)
    for _ in 0..<200_000 {
      var word: UInt64 = 0
      var plain = true
      for index in 0..<8 {
        let byte = interesting[random.below(interesting.count)]
        word |= UInt64(byte) << UInt64(index * 8)
        if byte < 0x20 || byte >= 0x80 || byte == 0x22 || byte == 0x5C { plain = false }
      }
      #expect(JSONText.isPlain(word) == plain, "\(String(word, radix: 16))")
    }
  }

  /// Base64 written two characters a lookup, against Foundation's encoder: every length up to
  /// 64 (each remainder of three), random bytes and every byte value.
  @Test func base64MatchesFoundation() {
    var generator = SystemRandomNumberGenerator()
    var inputs: [[UInt8]] = [Array(0...255), Array((0...255).reversed())]
    for length in 0...64 {
      inputs.append((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }
    for bytes in inputs {
      let written = text { output in bytes.withUnsafeBytes { JSONText.appendBase64($0, to: output) }
      }
      #expect(written == Data(bytes).base64EncodedString(), "\(bytes)")
    }
  }

  /// Byte strings of every length up to 40 with one special byte at each position: what the
  /// plain-ASCII path writes must be what validation and escaping write.
  @Test(arguments: [UInt8(ascii: "a"), 0x22, 0x5C, 0x0A, 0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xFF])
  func plainStringsMatchTheEscapingPath(special: UInt8) {
    for length in 0...40 {
      for position in 0..<max(length, 1) {
        var bytes = (0..<length).map { UInt8(ascii: "A") + UInt8($0 % 26) }
        if length > 0 { bytes[position] = special }
        for style in ByteStringStyle.allCases {
          let written = text { output in
            bytes.withUnsafeBytes { JSONText.appendValue($0, style: style, to: output) }
          }
          let general = text { output in
            bytes.withUnsafeBytes { raw in
              switch style {
              case .base64:
                output.append(UInt8(ascii: "\""))
                JSONText.appendBase64(raw, to: output)
                output.append(UInt8(ascii: "\""))
              case .text:
                ByteText.escaped(raw).withUnsafeBytes { JSONText.appendEscaped($0, to: output) }
              case .utf8:
                if JSONText.isValidUTF8(raw) {
                  JSONText.appendEscaped(raw, to: output)
                } else {
                  output.append("{\"base64\":\"")
                  JSONText.appendBase64(raw, to: output)
                  output.append("\"}")
                }
              }
            }
          }
          #expect(written == general, "\(style) \(bytes)")
        }
      }
    }
  }
}
