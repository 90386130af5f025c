import RDBKit
import Testing

/// Parser bugs the encoding and hostile-input tests found, each pinned by the behaviour
/// rdb-format.md and style.md ask for.
@Suite struct ParserRegressionTests {
  /// Was: skipping on the pipe path reported a short input at the end of the input, needing 1 byte,
  /// where the mapped path (and `take` on both paths) reports it at the start of the
  /// skipped field with the field's size. A truncated module DOUBLE (opcode 4) through a pipe
  /// says "byte 41: needed 1 bytes, 0 left"; mapped says "byte 39: needed 8 bytes, 2 left".
  @Test func pipeTruncationInsideASkippedFieldMatchesTheMappedPath() {
    var image = RDBImageBuilder(version: 9)
    image.key(type: 7, "k")
    image.length(0x45E2_5238_DF91_2C03)
    image.raw([4, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0])
    let bytes = Array(image.finished().prefix(24))  // opcode at 21, 2 of 8 payload bytes
    let expected = RDBError(.truncated(needed: 8, available: 2), at: 22, key: "k")
    #expect(ParseOutcome.mapped(bytes).error == expected)
    #expect(ParseOutcome.streamed(bytes, seed: 1).error == expected)
    // The same through a skipping handler, which steps over whole strings with `skip`.
    var skipped = RDBImageBuilder(version: 9)
    skipped.key(type: 0, "k")
    skipped.string([UInt8](repeating: 0x61, count: 40))
    let cut = Array(skipped.finished().prefix(20))  // 7 of 40 string bytes
    var mapped = SkippingCounter()
    var piped = SkippingCounter()
    let mappedError = #expect(throws: RDBError.self) { try RDBParser().parse(cut, into: &mapped) }
    let pipedError = #expect(throws: RDBError.self) {
      try RDBParser().parse(input: ChunkedInput(cut, seed: 1), into: &piped)
    }
    // Mapped knows the size (lengthTooLarge at 13, by design); the pipe cannot, but should
    // still say where the short field starts and how long it is.
    #expect(mappedError == RDBError(.lengthTooLarge(40), at: 13, key: "k"))
    #expect(pipedError == RDBError(.truncated(needed: 40, available: 7), at: 13, key: "k"))
  }

  /// Was: a string length above `Int.max` is reported at the length's first byte on the pipe
  /// path but after the length on the mapped path (`check(length:)` runs first there).
  /// `REDIS0012 00 01 6B 81 FF FF FF FF FF FF FF FF FF …`: mapped "byte 21: length
  /// 18446744073709551615 runs past the end", pipe "byte 12: …" — same kind, other offset.
  @Test func lengthAboveIntMaxHasOneOffset() {
    var huge = RDBImageBuilder()
    huge.key(type: 0, "k")
    huge.raw([0x81, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
    let bytes = huge.finished()
    #expect(ParseOutcome.mapped(bytes).error == ParseOutcome.streamed(bytes, seed: 1).error)
  }

  /// Was (rdb-format.md §6.1 rules 5–6): a ziplist entry whose 1-byte prevlen is `0xFF` is
  /// accepted when the previous entry is 255 bytes long. `0xFF` is the end marker, never a
  /// prevlen; Redis's walk stops there and then fails because it is not the last byte.
  @Test func ziplistPrevlenFFIsTheEndMarker() {
    // Entry 0: prevlen 0, 14-bit string of 252 bytes = 255 bytes. Entry 1: FF F2.
    var body: [UInt8] = [0x00, 0x40, 252] + [UInt8](repeating: 0x61, count: 252)
    body += [0xFF, 0xF2]
    let blob =
      RDBImageBuilder.littleEndian(UInt32(10 + body.count + 1))
      + RDBImageBuilder.littleEndian(UInt32(10 + 255)) + [2, 0] + body + [0xFF]
    #expect(ZiplistTests.ziplistWithTail([]).count == 11)
    expectFailure(ZiplistTests.image(type: 10, blob), .corruptStructure, at: 12, key: "k")
  }

  /// Was (§6.1 rule 9, §5.10, §6.2 type-specific checks, §9.2): duplicate hash fields and
  /// sorted-set members inside a ziplist or listpack are accepted; Redis rejects them.
  @Test func duplicateFieldsInPackedHashesAndSortedSets() {
    let zipHash = ziplist([.string(utf8("f")), .immediate(1), .string(utf8("f")), .immediate(2)])
    expectFailure(ZiplistTests.image(type: 13, zipHash), .corruptStructure, at: 12, key: "k")
    let zipZset = ziplist([.string(utf8("m")), .immediate(1), .string(utf8("m")), .immediate(2)])
    expectFailure(ZiplistTests.image(type: 12, zipZset), .corruptStructure, at: 12, key: "k")
    let lpHash = listpack([.string(utf8("f")), .uint7(1), .string(utf8("f")), .uint7(2)])
    expectFailure(
      ListpackTests.image(type: 16, lpHash, version: 10), .corruptStructure, at: 12, key: "k")
    let lpSet = listpack([.string(utf8("m")), .string(utf8("m"))])
    expectFailure(ListpackTests.image(type: 20, lpSet), .corruptStructure, at: 12, key: "k")
    let zipmapHash = zipmap([(utf8("f"), utf8("1")), (utf8("f"), utf8("2"))])
    expectFailure(ZipmapTests.image(zipmapHash), .corruptStructure, at: 12, key: "k")
  }
}
