import Foundation
import RDBKit
import Testing

/// A field or member twice in a set, hash or sorted set stored as a hash table or skip list
/// (read element by element): refused, as a loading server refuses it, on every path (mapped,
/// the element-free handler `verify` uses, and reads of a few bytes). Small values are checked
/// exactly and the repeat named where it is; larger ones by hashes sorted as they grow.
@Suite struct HashTableRepeatTests {
  /// A hash-table type and how one of its elements is written.
  enum Shape: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case set, sortedSet, sortedSet2, hash, hashWithTTLs, valkeyHash2

    var testDescription: String { rawValue }

    /// A header for the type's format, the type byte and anything before the count.
    func begin() -> RDBImageBuilder {
      var image =
        self == .valkeyHash2 ? RDBImageBuilder(header: "VALKEY080") : RDBImageBuilder(version: 12)
      switch self {
      case .set: image.key(type: 2, "k")
      case .sortedSet: image.key(type: 3, "k")
      case .sortedSet2: image.key(type: 5, "k")
      case .hash: image.key(type: 4, "k")
      case .hashWithTTLs:
        image.key(type: 24, "k")
        image.littleEndian(Int64(1_000))
      case .valkeyHash2: image.key(type: 22, "k")
      }
      return image
    }

    /// Writes one element whose field or member is `member` (an RDB string's bytes); returns
    /// the offset of that string.
    func append(_ member: [UInt8], to image: inout RDBImageBuilder) -> Int {
      if self == .hashWithTTLs { image.length(0) }
      let offset = image.offset
      image.raw(member)
      switch self {
      case .set: break
      case .sortedSet: image.string("1.5")
      case .sortedSet2: image.littleEndian(Double(1.5).bitPattern)
      case .hash, .hashWithTTLs: image.string("v")
      case .valkeyHash2:
        image.string("v")
        image.littleEndian(Int64(-1))
      }
      return offset
    }

    /// A value of `members` (RDB strings); returns the image and each member's offset.
    func image(_ members: [[UInt8]]) -> (bytes: [UInt8], offsets: [Int], end: Int) {
      var image = begin()
      image.length(UInt64(members.count))
      let offsets = members.map { append($0, to: &image) }
      return (image.finished(), offsets, image.offset)
    }
  }

  static func raw(_ text: String) -> [UInt8] {
    RDBImageBuilder.length(UInt64(text.utf8.count)) + text.utf8
  }

  /// `count` distinct members, `m0`, `m1`, …
  static func distinct(_ count: Int) -> [[UInt8]] { (0..<count).map { raw("m\($0)") } }

  static func expectRepeat(
    _ bytes: [UInt8], at offset: Int, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    expectFailure(bytes, .corruptStructure, at: offset, key: "k", sourceLocation: sourceLocation)
    let message = ParseOutcome.mapped(bytes).error.map { "\($0)" } ?? "no error"
    #expect(message.contains("appears twice"), "\(message)", sourceLocation: sourceLocation)
  }

  /// The repeat is named at its own offset; distinct elements parse.
  @Test(arguments: Shape.allCases)
  func smallValueRepeatIsNamedWhereItIs(_ shape: Shape) {
    let members = ["a", "b", "c"].map(Self.raw)
    #expect(expectKeys(shape.image(members).bytes).count == 1)
    let repeated = shape.image(members + [Self.raw("b")])
    Self.expectRepeat(repeated.bytes, at: repeated.offsets[3])
  }

  /// Members compare by their text: an integer-encoded 12 equals "12", not "012"; an
  /// LZF-compressed member (which `verify` used to leave to the checksum) equals its raw form.
  @Test(arguments: [Shape.set, .hash])
  func encodingsCompareByText(_ shape: Shape) {
    let integer: [UInt8] = [0xC0, 12]
    let twelve = shape.image([integer, Self.raw("x"), Self.raw("12")])
    Self.expectRepeat(twelve.bytes, at: twelve.offsets[2])
    #expect(expectKeys(shape.image([integer, Self.raw("012")]).bytes).count == 1)
    let text = "abcdefghijklmnopqrstuvwxyz0"
    let literal = [UInt8(text.utf8.count - 1)] + text.utf8
    let compressed =
      [0xC3] + RDBImageBuilder.length(UInt64(literal.count))
      + RDBImageBuilder.length(UInt64(text.utf8.count)) + literal
    let lzf = shape.image([compressed, Self.raw("y"), Self.raw(text)])
    Self.expectRepeat(lzf.bytes, at: lzf.offsets[2])
  }

  /// An integer-encoded member's text is kept for the comparisons that follow, on a mapped
  /// file too: the next integer's text, written where the reader renders integers, once
  /// replaced it there, and a repeat of 12 after 13 passed a mapped file (a pipe reported it).
  @Test(arguments: Shape.allCases)
  func integerTextOutlivesTheNextInteger(_ shape: Shape) {
    let twelve: [UInt8] = [0xC0, 12]
    let thirteen: [UInt8] = [0xC0, 13]
    let image = shape.image([twelve, thirteen, Self.raw("12")])
    Self.expectRepeat(image.bytes, at: image.offsets[2])
    let integers = shape.image([twelve, thirteen, [0xC1, 0x10, 0x27], twelve])
    Self.expectRepeat(integers.bytes, at: integers.offsets[3])
  }

  /// Past 16,384 elements (or 256 KiB of them) the hashes are kept and sorted when their
  /// number has doubled (32,768 first) and at the end: a repeat is reported at the element
  /// where the sort found it, or at the value's end. Before, at the repeat itself.
  @Test(arguments: [Shape.set, .sortedSet2, .hash])
  func largeValuesAreCheckedByHashes(_ shape: Shape) {
    let members = Self.distinct(40_000)
    #expect(expectKeys(shape.image(members).bytes).first?.elementCount == 40_000)
    let early = shape.image(Array(members[..<16_000]) + [members[5]])
    Self.expectRepeat(early.bytes, at: early.offsets[16_000])
    let atEnd = shape.image(Array(members[..<20_000]) + [members[5]])
    Self.expectRepeat(atEnd.bytes, at: atEnd.end)
    // A repeat of m5 as element 20,001: found when 32,768 hashes are sorted.
    let inside = shape.image(Array(members[..<20_000]) + [members[5]] + members[20_000...])
    Self.expectRepeat(inside.bytes, at: inside.offsets[32_767])
    // 300 members of 1,000 bytes pass 256 KiB: hashes from the 263rd.
    let wide = (0..<300).map { Self.raw(String(repeating: "w", count: 996) + "\($0 + 1000)") }
    let wideRepeat = shape.image(wide + [wide[5]])
    Self.expectRepeat(wideRepeat.bytes, at: wideRepeat.end)
  }

  /// The hashes are checked in buckets by their top bits: a repeat of any earlier element,
  /// from the table's part or the hashes', next to it or far from it, and a value of one
  /// member many times, are found at the value's end.
  @Test(arguments: [0, 1, 9_999, 16_383, 16_384, 19_998, 19_999])
  func everyRepeatIsFoundByTheBuckets(_ repeated: Int) {
    let members = Self.distinct(20_000)
    let image = Shape.sortedSet2.image(members + [members[repeated]])
    Self.expectRepeat(image.bytes, at: image.end)
    let same = Shape.set.image(members[..<16_384] + Array(repeating: members[repeated], count: 3))
    Self.expectRepeat(same.bytes, at: same.end)
  }

  /// A repeat is reported, not the damage after it: the next element's, or the input's end
  /// before the repeated element's score or value (`verify`'s handler, which is not given the
  /// elements, finishes checking an element while it reads the next one).
  @Test(arguments: Shape.allCases)
  func repeatBeforeDamageWins(_ shape: Shape) {
    let members = ["a", "b", "c", "b"].map(Self.raw)
    var image = shape.begin()
    image.length(5)
    let offsets = members.map { shape.append($0, to: &image) }
    image.raw([0xC5])
    Self.expectRepeat(image.finished(), at: offsets[3])
    let whole = shape.image(members)
    let cut = whole.offsets[3] + members[3].count
    Self.expectRepeat(Array(whole.bytes[..<cut]), at: whole.offsets[3])
  }

  /// A damaged element before a repeat found by the hashes is reported, not the repeat.
  @Test func damageBeforeALateRepeatWins() {
    let members = Self.distinct(20_000)
    let damaged: [UInt8] = [0xC5]
    let image = Shape.set.image(members + [members[1], damaged])
    expectFailure(image.bytes, .invalidStringEncoding, at: image.offsets[20_001], key: "k")
  }
}

extension CollectedKey {
  /// Members, fields or scored members, whichever the key holds.
  fileprivate var elementCount: Int { max(elements.count, pairs.count, scores.count) }
}
