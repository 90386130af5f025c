import RDBKit
import Testing

/// Listpacks (rdb-format.md §6.2) through type 20 (set listpack), 16, 17 and 18. The blob is
/// the RDB string at offset 12, where every listpack error points.
@Suite struct ListpackTests {
  static func image(type: UInt8 = 20, _ blob: [UInt8], version: Int = 11) -> [UInt8] {
    var image = RDBImageBuilder(version: version)
    image.key(type: type, "k")
    image.string(blob)
    return image.finished()
  }

  @Test func everyElementEncoding() {
    let s100 = [UInt8](repeating: 0x61, count: 100)
    let s200 = [UInt8](repeating: 0x62, count: 200)  // size 202: 2-byte backlen
    let s4095 = [UInt8](repeating: 0x63, count: 4095)  // 12-bit maximum
    let s5000 = [UInt8](repeating: 0x64, count: 5000)  // 32-bit length
    let s16378 = [UInt8](repeating: 0x65, count: 16378)  // size 16383: 3-byte backlen
    let elements: [(ListpackElement, String)] = [
      (.uint7(0), "0"), (.uint7(127), "127"),
      (.int13(-4096), "-4096"), (.int13(4095), "4095"), (.int13(-1), "-1"), (.int13(300), "300"),
      (.verbatim([0xC1, 0x2C]), "300"),
      (.string(utf8("x")), "x"), (.string([]), ""),
      (.stringForced(utf8("y"), bits: 12), "y"), (.stringForced(utf8("z"), bits: 32), "z"),
      (.int16(-32768), "-32768"), (.int16(32767), "32767"),
      (.int24(-70000), "-70000"), (.verbatim([0xF2, 0x90, 0xEE, 0xFE]), "-70000"),
      (.int24(8_388_607), "8388607"), (.int24(-8_388_608), "-8388608"),
      (.int32(.min), "\(Int32.min)"), (.int32(.max), "\(Int32.max)"),
      (.int64(9_999_999_999), "9999999999"),
      (.verbatim([0xF4, 0xFF, 0xE3, 0x0B, 0x54, 0x02, 0x00, 0x00, 0x00]), "9999999999"),
      (.int64(.min), "\(Int64.min)"), (.int64(.max), "\(Int64.max)"),
    ]
    let texts = elements.map { hexText($0.1) }
    let big: [(ListpackElement, String)] = [
      (.string(s100), hexBytes(s100)), (.string(s200), hexBytes(s200)),
      (.string(s4095), hexBytes(s4095)), (.string(s5000), hexBytes(s5000)),
      (.string(s16378), hexBytes(s16378)),
    ]
    let blob = listpack(elements.map(\.0) + big.map(\.0))
    // Some values repeat (in two encodings each), which a set may not hold: carry the
    // listpack as the one packed node of a list (type 18). Above 8 KiB it stays a quicklist.
    var image = RDBImageBuilder(version: 11)
    image.key(type: 18, "k")
    image.length(1)
    image.length(2)
    image.string(blob)
    let keys = expectKeys(image.finished())
    #expect(keys.first?.elements == texts + big.map(\.1))
    #expect(keys.first?.encoding == "quicklist")
    #expect(listpackBacklen(16383).count == 3 && listpackBacklen(16382).count == 2)
  }

  @Test func unknownCountIsCountedByWalking() {
    let keys = expectKeys(Self.image(listpack([.uint7(1), .uint7(2)], count: 0xFFFF)))
    #expect(keys.first?.elements == [hexText("1"), hexText("2")])
  }

  @Test func hashAndSortedSetPairs() throws {
    let hash = expectKeys(
      Self.image(type: 16, listpack([.string(utf8("a")), .uint7(1)]), version: 10))
    #expect(hash.first?.pairs.first.map { [$0.0, $0.1] } == [hexText("a"), hexText("1")])
    let zset = expectKeys(
      Self.image(
        type: 17,
        listpack([
          .string(utf8("m")), .int13(-5), .string(utf8("n")), .string(utf8("2.5")),
          .string(utf8("o")), .string(utf8("inf")),
        ]), version: 10))
    #expect(zset.first?.scores.map(\.1) == [-5, 2.5, .infinity])
    // A score that is not a number is read as the server reads it (strtod), with a warning.
    var scores = RecordedScores()
    let summary = try RDBParser().parse(
      Self.image(type: 17, listpack([.string(utf8("m")), .string(utf8("nan"))]), version: 10),
      into: &scores)
    #expect(scores.scores.count == 1 && scores.scores[0].1.isNaN)
    #expect(summary.warnings.first?.offset == 12 && summary.warnings.first?.key == "k")
    expectFailure(
      Self.image(type: 16, listpack([.string(utf8("a")), .uint7(1), .uint7(2)]), version: 10),
      .corruptStructure, at: 12, key: "k")
  }

  @Test func quicklist2NodesPackedAndPlain() {
    var image = RDBImageBuilder(version: 11)
    image.key(type: 18, "k")
    image.length(3)
    image.length(2)
    image.string(listpack([.string(utf8("a")), .uint7(7)]))
    image.length(1)
    image.string("plain element")
    image.length(2)
    image.string(listpack([.int64(-1 << 40)]))
    let keys = expectKeys(image.finished())
    #expect(keys.first?.elements == ["a", "7", "plain element", "\(-1 << 40)"].map(hexText))
    #expect(keys.first?.encoding == "quicklist")
  }

  @Test func quicklist2SmallSingleNodeIsListpackFrom72() {
    var image = RDBImageBuilder(version: 11)
    image.key(type: 18, "k")
    image.length(1)
    image.length(2)
    image.string(listpack([.uint7(1)]))
    #expect(expectKeys(image.finished()).first?.encoding == "listpack")
  }

  @Test(arguments: [UInt64(0), 3, 100])
  func quicklist2BadContainer(_ container: UInt64) {
    var image = RDBImageBuilder(version: 11)
    image.key(type: 18, "k")
    image.length(1)
    image.length(container)
    image.string(listpack([.uint7(1)]))
    expectFailure(image.finished(), .corruptStructure, at: 13, key: "k")
  }

  @Test func quicklist2EmptyPlainNode() {
    var image = RDBImageBuilder(version: 11)
    image.key(type: 18, "k")
    image.length(1)
    image.length(1)
    image.string([])
    expectFailure(image.finished(), .corruptStructure, at: 14, key: "k")
  }

  // MARK: - lpValidateIntegrity, deep

  /// "ab", 7, "cd": 0A 00 00 00 | 03 00 | 82 61 62 03 | 07 01 | 82 63 64 03 | FF (17 bytes).
  static let valid = listpack([.string(utf8("ab")), .uint7(7), .string(utf8("cd"))])

  static func patched(_ offset: Int, _ bytes: [UInt8], in blob: [UInt8] = valid) -> [UInt8] {
    var blob = blob
    blob.replaceSubrange(offset..<offset + bytes.count, with: bytes)
    return blob
  }

  /// A listpack whose header is right about its size, holding one element's raw `body`.
  static func raw(_ body: [UInt8]) -> [UInt8] {
    RDBImageBuilder.littleEndian(UInt32(6 + body.count + 1)) + [1, 0] + body + [0xFF]
  }

  static let corruptions: [(String, [UInt8])] =
    [
      ("shorter than 7 bytes", [6, 0, 0, 0, 0, 0]),
      ("total larger than the blob", patched(0, [UInt8(valid.count + 1)])),
      ("total smaller than the blob", patched(0, [UInt8(valid.count - 1)])),
      ("no end marker", patched(valid.count - 1, [0x00])),
      ("count too large", patched(4, [4])),
      ("count too small", patched(4, [2])),
      ("6-bit string past the end", patched(6, [0xBF])),
      ("12-bit string past the end", patched(6, [0xE0, 0x40])),
      ("32-bit string past the end", patched(6, [0xF0, 0x40, 0, 0, 0])),
      ("32-bit string length above 2^31", patched(6, [0xF0, 0xFF, 0xFF, 0xFF, 0xFF])),
      ("int16 past the end", raw([0xF1, 0x01])),
      ("int24 past the end", raw([0xF2, 0x01, 0x02])),
      ("int24 leaves no room for backlen", raw([0xF2, 0x01, 0x02, 0x03])),
      ("int32 past the end", raw([0xF3, 0x01, 0x02, 0x03])),
      ("int64 past the end", raw([0xF4, 1, 2, 3, 4, 5, 6, 7])),
      ("13-bit integer past the end", raw([0xC0])),
      ("12-bit header past the end", raw([0xE0])),
      ("32-bit header past the end", raw([0xF0, 0x01, 0x00])),
      ("string without backlen", raw([0x81, 0x61])),
      ("2-byte backlen too short", raw([0x81, 0x61, 0x82])),
      ("backlen does not match", patched(9, [0x02])),
      ("backlen with a continuation bit", patched(9, [0x83])),
      ("0xFF inside the elements", patched(10, [0xFF])),
    ]
    + (UInt8(0xF5)...UInt8(0xFE)).map {
      ("invalid encoding 0x\(String($0, radix: 16))", patched(10, [$0]))
    }

  @Test(arguments: corruptions)
  func integrityViolations(_ name: String, _ blob: [UInt8]) {
    expectFailure(Self.image(blob), .corruptStructure, at: 12, key: "k")
    // In a quicklist node (container 2) the same checks apply.
    var node = RDBImageBuilder(version: 11)
    node.key(type: 18, "k")
    node.length(1)
    node.length(2)
    node.string(blob)
    expectFailure(node.finished(), .corruptStructure, at: 14, key: "k")
  }

  @Test func validBlobLayout() {
    #expect(
      Self.valid == [17, 0, 0, 0, 3, 0, 0x82, 0x61, 0x62, 3, 0x07, 1, 0x82, 0x63, 0x64, 3, 0xFF])
  }
}

/// Intsets (§6.3) through type 11.
@Suite struct IntsetTests {
  static func image(_ blob: [UInt8]) -> [UInt8] {
    var image = RDBImageBuilder(version: 9)
    image.key(type: 11, "k")
    image.string(blob)
    return image.finished()
  }

  @Test(arguments: [
    (2, [Int64(-32768), -1, 0, 32767]), (4, [Int64(-5), 1, 2, 3, 100_000]),
    (8, [Int64.min, -1, 1 << 40, .max]), (2, [Int64(42)]),
  ])
  func widths(_ width: Int, _ members: [Int64]) {
    let keys = expectKeys(Self.image(intset(width: width, members)))
    #expect(keys.first?.elements == members.map { hexText("\($0)") })
    #expect(keys.first?.encoding == "intset")
  }

  @Test func realFileExample() {
    let blob: [UInt8] = [
      4, 0, 0, 0, 5, 0, 0, 0, 0xFB, 0xFF, 0xFF, 0xFF, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0xA0,
      0x86, 1, 0,
    ]
    #expect(
      expectKeys(Self.image(blob)).first?.elements == ["-5", "1", "2", "3", "100000"].map(hexText))
  }

  static let corruptions: [(String, [UInt8])] = [
    ("shorter than 8 bytes", [2, 0, 0, 0, 1, 0, 0]),
    ("width 3", intset(width: 4, [1]).enumerated().map { $0.offset == 0 ? 3 : $0.element }),
    ("width 0", [0, 0, 0, 0, 1, 0, 0, 0]),
    ("empty", intset(width: 2, [])),
    ("declared more than present", intset(width: 2, [1, 2], declared: 3)),
    ("declared fewer than present", intset(width: 2, [1, 2], declared: 1)),
    ("huge declared count", intset(width: 8, [1], declared: .max)),
    ("descending", intset(width: 4, [2, 1])),
    ("duplicate", intset(width: 8, [5, 5])),
  ]

  @Test(arguments: corruptions)
  func integrityViolations(_ name: String, _ blob: [UInt8]) {
    expectFailure(Self.image(blob), .corruptStructure, at: 12, key: "k")
  }
}

/// Zipmaps (§6.4) through type 9 in an RDB 2 file (no checksum trailer).
@Suite struct ZipmapTests {
  static func image(_ blob: [UInt8]) -> [UInt8] {
    var image = RDBImageBuilder(version: 2)
    image.key(type: 9, "k")
    image.string(blob)
    return image.finishedWithoutChecksum()
  }

  @Test func documentedExample() throws {
    let bytes = Self.image([0x01, 0x01, 0x6B, 0x02, 0x00, 0x76, 0x76, 0xFF])
    let keys = expectKeys(bytes)
    #expect(keys.first?.pairs.map { [$0.0, $0.1] } == [[hexText("k"), hexText("vv")]])
    #expect(keys.first?.encoding == "zipmap")
    #expect(try parseImage(bytes).1.checksum == .absent)
  }

  @Test func freePaddingLongLengthsAndUnknownCount() {
    let long = [UInt8](repeating: 0x77, count: 300)
    let pairs: [([UInt8], [UInt8])] = [(utf8("a"), utf8("1")), (utf8("b"), long), (long, [])]
    let keys = expectKeys(Self.image(zipmap(pairs, free: 3)))
    #expect(keys.first?.pairs.map(\.1) == [hexText("1"), hexBytes(long), ""])
    let unknown = expectKeys(Self.image(zipmap(pairs, count: 254)))
    #expect(unknown.first?.pairs.count == 3)
  }

  static let corruptions: [(String, [UInt8])] = [
    ("shorter than 2 bytes", [0xFF]),
    ("no end marker", [0x01, 0x01, 0x6B, 0x02, 0x00, 0x76, 0x76, 0x00]),
    ("no pairs", [0x00, 0xFF]),
    ("count mismatch", [0x02, 0x01, 0x6B, 0x02, 0x00, 0x76, 0x76, 0xFF]),
    ("field past the end", [0x01, 0x09, 0x6B, 0x02, 0x00, 0x76, 0x76, 0xFF]),
    ("value past the end", [0x01, 0x01, 0x6B, 0x09, 0x00, 0x76, 0x76, 0xFF]),
    ("free past the end", [0x01, 0x01, 0x6B, 0x02, 0x05, 0x76, 0x76, 0xFF]),
    ("long length past the end", [0x01, 0xFE, 0x01, 0x00, 0xFF]),
    ("0xFF as a value length", [0x01, 0x01, 0x6B, 0xFF, 0x00, 0x76, 0x76, 0xFF]),
    ("field without value", [0x01, 0x01, 0x6B, 0xFF]),
  ]

  @Test(arguments: corruptions)
  func integrityViolations(_ name: String, _ blob: [UInt8]) {
    expectFailure(Self.image(blob), .corruptStructure, at: 12, key: "k")
  }
}
