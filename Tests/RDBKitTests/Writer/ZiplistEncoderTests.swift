import Testing

@testable import RDBKit

/// ``ZiplistEncoder`` against the test suite's own ziplist builder (byte for byte) and against
/// the parser's ziplist decoder (the ziplist carried as a type-10 list, which may hold repeated
/// values): RDB 6 for the compact integer forms, RDB 5 for the 16/32/64-bit forms alone.
@Suite struct ZiplistEncoderTests {
  /// An integer, its form with the compact forms of RDB 6, and its form without them.
  static let integers: [(Int64, ZiplistEntry, ZiplistEntry)] = [
    (0, .immediate(0), .int16(0)), (12, .immediate(12), .int16(12)), (13, .int8(13), .int16(13)),
    (-1, .int8(-1), .int16(-1)), (127, .int8(127), .int16(127)),
    (-128, .int8(-128), .int16(-128)), (128, .int16(128), .int16(128)),
    (-129, .int16(-129), .int16(-129)), (32767, .int16(32767), .int16(32767)),
    (-32768, .int16(-32768), .int16(-32768)), (32768, .int24(32768), .int32(32768)),
    (-32769, .int24(-32769), .int32(-32769)), (8_388_607, .int24(8_388_607), .int32(8_388_607)),
    (-8_388_608, .int24(-8_388_608), .int32(-8_388_608)),
    (8_388_608, .int32(8_388_608), .int32(8_388_608)),
    (2_147_483_647, .int32(.max), .int32(.max)), (-2_147_483_648, .int32(.min), .int32(.min)),
    (2_147_483_648, .int64(2_147_483_648), .int64(2_147_483_648)),
    (.max, .int64(.max), .int64(.max)), (.min, .int64(.min), .int64(.min)),
  ]

  /// A type-10 list holding `blob`, in an RDB 6 file, or RDB 5 for the non-compact forms.
  static func image(_ blob: [UInt8], compact: Bool) -> [UInt8] {
    var image = RDBImageBuilder(version: compact ? 6 : 5)
    image.key(type: 10, "k")
    image.string(blob)
    return image.finished()
  }

  /// The ziplist of `texts`, each appended as a string entry.
  static func encoded(_ texts: [[UInt8]], compact: Bool) -> [UInt8] {
    var list = ZiplistEncoder(compactIntegers: compact)
    for text in texts { list.append(text.span.bytes) }
    list.finish()
    return list.bytes
  }

  @Test(arguments: integers)
  func integerTakesItsSmallestForm(_ value: Int64, _ compact: ZiplistEntry, _ wide: ZiplistEntry) {
    for (isCompact, form) in [(true, compact), (false, wide)] {
      var list = ZiplistEncoder(compactIntegers: isCompact)
      list.append(integer: value)
      list.finish()
      #expect(list.bytes == ziplist([form]), "compactIntegers: \(isCompact)")
      #expect(Self.encoded([utf8(String(value))], compact: isCompact) == ziplist([form]))
    }
  }

  @Test(arguments: [true, false])
  func everyIntegerBoundaryReadsBack(compact: Bool) {
    let texts = Self.integers.map { utf8(String($0.0)) }
    let keys = expectKeys(Self.image(Self.encoded(texts, compact: compact), compact: compact))
    #expect(keys.first?.elements == texts.map(hexBytes))
  }

  @Test(arguments: [0, 1, 63, 64, 16383, 16384, 70000])
  func stringLengthTakesItsHeaderForm(_ length: Int) {
    let text = [UInt8](repeating: 0x78, count: length)
    let blob = Self.encoded([text, utf8("after")], compact: true)
    #expect(blob == ziplist([.string(text), .string(utf8("after"))]))
    let keys = expectKeys(Self.image(blob, compact: true))
    #expect(keys.first?.elements == [hexBytes(text), hexText("after")])
  }

  /// Entries of 253 and 254 bytes: the next entry's previous-length takes 1 byte, then 5.
  @Test(arguments: [252, 253, 254, 255])
  func previousLengthBoundary(_ entrySize: Int) {
    // An entry is prevlen (1 byte here), a 2-byte header for 64…16383 bytes, then the data.
    let text = [UInt8](repeating: 0x79, count: entrySize - 3)
    let blob = Self.encoded([text, utf8("next"), utf8("last")], compact: true)
    #expect(blob == ziplist([.string(text), .string(utf8("next")), .string(utf8("last"))]))
    let nextPrevlen = blob[10 + entrySize]
    #expect(nextPrevlen == (entrySize < 254 ? UInt8(entrySize) : 0xFE))
    let keys = expectKeys(Self.image(blob, compact: true))
    #expect(keys.first?.elements == [hexBytes(text), hexText("next"), hexText("last")])
  }

  /// A canonical integer of 20 characters or fewer becomes an integer; anything else that
  /// looks numeric stays a string.
  @Test(arguments: ["007", "-0", "+1", " 1", "", "1.0", "9223372036854775808"])
  func nonCanonicalTextStaysAString(_ text: String) {
    let blob = Self.encoded([utf8(text)], compact: true)
    #expect(blob == ziplist([.string(utf8(text))]))
    let keys = expectKeys(Self.image(blob, compact: true))
    #expect(keys.first?.elements == [hexText(text)])
  }

  /// The header's tail offset points at the last entry, and the count saturates at 65535.
  @Test func headerTailAndSaturatedCount() {
    let texts = (0..<65_540).map { utf8("e\($0 % 7)") }
    let blob = Self.encoded(texts, compact: true)
    #expect(blob[8] == 0xFF && blob[9] == 0xFF)
    let tail = Int(blob[4]) | Int(blob[5]) << 8 | Int(blob[6]) << 16 | Int(blob[7]) << 24
    // The last entry: prevlen 4, a 1-byte header for 2 bytes, the text, then the terminator.
    #expect(Array(blob[tail...]) == [4, 2] + (texts.last ?? []) + [0xFF])
    let keys = expectKeys(Self.image(blob, compact: true))
    #expect(keys.first?.elements.count == 65_540)
  }

  /// ``ZiplistEncoder/appendShortString(_:)`` (word-sized copies) builds what
  /// ``ZiplistEncoder/append(unsafeBytes:)`` builds, for every length it takes (0 to 63 bytes,
  /// each copy width and its edges), for text, digit strings (integers or not) and bytes, after
  /// entries of one-byte and five-byte previous lengths.
  @Test(arguments: [false, true])
  func shortStringsAreAppendedAsAnyString(afterLongEntry: Bool) {
    var random = SplitMix64(seed: 11)
    var elements: [[UInt8]] = [
      "", "0", "12", "-7", "007", "-0", "9223372036854775807", "99999999999999999999",
    ]
    .map { Array($0.utf8) }
    for length in 0...63 {
      elements.append((0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) })
      elements.append((0..<length).map { UInt8(ascii: "a") &+ UInt8($0 % 26) })
    }
    var short = ZiplistEncoder(compactIntegers: true)
    var general = ZiplistEncoder(compactIntegers: true)
    let long = [UInt8](repeating: 0x78, count: 300)
    for element in elements {
      if afterLongEntry {
        long.withUnsafeBytes { short.append(unsafeBytes: $0) }
        long.withUnsafeBytes { general.append(unsafeBytes: $0) }
      }
      element.withUnsafeBytes { short.appendShortString($0) }
      element.withUnsafeBytes { general.append(unsafeBytes: $0) }
    }
    short.finish()
    general.finish()
    #expect(short.bytes == general.bytes)
  }
}
