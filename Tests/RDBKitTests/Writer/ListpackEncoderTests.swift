import Testing

@testable import RDBKit

/// ``ListpackEncoder`` against the test suite's own listpack builder (byte for byte) and
/// against the parser's listpack decoder (the listpack carried as the one node of a type-18
/// quicklist, which may hold repeated values).
@Suite struct ListpackEncoderTests {
  /// An integer and the element form Redis's `lpEncodeIntegerGetType` picks for it.
  static let integers: [(Int64, ListpackElement)] = [
    (0, .uint7(0)), (127, .uint7(127)), (128, .int13(128)), (-1, .int13(-1)),
    (-4096, .int13(-4096)), (4095, .int13(4095)), (4096, .int16(4096)), (-4097, .int16(-4097)),
    (32767, .int16(32767)), (-32768, .int16(-32768)), (32768, .int24(32768)),
    (-32769, .int24(-32769)), (8_388_607, .int24(8_388_607)), (-8_388_608, .int24(-8_388_608)),
    (8_388_608, .int32(8_388_608)), (-8_388_609, .int32(-8_388_609)),
    (2_147_483_647, .int32(.max)), (-2_147_483_648, .int32(.min)),
    (2_147_483_648, .int64(2_147_483_648)), (-2_147_483_649, .int64(-2_147_483_649)),
    (.max, .int64(.max)), (.min, .int64(.min)),
  ]

  /// Texts that are not the canonical decimal of an Int64, so stay strings.
  static let nonCanonical = [
    "007", "-0", "+1", " 1", "1 ", "", "-", "1e3", "0x10", "9223372036854775808",
    "-9223372036854775809", "12345678901234567890",
  ]

  /// A type-18 quicklist of one listpack node holding `blob`.
  static func image(_ blob: [UInt8]) -> [UInt8] {
    var image = RDBImageBuilder(version: 11)
    image.key(type: 18, "k")
    image.length(1)
    image.length(2)
    image.string(blob)
    return image.finished()
  }

  /// The listpack of `texts`, each appended as a string element.
  static func encoded(_ texts: [[UInt8]]) -> [UInt8] {
    var pack = ListpackEncoder()
    for text in texts { pack.append(text.span.bytes) }
    pack.finish()
    return pack.bytes
  }

  @Test(arguments: integers)
  func integerTakesItsSmallestForm(_ value: Int64, _ form: ListpackElement) {
    var pack = ListpackEncoder()
    pack.append(integer: value)
    pack.finish()
    #expect(pack.bytes == listpack([form]))
    // The same value given as text is stored as the same integer.
    #expect(Self.encoded([utf8(String(value))]) == listpack([form]))
  }

  @Test func everyIntegerBoundaryReadsBack() {
    let texts = Self.integers.map { utf8(String($0.0)) }
    let keys = expectKeys(Self.image(Self.encoded(texts)))
    #expect(keys.first?.elements == texts.map(hexBytes))
  }

  @Test(arguments: [0, 1, 63, 64, 4095, 4096, 70000])
  func stringLengthTakesItsHeaderForm(_ length: Int) {
    let text = [UInt8](repeating: 0x78, count: length)
    let blob = Self.encoded([text])
    #expect(blob == listpack([.string(text)]))
    let keys = expectKeys(Self.image(blob))
    #expect(keys.first?.elements == [hexBytes(text)])
  }

  /// Entry sizes (header plus data) at each boundary of the 1-, 2- and 3-byte back-lengths.
  @Test(arguments: [127, 128, 16382, 16383, 16384])
  func backLengthBoundary(_ entrySize: Int) {
    let length = entrySize - 2 < 4096 ? entrySize - 2 : entrySize - 5
    let text = [UInt8](repeating: 0x79, count: length)
    #expect(ListpackElement.string(text).encoded.count == entrySize)
    // A second element after it: a reader walking backwards depends on this back-length.
    let blob = Self.encoded([text, utf8("tail")])
    #expect(blob == listpack([.string(text), .string(utf8("tail"))]))
    #expect(blob.count == 6 + entrySize + listpackBacklen(entrySize).count + 6 + 1)
    let keys = expectKeys(Self.image(blob))
    #expect(keys.first?.elements == [hexBytes(text), hexText("tail")])
  }

  @Test(arguments: nonCanonical)
  func nonCanonicalTextStaysAString(_ text: String) {
    let blob = Self.encoded([utf8(text)])
    #expect(blob == listpack([.string(utf8(text))]))
    let keys = expectKeys(Self.image(blob))
    #expect(keys.first?.elements == [hexText(text)])
  }

  @Test func binaryBytesAndScoresAsText() {
    var pack = ListpackEncoder()
    let binary: [UInt8] = [0, 0xFF, 0xFE, 0x80, 0x0D, 0x0A]
    pack.append(binary.span.bytes)
    pack.append("1.5")
    pack.append("-inf")
    pack.append("42")
    pack.finish()
    #expect(
      pack.bytes
        == listpack([.string(binary), .string(utf8("1.5")), .string(utf8("-inf")), .uint7(42)]))
    #expect(pack.count == 4)
    #expect(pack.finishedByteCount == pack.bytes.count + 1)
  }

  /// More than 65535 elements: the header's count says "unknown" (65535), as Redis's does,
  /// and the decoder counts by walking.
  @Test func elementCountSaturates() {
    let texts = (0..<70_000).map { utf8(String($0 % 200)) }
    let blob = Self.encoded(texts)
    #expect(blob[4] == 0xFF && blob[5] == 0xFF)
    let keys = expectKeys(Self.image(blob))
    #expect(keys.first?.elements.count == 70_000)
    #expect(keys.first?.elements.last == hexText(String(69_999 % 200)))
  }

  @Test func resetStartsAnEmptyListpack() {
    var pack = ListpackEncoder()
    pack.append(integer: 1)
    pack.finish()
    pack.reset()
    pack.append(utf8("a").span.bytes)
    pack.finish()
    #expect(pack.bytes == listpack([.string(utf8("a"))]))
    #expect(pack.count == 1)
  }
}
