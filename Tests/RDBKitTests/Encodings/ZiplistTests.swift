import RDBKit
import Testing

/// Ziplists (rdb-format.md §6.1) through types 10, 12, 13 and 14. The blob is the RDB string
/// at offset 12, which is where every ziplist error points.
@Suite struct ZiplistTests {
  static func image(type: UInt8, _ blob: [UInt8], version: Int = 9) -> [UInt8] {
    var image = RDBImageBuilder(version: version)
    image.key(type: type, "k")
    image.string(blob)
    return image.finished()
  }

  static let long = [UInt8](repeating: 0x6C, count: 300)
  static let huge = [UInt8](repeating: 0x68, count: 70_000)

  @Test func everyEntryEncoding() {
    let entries: [(ZiplistEntry, String)] =
      [
        (.string(utf8("hi")), hexText("hi")),
        (.string(Self.long), hexBytes(Self.long)),  // 14-bit header; next prevlen is 5 bytes
        (.string(Self.huge), hexBytes(Self.huge)),  // 32-bit header
        (.stringForced(utf8("x"), header: 5), hexText("x")),
        (.stringForced(utf8("y"), header: 2), hexText("y")),
        (.verbatim([0x85, 0, 0, 0, 1, 0x7A]), hexText("z")),  // low 6 bits of 0x80 ignored
        (.string([]), ""),
        (.int16(-300), hexText("-300")), (.int16(32767), hexText("32767")),
        (.int32(100_000), hexText("100000")), (.int32(-2_147_483_648), hexText("-2147483648")),
        (.int64(9_999_999_999), hexText("9999999999")), (.int64(.min), hexText("\(Int64.min)")),
        (.int24(-70000), hexText("-70000")), (.int24(8_388_607), hexText("8388607")),
        (.int24(-8_388_608), hexText("-8388608")),
        (.int8(-5), hexText("-5")), (.int8(127), hexText("127")), (.int8(-128), hexText("-128")),
      ] + (0...12).map { (ZiplistEntry.immediate(UInt8($0)), hexText("\($0)")) }
    let keys = expectKeys(Self.image(type: 10, ziplist(entries.map(\.0))))
    #expect(keys.first?.elements == entries.map(\.1))
    #expect(keys.first?.encoding == "ziplist")
  }

  @Test func fiveBytePrevlenWithASmallValueIsAccepted() {
    // Writers may leave the 5-byte form after a cascade update (§6.1).
    var blob: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 2, 0]
    blob += [0x00, 0xF2]  // prevlen 0, immediate 1
    blob += [0xFE, 2, 0, 0, 0, 0xF3]  // prevlen 2 in 5 bytes, immediate 2
    blob += [0xFF]
    blob.replaceSubrange(0..<4, with: RDBImageBuilder.littleEndian(UInt32(blob.count)))
    blob.replaceSubrange(4..<8, with: RDBImageBuilder.littleEndian(UInt32(12)))
    #expect(expectKeys(Self.image(type: 10, blob)).first?.elements == [hexText("1"), hexText("2")])
  }

  @Test func unknownCountIsCountedByWalking() {
    let blob = ziplist([.immediate(1), .immediate(2)], count: 0xFFFF)
    #expect(expectKeys(Self.image(type: 10, blob)).first?.elements.count == 2)
  }

  @Test func emptyZiplistIsNotAnError() {
    let keys = expectKeys(Self.image(type: 10, ziplist([])))
    #expect(keys.count == 1 && keys.first?.elements == [])
  }

  @Test func sortedSetPairs() {
    let blob = ziplist([
      .string(utf8("a")), .immediate(1), .string(utf8("b")), .string(utf8("1.5")),
      .string(utf8("c")), .string(utf8("inf")), .string(utf8("d")), .string(utf8("-inf")),
      .string(utf8("e")), .int64(-9_000_000_000),
    ])
    let keys = expectKeys(Self.image(type: 12, blob))
    #expect(keys.first?.scores.map(\.0) == ["a", "b", "c", "d", "e"].map(hexText))
    #expect(keys.first?.scores.map(\.1) == [1, 1.5, .infinity, -.infinity, -9_000_000_000])
    #expect(keys.first?.type == "zset")
  }

  /// A score that is not a number is read as the server reads it (`strtod` of the text), with
  /// a warning at the blob naming the key.
  @Test(arguments: [("nan", Double.nan), ("abc", 0), ("1.5x", 1.5), (" 1", 1), ("", 0)])
  func scoresThatAreNotNumbers(_ score: String, _ loaded: Double) throws {
    let blob = ziplist([.string(utf8("a")), .string(utf8(score))])
    var scores = RecordedScores()
    let summary = try RDBParser().parse(Self.image(type: 12, blob), into: &scores)
    let read = try #require(scores.scores.first?.1)
    #expect(read == loaded || (read.isNaN && loaded.isNaN))
    let warning = try #require(summary.warnings.first)
    #expect(warning.offset == 12 && warning.key == "k")
    guard case .sortedSetScore(let text, _) = warning.kind else {
      Issue.record("\(warning)")
      return
    }
    #expect(text == score)
  }

  @Test func hashPairs() {
    let blob = ziplist([
      .string(utf8("f1")), .string(utf8("v1")), .string(utf8("f2")), .int16(1000),
    ])
    let keys = expectKeys(Self.image(type: 13, blob))
    #expect(keys.first?.pairs.map(\.0) == [hexText("f1"), hexText("f2")])
    #expect(keys.first?.pairs.map(\.1) == [hexText("v1"), hexText("1000")])
  }

  @Test(arguments: [UInt8(12), 13])
  func oddCountForPairs(_ type: UInt8) {
    let blob = ziplist([.string(utf8("a")), .immediate(1), .string(utf8("b"))])
    expectFailure(Self.image(type: type, blob), .corruptStructure, at: 12, key: "k")
  }

  @Test func quicklistOfZiplistNodes() {
    var image = RDBImageBuilder(version: 7)
    image.key(type: 14, "k")
    image.length(2)
    image.string(ziplist([.string(utf8("a")), .immediate(5)]))
    image.string(ziplist([.int32(70000)]))
    let keys = expectKeys(image.finished())
    #expect(keys.first?.elements == [hexText("a"), hexText("5"), hexText("70000")])
    #expect(keys.first?.encoding == "quicklist")
  }

  // MARK: - §6.1 integrity checks, each on an otherwise valid blob

  static let valid = ziplist([.string(utf8("ab")), .immediate(7), .string(utf8("cd"))])

  static func patched(_ blob: [UInt8], _ offset: Int, _ bytes: [UInt8]) -> [UInt8] {
    var blob = blob
    blob.replaceSubrange(offset..<offset + bytes.count, with: bytes)
    return blob
  }

  static let corruptions: [(String, [UInt8])] = [
    ("1: shorter than 11 bytes", [10, 0, 0, 0, 10, 0, 0, 0, 0, 0xFF]),
    ("2: zlbytes larger than the blob", patched(valid, 0, [UInt8(valid.count + 1)])),
    ("2: zlbytes smaller than the blob", patched(valid, 0, [UInt8(valid.count - 1)])),
    ("3: last byte not 0xFF", patched(valid, valid.count - 1, [0xFE])),
    ("4: zltail past the end", patched(valid, 4, [UInt8(valid.count)])),
    ("5: string runs past the end", patched(valid, 11, [0x3F])),
    ("5: 14-bit string runs past the end", patched(valid, 11, [0x40, 0x30])),
    ("5: 32-bit string runs past the end", patched(valid, 11, [0x80, 0x00])),
    ("5: invalid encoding 0xC1", patched(valid, 11, [0xC1])),
    ("5: invalid encoding 0xD7", patched(valid, 11, [0xD7])),
    ("5: invalid encoding 0xEF", patched(valid, 11, [0xEF])),
    ("5: int64 runs past the end", patched(valid, 15, [0xE0])),
    ("5: first prevlen not 0", patched(valid, 10, [0x01])),
    ("5: prevlen does not match", patched(valid, 14, [0x03])),
    ("5: 5-byte prevlen runs past the end", ziplistWithTail([0x00, 0xF2, 0xFE, 2, 0])),
    ("6: 0xFF inside the entries", ziplistWithTail([0x00, 0xF2, 0xFF, 0xF3])),
    ("7: zltail is not the last entry", patched(valid, 4, [10])),
    ("8: zllen too large", patched(valid, 8, [4])),
    ("8: zllen too small", patched(valid, 8, [2])),
  ]

  /// A ziplist with `body` between a header that is right about its size and an end byte.
  static func ziplistWithTail(_ body: [UInt8]) -> [UInt8] {
    let total = 10 + body.count + 1
    return RDBImageBuilder.littleEndian(UInt32(total)) + RDBImageBuilder.littleEndian(UInt32(10))
      + [2, 0] + body + [0xFF]
  }

  @Test(arguments: corruptions)
  func integrityViolations(_ name: String, _ blob: [UInt8]) {
    expectFailure(Self.image(type: 10, blob), .corruptStructure, at: 12, key: "k")
    // The same blob as a hash or quicklist node is checked the same way.
    var node = RDBImageBuilder(version: 7)
    node.key(type: 14, "k")
    node.length(1)
    node.string(blob)
    expectFailure(node.finished(), .corruptStructure, at: 13, key: "k")
  }

  @Test func lzfCompressedZiplistBlob() {
    // A 100-byte ziplist of one 86-byte string "aaa…", LZF-compressed like a Redis 3.2 node.
    let payload = [UInt8](repeating: 0x61, count: 86)
    let blob = ziplist([.string(payload)])
    #expect(blob.count == 100)
    // Literal: header, prevlen, 14-bit header and the first 'a'; then 85 'a' at distance 1
    // (n = 83: 0xE0, 83 - 7, offset byte 0); then a literal 0xFF.
    var compressed: [UInt8] = [13] + blob.prefix(14)
    compressed += [0xE0, 83 - 7, 0x00]
    compressed += [0x00, 0xFF]
    var image = RDBImageBuilder(version: 7)
    image.key(type: 10, "k")
    image.byte(0xC3)
    image.length(UInt64(compressed.count))
    image.length(100)
    image.raw(compressed)
    #expect(expectKeys(image.finished()).first?.elements == [hexBytes(payload)])
  }
}
