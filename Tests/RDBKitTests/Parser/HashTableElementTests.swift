import Foundation
import RDBKit
import Testing

/// The element loops of hash tables and skip lists take a plain string under 64 bytes that the
/// window holds in line, and check it in the table without a call when it stays valid (a
/// mapped file); anything else goes the general way. Whichever way an element comes, a repeat
/// is named at the same byte, on every path, and damage before or after it keeps its order.
@Suite struct HashTableElementTests {
  typealias Shape = HashTableRepeatTests.Shape

  /// An element's text stored as a plain string with the shortest length header.
  static func raw(_ text: [UInt8]) -> [UInt8] {
    RDBImageBuilder.length(UInt64(text.count)) + text
  }

  /// Members of every length around the 6-bit header's limit (0 to 70 bytes), an
  /// integer-encoded one and an LZF-compressed one.
  static let mixed: [[UInt8]] = {
    var members: [[UInt8]] = (0...70).map { (length: Int) -> [UInt8] in
      var text = [UInt8](repeating: UInt8(ascii: "x"), count: max(0, length - 2))
      text.append(UInt8(48 + length % 10))
      text.append(UInt8(97 + length / 10))
      return raw(text)
    }
    members[0] = raw([])
    members.append([0xC1, 0x39, 0x30])  // 12345
    let text = Array("abcdefghijklmnopqrstuvwxyz0".utf8)
    let literal: [UInt8] = [UInt8(text.count - 1)] + text
    var compressed: [UInt8] = [0xC3]
    compressed += RDBImageBuilder.length(UInt64(literal.count))
    compressed += RDBImageBuilder.length(UInt64(text.count))
    members.append(compressed + literal)
    return members
  }()

  /// A repeat of an earlier element at each position, whatever each one's form, is named at
  /// its own offset; the value without it parses.
  @Test(arguments: Shape.allCases)
  func repeatAtEachPositionIsNamedThere(_ shape: Shape) {
    let members = Self.mixed
    #expect(expectKeys(shape.image(members).bytes).count == 1)
    for position in [1, 2, 30, 62, 63, 64, 65, 71, 72] {
      for earlier in Set([0, position / 2, position - 1]) {
        var repeated = members
        repeated.insert(members[earlier], at: position)
        let image = shape.image(repeated)
        HashTableRepeatTests.expectRepeat(image.bytes, at: image.offsets[position])
      }
    }
  }

  /// The same text behind a 6-bit, a 14-bit and a 32-bit length header is one element.
  @Test(arguments: Shape.allCases)
  func lengthFormsCompareByText(_ shape: Shape) {
    for length in [0, 5, 63] {
      let text = [UInt8](repeating: UInt8(ascii: "q"), count: length)
      let short = [UInt8(length)] + text
      let medium = [0x40, UInt8(length)] + text
      let long = [0x80, 0, 0, 0, UInt8(length)] + text
      for (first, second) in [(short, medium), (medium, short), (short, long), (long, short)] {
        let image = shape.image([first, Self.raw(Array("other".utf8)), second])
        HashTableRepeatTests.expectRepeat(image.bytes, at: image.offsets[2])
      }
    }
  }

  /// The table's limits: the 16,384th element and the element that fills 256 KiB are still
  /// checked in the table (a repeat named where it is); one more, and the repeat is found
  /// among the hashes at the value's end.
  @Test(arguments: [Shape.set, .sortedSet2, .hash])
  func repeatsAtTheTableLimits(_ shape: Shape) {
    let members = HashTableRepeatTests.distinct(16_384)
    let last = shape.image(Array(members[..<16_383]) + [members[7]])
    HashTableRepeatTests.expectRepeat(last.bytes, at: last.offsets[16_383])
    let past = shape.image(members + [members[7]])
    HashTableRepeatTests.expectRepeat(past.bytes, at: past.end)
    // 256 elements of 1,024 bytes fill 256 KiB exactly.
    let wide = (0..<257).map { index in
      Self.raw(Array((String(repeating: "w", count: 1_019) + "\(index + 10_000)").utf8))
    }
    let full = shape.image(Array(wide[..<255]) + [wide[3]])
    HashTableRepeatTests.expectRepeat(full.bytes, at: full.offsets[255])
    let over = shape.image(Array(wide[..<256]) + [wide[3]])
    HashTableRepeatTests.expectRepeat(over.bytes, at: over.end)
  }

  /// Damage right before a repeated element is reported, not the repeat; damage right after
  /// it, or the input's end inside the next element, is not.
  @Test(arguments: Shape.allCases)
  func damageAroundARepeatKeepsItsOrder(_ shape: Shape) {
    let members = Array(Self.mixed[60...66])
    var image = shape.begin()
    image.length(UInt64(members.count + 2))
    var offsets = members.map { shape.append($0, to: &image) }
    offsets.append(shape.append(members[2], to: &image))
    image.raw([0xC5])
    HashTableRepeatTests.expectRepeat(image.finished(), at: offsets[members.count])
    let whole = shape.image(members + [members[2], Self.raw(Array("tail".utf8))])
    for cut in [whole.offsets[members.count + 1] + 1, whole.offsets[members.count + 1] + 3] {
      HashTableRepeatTests.expectRepeat(
        Array(whole.bytes[..<cut]), at: whole.offsets[members.count])
    }
    var damaged = shape.begin()
    damaged.length(UInt64(members.count + 2))
    _ = members.map { shape.append($0, to: &damaged) }
    let broken = shape.append([0xC5], to: &damaged)
    _ = shape.append(members[2], to: &damaged)
    expectFailure(damaged.finished(), .invalidStringEncoding, at: broken, key: "k")
  }
}
