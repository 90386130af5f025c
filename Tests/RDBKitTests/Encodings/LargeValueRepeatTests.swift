import RDBKit
import Testing

/// Repeats in packed values larger than the streaming table's limit (16 KiB), which are
/// checked in passes over hashes in bounded memory: the same verdicts as the table, for every
/// packed type that has unique elements, on the collecting and the counting paths, and a
/// structural error before a repeat still wins over it (and after it, still loses).
@Suite struct LargeValueRepeatTests {
  static func set(_ elements: [ListpackElement]) -> [UInt8] {
    ListpackTests.image(type: 20, listpack(elements, count: 0xFFFF))
  }

  /// 8,000 members of 5 bytes (40 KB): more hashes than the value's size, so four passes.
  static let tinyMembers: [ListpackElement] = (0..<8000).map { .int24(Int32($0) * 3) }
  /// 1,200 members of 23 bytes (27 KB): one pass.
  static let wideMembers: [ListpackElement] = (0..<1200).map {
    .string(utf8("member-" + String(repeating: "0", count: 10) + "\($0 + 1000)"))
  }

  /// Whether parsing `bytes` fails with the repeat error at `offset` (on every path).
  static func expectRepeat(
    _ bytes: [UInt8], at offset: Int = 12, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    expectFailure(bytes, .corruptStructure, at: offset, key: "k", sourceLocation: sourceLocation)
    let message = ParseOutcome.mapped(bytes).error.map { "\($0)" } ?? "no error"
    #expect(message.contains("appears twice"), "\(message)", sourceLocation: sourceLocation)
  }

  /// Tiny members (four passes) and wide ones (one pass).
  @Test(arguments: [true, false])
  func setsWithoutAndWithARepeat(tiny: Bool) {
    let members = tiny ? Self.tinyMembers : Self.wideMembers
    #expect(expectKeys(Self.set(members)).first?.elements.count == members.count)
    Self.expectRepeat(Self.set(members + [members[0]]))
    Self.expectRepeat(Self.set([members[members.count - 1]] + members))
    Self.expectRepeat(Self.set(Array(members[..<500]) + [members[250]] + members[500...]))
  }

  /// An integer member and the string of its digits are one member in a large value too.
  @Test func integerAndItsTextInALargeSet() {
    Self.expectRepeat(Self.set(Self.tinyMembers + [.string(utf8("2997"))]))
    #expect(
      expectKeys(Self.set(Self.tinyMembers + [.string(utf8("02997"))])).first?.elements.count
        == 8001)
  }

  /// An element the listpack cannot hold (encoding byte 0xF5) after a repeat: the repeat is
  /// reported, as the walk meets it first; before the repeat, the damage is.
  @Test func damageAndRepeatInFileOrder() {
    let damaged = ListpackElement.verbatim([0xF5])
    let members = Self.tinyMembers
    Self.expectRepeat(Self.set(members + [members[7], damaged]))
    let bytes = Self.set(members + [damaged, members[7]])
    expectFailure(bytes, .corruptStructure, at: 12, key: "k")
    let message = ParseOutcome.mapped(bytes).error.map { "\($0)" } ?? "no error"
    #expect(!message.contains("appears twice"), "\(message)")
  }

  /// Hash fields repeat only as fields: a value equal to another field is no repeat.
  @Test func largeListpackAndZiplistHashes() {
    var pairs: [ListpackElement] = []
    var zipPairs: [ZiplistEntry] = []
    for index in 0..<3000 {
      pairs += [.string(utf8("f\(index)")), .string(utf8("f\(index + 1)"))]
      zipPairs += [.string(utf8("f\(index)")), .string(utf8("f\(index + 1)"))]
    }
    let hash = { (elements: [ListpackElement]) in
      ListpackTests.image(type: 16, listpack(elements, count: 0xFFFF))
    }
    #expect(expectKeys(hash(pairs)).first?.pairs.count == 3000)
    Self.expectRepeat(hash(pairs + [.string(utf8("f1234")), .uint7(1)]))
    let zipHash = { (entries: [ZiplistEntry]) in
      ZiplistTests.image(type: 13, ziplist(entries, count: 0xFFFF))
    }
    #expect(expectKeys(zipHash(zipPairs)).first?.pairs.count == 3000)
    Self.expectRepeat(zipHash(zipPairs + [.string(utf8("f2999")), .immediate(1)]))
  }

  /// Type 25 triplets: a repeated field, and a bad TTL before it, which wins.
  @Test func largeHashWithFieldTTLs() {
    var triplets: [ListpackElement] = []
    for index in 0..<2500 { triplets += [.string(utf8("field\(index)")), .uint7(1), .uint7(0)] }
    let image = { (elements: [ListpackElement]) in
      HashFieldTTLTests.type25(elements)
    }
    #expect(expectKeys(image(triplets)).first?.pairs.count == 2500)
    Self.expectRepeat(image(triplets + [.string(utf8("field9")), .uint7(1), .uint7(0)]), at: 20)
    expectFailure(
      image(
        triplets + [.string(utf8("x")), .uint7(1), .string(utf8("bad"))]
          + [.string(utf8("field9")), .uint7(1), .uint7(0)]), .invalidValue, at: 20, key: "k")
  }

  /// A large zipmap (Redis 2.4) with a repeated field.
  @Test func largeZipmap() {
    let pairs = (0..<3000).map { (utf8("f\($0)"), utf8("v")) }
    #expect(expectKeys(ZipmapTests.image(zipmap(pairs))).first?.pairs.count == 3000)
    Self.expectRepeat(ZipmapTests.image(zipmap(pairs + [pairs[1500]])))
  }

  /// A large sorted set with a score that is not a number: one warning (the passes' own are
  /// dropped), and a repeated member.
  @Test func largeSortedSet() throws {
    var pairs: [ListpackElement] = []
    for index in 0..<3000 { pairs += [.string(utf8("m\(index)")), .uint7(UInt8(index % 100))] }
    let image = { (elements: [ListpackElement]) in
      ListpackTests.image(type: 17, listpack(elements, count: 0xFFFF))
    }
    let lenient = image(pairs + [.string(utf8("last")), .string(utf8("abc"))])
    #expect(expectKeys(lenient).first?.scores.count == 3001)
    #expect(try parseImage(lenient).1.warnings.count == 1)
    Self.expectRepeat(image(pairs + [.string(utf8("m77")), .uint7(3)]))
  }
}
