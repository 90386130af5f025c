import Testing

@testable import RDBKit

/// ``DecimalText``'s writes against `description`: every width, both signs, the ends of
/// each integer type.
@Suite struct DecimalTextTests {
  /// Every power of ten and its neighbours, the ends of UInt64, and a stride through the
  /// values below 10^17 that changes width at every step.
  static func unsignedValues() -> [UInt64] {
    var values: [UInt64] = [0, 1, 9, UInt64.max, UInt64.max - 1, UInt64(Int64.max)]
    var power: UInt64 = 1
    for _ in 0...19 {
      values += [power &- 1, power, power &+ 1]
      power &*= 10
    }
    var value: UInt64 = 1
    while value < 100_000_000_000_000_000 {
      values.append(value)
      value = value &* 7 &+ 3
    }
    values += stride(from: 0, to: 1_000_000, by: 997).map { UInt64($0) }
    return values
  }

  @Test func unsignedMatchesDescription() {
    var out = [UInt8](repeating: 0, count: 32)
    for value in Self.unsignedValues() {
      let count = out.withUnsafeMutableBytes { bytes in
        unsafe DecimalText.write(unsigned: value, to: bytes.baseAddress!)
      }
      #expect(String(decoding: out.prefix(count), as: UTF8.self) == value.description)
    }
  }

  @Test func signedMatchesDescription() {
    var out = [UInt8](repeating: 0, count: 32)
    var values: [Int64] = [Int64.min, Int64.min + 1, Int64.max, -1]
    for value in Self.unsignedValues() where value <= UInt64(Int64.max) {
      values += [Int64(value), -Int64(value)]
    }
    for value in values {
      let count = out.withUnsafeMutableBytes { bytes in
        unsafe DecimalText.write(value, to: bytes.baseAddress!)
      }
      #expect(String(decoding: out.prefix(count), as: UTF8.self) == value.description)
    }
  }
}
