import RDBKit
import Testing

/// Repeated members and fields in packed values (rdb-format.md §6.1 rule 9): elements compare
/// by their text, whatever their listpack encoding, on the collecting path and on the `verify`
/// path (which checks listpacks in place); `expectFailure` and `expectKeys` run both.
@Suite struct DuplicateCheckTests {
  static func set(_ elements: [ListpackElement]) -> [UInt8] {
    ListpackTests.image(type: 20, listpack(elements, count: 0xFFFF))
  }

  static func hash(_ elements: [ListpackElement]) -> [UInt8] {
    ListpackTests.image(type: 16, listpack(elements, count: 0xFFFF))
  }

  /// The same number as an integer element and as a string element is one member twice.
  @Test(arguments: [
    (ListpackElement.int13(12), "12"), (.uint7(0), "0"), (.int16(-300), "-300"),
    (.int64(.max), "\(Int64.max)"), (.int64(.min), "\(Int64.min)"),
  ])
  func integerAndItsTextAreOneMember(_ integer: ListpackElement, _ text: String) {
    expectFailure(Self.set([integer, .string(utf8(text))]), .corruptStructure, at: 12, key: "k")
    expectFailure(Self.set([.string(utf8(text)), integer]), .corruptStructure, at: 12, key: "k")
  }

  /// Text that is not the canonical decimal form of the integer is another member.
  @Test(arguments: ["012", "-0", "+12", "12 ", " 12", "12.0", "1e1", "9223372036854775808"])
  func nonCanonicalTextIsAnotherMember(_ text: String) {
    let keys = expectKeys(Self.set([.int13(12), .uint7(0), .string(utf8(text))]))
    #expect(keys.first?.elements.count == 3)
  }

  @Test func emptyStringsAndSameLengthStrings() {
    expectFailure(Self.set([.string([]), .string([])]), .corruptStructure, at: 12, key: "k")
    #expect(
      expectKeys(Self.set([.string([]), .uint7(0), .string(utf8("ab")), .string(utf8("ba"))]))
        .first?.elements.count == 4)
  }

  /// Hundreds of members grow the table past its first size; a repeat of the first member is
  /// still found at the end, and a value equal to a field's name is not a repeat.
  @Test func largeValuesAndRepeatsFarApart() {
    let members: [ListpackElement] = (0..<1000).map { index in
      index.isMultiple(of: 2) ? .string(utf8("member:\(index)")) : .int24(Int32(index) * 7919)
    }
    #expect(expectKeys(Self.set(members)).first?.elements.count == 1000)
    expectFailure(Self.set(members + [members[0]]), .corruptStructure, at: 12, key: "k")
    expectFailure(Self.set(members + [members[999]]), .corruptStructure, at: 12, key: "k")
    var pairs: [ListpackElement] = []
    for index in 0..<600 { pairs += [.string(utf8("f\(index)")), .string(utf8("f\(index + 1)"))] }
    #expect(expectKeys(Self.hash(pairs)).first?.pairs.count == 600)
    expectFailure(
      Self.hash(pairs + [.string(utf8("f599")), .uint7(1)]), .corruptStructure, at: 12, key: "k")
  }

  /// Each value is checked on its own: the same member in two keys is no repeat.
  @Test func eachValueStartsEmpty() {
    var image = RDBImageBuilder(version: 11)
    for name in ["a", "b", "c"] {
      image.key(type: 20, name)
      image.string(listpack([.string(utf8("shared")), .int13(12)]))
    }
    #expect(expectKeys(image.finished()).count == 3)
  }
}
