import Testing

@testable import RDBKit

/// ``RDBEncoder``'s lengths and strings, byte for byte against the test suite's own image
/// builder, and read back by the parser from files that ``RDBWriter`` wrote with them.
@Suite struct RDBEncoderTests {
  /// What `body` makes the encoder append, from a buffer that is never flushed.
  static func encoded(compresses: Bool = true, _ body: (inout RDBEncoder) -> Void) -> [UInt8] {
    let buffer = OutputBuffer()
    var encoder = RDBEncoder(output: buffer, compresses: compresses)
    body(&encoder)
    return buffer.bytes(in: 0..<buffer.count)
  }

  /// Each side of the 6-, 14-, 32- and 64-bit length forms.
  @Test(arguments: [0, 63, 64, 16383, 16384, 4_294_967_295, 4_294_967_296, UInt64.max])
  func lengthTakesItsShortestForm(_ value: UInt64) {
    let bytes = Self.encoded { $0.length(value) }
    #expect(bytes == RDBImageBuilder.length(value))
    let expectedSize = value < 64 ? 1 : value < 16384 ? 2 : value <= 4_294_967_295 ? 5 : 9
    #expect(bytes.count == expectedSize)
  }

  /// A canonical decimal that fits 32 bits and its INT8, INT16 or INT32 encoding.
  static let integerStrings: [(String, [UInt8])] = [
    ("0", [0xC0, 0x00]), ("-1", [0xC0, 0xFF]), ("127", [0xC0, 0x7F]), ("-128", [0xC0, 0x80]),
    ("128", [0xC1, 0x80, 0x00]), ("-129", [0xC1, 0x7F, 0xFF]), ("32767", [0xC1, 0xFF, 0x7F]),
    ("-32768", [0xC1, 0x00, 0x80]), ("32768", [0xC2, 0x00, 0x80, 0x00, 0x00]),
    ("-32769", [0xC2, 0xFF, 0x7F, 0xFF, 0xFF]), ("2147483647", [0xC2, 0xFF, 0xFF, 0xFF, 0x7F]),
    ("-2147483648", [0xC2, 0x00, 0x00, 0x00, 0x80]),
  ]

  /// Texts a server stores as raw strings: beyond 32 bits, or not canonical.
  static let rawStrings = [
    "2147483648", "-2147483649", "99999999999", "007", "-0", "+1", " 1", "1 ", "",
  ]

  @Test(arguments: integerStrings)
  func integerStringTakesItsSmallestForm(_ text: String, _ expected: [UInt8]) {
    #expect(Self.encoded { $0.string(utf8(text)) } == expected)
  }

  @Test(arguments: rawStrings)
  func otherTextStaysRaw(_ text: String) {
    #expect(
      Self.encoded { $0.string(utf8(text)) } == RDBImageBuilder.length(UInt64(text.utf8.count))
        + utf8(text))
  }

  @Test func compressionKeepsOnlyWhatSavesFourBytes() {
    let twenty = [UInt8](repeating: 0x61, count: 20)
    let twentyOne = [UInt8](repeating: 0x61, count: 21)
    var random = SplitMix64(seed: 11)
    let noise = (0..<200).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    // 20 bytes are never compressed; 21 repeated bytes are.
    #expect(Self.encoded { $0.string(twenty) } == [20] + twenty)
    #expect(Self.encoded { $0.string(twentyOne) }.first == 0xC3)
    #expect(Self.encoded(compresses: false) { $0.string(twentyOne) } == [21] + twentyOne)
    // Bytes that do not compress are written raw.
    #expect(Self.encoded { $0.string(noise) } == RDBImageBuilder.length(200) + noise)
    // Blobs (listpacks, ziplists) follow the same rule but are never integer-encoded.
    #expect(Self.encoded { $0.blob(utf8("123")) } == [3] + utf8("123"))
    #expect(Self.encoded { $0.blob(twentyOne) }.first == 0xC3)
  }

  /// Strings whose compressed length takes a shorter length form than the longest it could
  /// have (70 bytes to under 64, 16,388 and 16,400 to under 16,384), and ones that keep
  /// their form: the compressed bytes follow their header, lengths right, and decompress to
  /// the string.
  @Test(arguments: [21, 70, 200, 16_388, 16_400, 70_000])
  func compressedStringHeaderFitsItsLengths(_ size: Int) throws {
    let value = (0..<size).map { UInt8(97 + $0 % 3) }
    let bytes = Self.encoded { $0.string(value) }
    #expect(bytes.first == 0xC3)
    let decompressed = try bytes.withUnsafeBytes { raw in
      var position = 1
      let stored = try #require(StoredLength.read(raw, at: &position))
      let length = try #require(StoredLength.read(raw, at: &position))
      #expect(stored == raw.count - position)
      #expect(length == size)
      var output = [UInt8](repeating: 0, count: length)
      let failure = output.withUnsafeMutableBytes {
        LZF.decompress(UnsafeRawBufferPointer(rebasing: raw[position...]), into: $0)
      }
      #expect(failure == nil)
      return output
    }
    #expect(decompressed == value)
  }

  /// String values at every integer edge, raw, and LZF-sized, written by ``RDBWriter`` with
  /// compression on and off, read back unchanged.
  @Test(arguments: [true, false])
  func stringValuesReadBack(compresses: Bool) throws {
    var random = SplitMix64(seed: 12)
    let values: [[UInt8]] =
      Self.integerStrings.map { utf8($0.0) } + Self.rawStrings.map(utf8)
      + [
        [UInt8](repeating: 0x61, count: 21), [UInt8](repeating: 0x62, count: 100_000),
        (0..<300).map { _ in UInt8(truncatingIfNeeded: random.next()) },
      ]
    let keys = values.enumerated().map { index, value in
      GeneratedKey(database: 0, name: utf8("s\(index)"), value: .string(value))
    }
    let target = try #require(TargetEngine.named("redis-7.2"))
    let result = try WriterOutput.write(WriterOutput.handFed(target, compresses: compresses)) {
      writer in
      try writer.header(target.version)
      for key in keys { try key.feed(into: &writer) }
    }
    var collector = GeneratedKeyCollector()
    try RDBParser().parse(result.bytes, into: &collector)
    #expect(collector.keys == keys)
    let hasLZF = result.bytes.firstRange(of: [0xC3] as [UInt8]) != nil
    if !compresses {
      // The 100,000 b's are in the file as they are.
      #expect(result.bytes.firstRange(of: [UInt8](repeating: 0x62, count: 100_000)) != nil)
    } else {
      #expect(hasLZF)
      #expect(result.bytes.count < 50_000)
    }
  }

  /// Counts at each length boundary (sets of 63, 64, 16383 and 16384 members over 64 bytes:
  /// hash tables), database numbers 63, 64, 16383 and 16384, and `RESIZEDB` hints and stream
  /// IDs beyond 32 bits, read back from a file ``RDBWriter`` wrote.
  /// Makes a set member too long for a listpack.
  static let padding = [UInt8](repeating: 0x2E, count: 64)

  @Test func lengthBoundariesReadBack() throws {
    let sizes = [63, 64, 16383, 16384]
    let big: UInt64 = 4_294_967_296
    var keys = sizes.map { size in
      GeneratedKey(
        database: size, name: utf8("set:\(size)"),
        value: .set((0..<size).map { utf8("m\($0)") + Self.padding }))
    }
    var stream = GeneratedStream()
    stream.lastID = StreamID(milliseconds: big - 1, sequence: big)
    stream.firstID = StreamID(milliseconds: 0, sequence: 0)
    stream.maxDeletedID = StreamID(milliseconds: .max, sequence: 16384)
    stream.entriesAdded = big
    keys.append(GeneratedKey(database: 16384, name: utf8("stream"), value: .stream(stream)))
    let target = try #require(TargetEngine.named("redis-7.2"))
    let result = try WriterOutput.write(WriterOutput.handFed(target)) { writer in
      try writer.header(target.version)
      for key in keys {
        if key.database != 16384 || key.name == utf8("set:16384") {
          try writer.beginDatabase(key.database)
          try writer.resizeDatabase(keys: big - 1, expires: big)
        }
        try key.feed(into: &writer)
      }
    }
    var collector = GeneratedKeyCollector()
    try RDBParser().parse(result.bytes, into: &collector)
    #expect(collector.keys.map(\.database) == [63, 64, 16383, 16384, 16384])
    #expect(collector.keys == keys)
    #expect(collector.encodings.prefix(4).allSatisfy { $0 == "hashtable" })
    var hints = SizeHints()
    try RDBParser().parse(result.bytes, into: &hints)
    #expect(hints.hints.count == 4)
    #expect(hints.hints.allSatisfy { $0.keys == big - 1 && $0.expires == big })
  }
}

/// Collects `RESIZEDB` hints.
private struct SizeHints: RDBHandler {
  var hints: [(keys: UInt64, expires: UInt64)] = []

  mutating func resizeDatabase(keys: UInt64, expires: UInt64) {
    hints.append((keys, expires))
  }
}
