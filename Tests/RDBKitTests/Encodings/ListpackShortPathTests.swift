import Testing

@testable import RDBKit

/// ``ListpackReader/nextSimple()``, the short path of ``PackedReader/nextElement()``, against
/// ``ListpackReader/next()`` alone: the same elements and the same error, at the same element,
/// on listpacks of every encoding, whole, cut short and with bytes overwritten.
struct ListpackShortPathTests {
  /// What a walk met: each element as text, then the error that ended it, if any.
  static func walk(_ blob: [UInt8], short: Bool) -> [String] {
    unsafe blob.withUnsafeBytes { bytes in
      var met: [String] = []
      do throws(RDBError) {
        var reader = unsafe try ListpackReader(bytes, origin: 0)
        while let element = try short ? reader.nextElement() : reader.next() {
          met.append(
            element.isInteger
              ? "int \(element.integer)" : "string \(unsafe Array(element.string))")
        }
        met.append("end at \(reader.count)")
      } catch {
        met.append("error \(error)")
      }
      return met
    }
  }

  static func element(_ random: inout SplitMix64) -> ListpackElement {
    let text = [UInt8](repeating: UInt8(97 + random.next() % 26), count: Int(random.next() % 70))
    switch random.next() % 9 {
    case 0: return .uint7(UInt8(random.next() % 128))
    case 1: return .int13(Int16(Int(random.next() % 8192) - 4096))
    case 2: return .int16(Int16(truncatingIfNeeded: random.next()))
    case 3: return .int24(Int32(Int(random.next() % (1 << 24)) - (1 << 23)))
    case 4: return .int32(Int32(truncatingIfNeeded: random.next()))
    case 5: return .int64(Int64(bitPattern: random.next()))
    case 6: return .stringForced(text, bits: 12)
    case 7: return .string(text + text)
    default: return .string(text)
    }
  }

  @Test(arguments: 0..<300)
  func shortPathAgrees(_ seed: Int) {
    var random = SplitMix64(seed: UInt64(seed))
    let elements = (0..<Int(random.next() % 20)).map { _ in Self.element(&random) }
    var blob = listpack(elements)
    switch seed % 3 {
    case 1:
      // A few bytes overwritten after the header.
      for _ in 0..<1 + Int(random.next() % 3) where blob.count > 7 {
        blob[6 + Int(random.next() % UInt64(blob.count - 7))] = UInt8(random.next() % 256)
      }
    case 2:
      // Cut short, the header's total and end marker kept right.
      let cut = 6 + Int(random.next() % UInt64(blob.count - 6))
      blob = Array(blob[..<cut]) + [0xFF]
      let total = UInt32(blob.count)
      for index in 0..<4 { blob[index] = UInt8(truncatingIfNeeded: total >> (8 * index)) }
    default:
      break
    }
    #expect(Self.walk(blob, short: true) == Self.walk(blob, short: false), "seed \(seed)")
  }
}
