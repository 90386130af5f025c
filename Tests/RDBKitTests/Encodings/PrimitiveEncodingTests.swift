import RDBKit
import Testing

/// RDB lengths (rdb-format.md §3.1) and strings (§3.2, §3.3), through hand-built images.
@Suite struct LengthEncodingTests {
  /// `RESIZEDB` carries two raw lengths and hands them to the handler unchanged.
  static func resize(_ first: [UInt8]) -> [UInt8] {
    var image = RDBImageBuilder()
    image.byte(0xFB)
    image.raw(first)
    image.length(0)
    return image.finished()
  }

  static let forms: [([UInt8], UInt64)] = [
    ([0x00], 0), ([0x05], 5), ([0x3F], 63),
    ([0x40, 0x40], 64), ([0x41, 0x2C], 300), ([0x7F, 0xFF], 16383),
    ([0x80, 0x00, 0x00, 0x40, 0x00], 16384), ([0x80, 0x00, 0x01, 0x00, 0x00], 65536),
    ([0x80, 0xFF, 0xFF, 0xFF, 0xFF], 0xFFFF_FFFF),
    ([0x81, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00], 1 << 32),
    ([0x81, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], .max),
    // Non-minimal forms are legal (Redis accepts them).
    ([0x40, 0x05], 5), ([0x80, 0x00, 0x00, 0x00, 0x05], 5),
    ([0x81, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07], 7),
  ]

  @Test(arguments: forms)
  func lengthFormsDecode(_ encoded: [UInt8], _ value: UInt64) throws {
    let events = try eventLines(Self.resize(encoded))
    #expect(events.contains("resize \(value) 0"), "\(events)")
  }

  @Test func builderWritesShortestForms() {
    #expect(RDBImageBuilder.length(63) == [0x3F])
    #expect(RDBImageBuilder.length(300) == [0x41, 0x2C])
    #expect(RDBImageBuilder.length(65536) == [0x80, 0x00, 0x01, 0x00, 0x00])
    #expect(RDBImageBuilder.length(1 << 32) == [0x81, 0, 0, 0, 1, 0, 0, 0, 0])
  }

  @Test(arguments: UInt8(0x82)...UInt8(0xBF))
  func reservedLengthBytesAreRejected(_ byte: UInt8) {
    expectFailure(
      Self.resize([byte, 0, 0, 0, 0, 0, 0, 0, 0]), RDBError(.invalidLengthEncoding(byte), at: 10))
  }

  @Test(arguments: [UInt8(0xC0), 0xC1, 0xC2, 0xC3, 0xFF])
  func specialEncodingWhereALengthIsRequired(_ byte: UInt8) {
    // RESIZEDB, SELECTDB and a list count all need a plain length.
    expectFailure(Self.resize([byte, 0, 0, 0, 0]), RDBError(.invalidLengthEncoding(byte), at: 10))
    var select = RDBImageBuilder()
    select.raw([0xFE, byte, 0, 0, 0, 0])
    expectFailure(select.finished(), RDBError(.invalidLengthEncoding(byte), at: 10))
    var list = RDBImageBuilder()
    list.key(type: 1, "k")
    list.raw([byte, 0, 0, 0, 0])
    expectFailure(list.finished(), RDBError(.invalidLengthEncoding(byte), at: 12, key: "k"))
  }

  @Test func truncatedLengths() {
    expectFailure(
      Array(Self.resize([0x80, 0, 0, 0, 1]).prefix(12)),
      RDBError(.truncated(needed: 4, available: 1), at: 11))
    expectFailure(
      Array(Self.resize([0x81, 0, 0, 0, 0, 0, 0, 0, 1]).prefix(15)),
      RDBError(.truncated(needed: 8, available: 4), at: 11))
    expectFailure(
      Array(Self.resize([0x41, 0x2C]).prefix(11)),
      RDBError(.truncated(needed: 1, available: 0), at: 11))
  }

  @Test func stringLengthBeyondTheInput() {
    var image = RDBImageBuilder()
    image.key(type: 0, "k")
    image.raw([0x80, 0xFF, 0xFF, 0xFF, 0xFF, 0x61])
    // Checked before anything is sized by it: the error is at the first data byte.
    expectFailure(image.finished(), RDBError(.lengthTooLarge(0xFFFF_FFFF), at: 17, key: "k"))
    var huge = RDBImageBuilder()
    huge.key(type: 0, "k")
    huge.raw([0x81, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00])
    expectFailure(huge.finished(), RDBError(.lengthTooLarge(1 << 32), at: 21, key: "k"))
    // A length above Int.max: see PendingBugs/StreamPathOffsetTests.swift.
  }

  /// A count far beyond the input is read element by element, each taking bytes, until the
  /// input runs out or stops making sense: a mapped file fails where a pipe does (the EOF
  /// byte read as a string), not at the count, so both paths name the same byte.
  @Test func countBeyondTheInputFailsWhereThePipeDoes() {
    var image = RDBImageBuilder()
    image.key(type: 1, "k")
    image.raw([0x81, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
    expectFailure(image.finished(), RDBError(.invalidStringEncoding(0xFF), at: 21, key: "k"))
  }

  @Test func selectDatabaseOutOfRange() throws {
    var image = RDBImageBuilder()
    image.byte(0xFE)
    image.raw([0x81, 0, 0, 0, 1, 0, 0, 0, 0])
    expectFailure(image.finished(), .invalidValue, at: 9, key: nil)
    var fine = RDBImageBuilder()
    fine.byte(0xFE)
    fine.length(15)
    fine.key(type: 0, "k")
    fine.string("v")
    #expect(try eventLines(fine.finished()).contains { $0.hasPrefix("key k type=0 db=15") })
  }
}

@Suite struct StringEncodingTests {
  /// A string key `k` whose value is `encoded` (an RDB string starting at offset 12).
  static func value(_ encoded: [UInt8], version: Int = 12) -> [UInt8] {
    var image = RDBImageBuilder(version: version)
    image.key(type: 0, "k")
    image.raw(encoded)
    return image.finished()
  }

  @Test func rawStrings() {
    let empty = expectKeys(Self.value([0x00]))
    #expect(empty.first?.string == "")
    #expect(empty.first?.encoding == "embstr")
    let short = expectKeys(Self.value([0x03] + utf8("abc")))
    #expect(short.first?.string == hexText("abc"))
    let long = [UInt8](repeating: 0x7A, count: 300)
    let raw = expectKeys(Self.value(RDBImageBuilder.length(300) + long))
    #expect(raw.first?.string == hexBytes(long))
    #expect(raw.first?.encoding == "raw")
    let binary: [UInt8] = [0x00, 0xFF, 0x80, 0x0A, 0x0D]
    #expect(expectKeys(Self.value([5] + binary)).first?.string == hexBytes(binary))
  }

  static let integers: [([UInt8], String)] = [
    ([0xC0, 0x00], "0"), ([0xC0, 0x7F], "127"), ([0xC0, 0x80], "-128"), ([0xC0, 0xFE], "-2"),
    ([0xC1, 0x39, 0x30], "12345"), ([0xC1, 0xFF, 0x7F], "32767"), ([0xC1, 0x00, 0x80], "-32768"),
    ([0xC2, 0xFF, 0xFF, 0xFF, 0x7F], "2147483647"),
    ([0xC2, 0x00, 0x00, 0x00, 0x80], "-2147483648"),
    ([0xC2, 0x45, 0x60, 0x06, 0x6B], "1795579973"), ([0xC2, 0xFF, 0xFF, 0xFF, 0xFF], "-1"),
  ]

  @Test(arguments: integers)
  func integerStringsBecomeDecimalText(_ encoded: [UInt8], _ text: String) {
    let keys = expectKeys(Self.value(encoded))
    #expect(keys.first?.string == hexText(text))
    #expect(keys.first?.encoding == "int")
  }

  @Test func integerEncodedKeyNamesAndAuxValues() throws {
    var image = RDBImageBuilder()
    image.byte(0xFA)
    image.string("redis-bits")
    image.raw([0xC0, 0x40])
    image.byte(0)
    image.raw([0xC1, 0x39, 0x30])
    image.string("v")
    let (collector, _) = try parseImage(image.finished())
    #expect(collector.aux.first?.1 == "64")
    #expect(collector.keys.first?.keyHex == hexText("12345"))
  }

  @Test(arguments: UInt8(0xC4)...UInt8(0xFF))
  func unknownStringEncodings(_ byte: UInt8) {
    expectFailure(
      Self.value([byte, 0, 0, 0, 0]), RDBError(.invalidStringEncoding(byte), at: 12, key: "k"))
  }

  @Test func truncatedIntegerStrings() {
    expectFailure(
      Array(Self.value([0xC2, 1, 2, 3, 4]).prefix(15)),
      RDBError(.truncated(needed: 4, available: 2), at: 13, key: "k"))
  }

  static let hundredA = [UInt8](repeating: 0x61, count: 100)

  @Test func lzfWorkedExample() {
    // rdb-format.md §3.3: 100 × "a".
    let encoded: [UInt8] = [
      0xC3, 0x09, 0x40, 0x64, 0x01, 0x61, 0x61, 0xE0, 0x57, 0x00, 0x01, 0x61, 0x61,
    ]
    let keys = expectKeys(Self.value(encoded))
    #expect(keys.first?.string == hexBytes(Self.hundredA))
    #expect(keys.first?.encoding == "raw")
  }

  @Test func lzfKeyNameAndMemberValues() {
    let lzf: [UInt8] = [
      0xC3, 0x09, 0x40, 0x64, 0x01, 0x61, 0x61, 0xE0, 0x57, 0x00, 0x01, 0x61, 0x61,
    ]
    var image = RDBImageBuilder()
    image.byte(2)
    image.raw(lzf)
    image.length(2)
    image.raw(lzf.prefix(4) + [0x01, 0x62, 0x62, 0xE0, 0x57, 0x00, 0x01, 0x62, 0x62])
    image.string("x")
    let keys = expectKeys(image.finished())
    #expect(keys.first?.keyHex == hexBytes(Self.hundredA))
    #expect(keys.first?.elements == [hexBytes([UInt8](repeating: 0x62, count: 100)), hexText("x")])
  }

  /// Each of these must end in `corruptLZF` at the `C3` byte (offset 12), in key `k`.
  static let corruptLZF: [(String, [UInt8])] = [
    ("reference before the start", [0xC3, 0x02, 0x05, 0x20, 0x00]),
    ("literal past the input", [0xC3, 0x02, 0x05, 0x04, 0x61]),
    ("long reference missing its length byte", [0xC3, 0x01, 0x05, 0xE0]),
    ("reference missing its offset byte", [0xC3, 0x03, 0x05, 0x00, 0x61, 0x20]),
    (
      "announces more than it produces",
      [0xC3, 0x09, 0x40, 0x65, 0x01, 0x61, 0x61, 0xE0, 0x57, 0x00, 0x01, 0x61, 0x61]
    ),
    (
      "produces more than it announces",
      [0xC3, 0x09, 0x40, 0x63, 0x01, 0x61, 0x61, 0xE0, 0x57, 0x00, 0x01, 0x61, 0x61]
    ),
    (
      "clen one short",
      [0xC3, 0x08, 0x40, 0x64, 0x01, 0x61, 0x61, 0xE0, 0x57, 0x00, 0x01, 0x61, 0x61]
    ),
    ("announced length 0", [0xC3, 0x01, 0x00, 0x00, 0x61]),
    ("more than 88× expansion", [0xC3, 0x01, 0x80, 0x00, 0x01, 0x00, 0x00, 0x00]),
    ("lengths above 4 GiB", [0xC3, 0x01, 0x81, 0, 0, 0, 1, 0, 0, 0, 0, 0x00]),
  ]

  @Test(arguments: corruptLZF)
  func corruptLZFIsRejected(_ name: String, _ encoded: [UInt8]) {
    expectFailure(Self.value(encoded), .corruptLZF, at: 12, key: "k")
  }

  /// A bad compressed member or field of a hash-table set, hash or sorted set: decompressed on
  /// every path for the repeat check, so verify fails as the collecting path does, whether the
  /// checksum matches or not. A hash's value is still left to a matching checksum (counted as
  /// unchecked) and, without a checksum, read again decompressed, so it fails the same way.
  @Test(arguments: [2, 4, 5] as [UInt8])
  func corruptLZFElementOfAHashTableValue(_ type: UInt8) throws {
    let corrupt: [UInt8] = [
      0xC3, 0x09, 0x40, 0x65, 0x01, 0x61, 0x61, 0xE0, 0x57, 0x00, 0x01, 0x61, 0x61,
    ]
    for checksum in [true, false] {
      var image = RDBImageBuilder(version: 9)
      image.key(type: type, "k")
      image.length(1)
      image.raw(corrupt)
      if type == 4 { image.string("v") }
      if type == 5 { image.littleEndian(Double(1.5).bitPattern) }
      let bytes = image.finished(checksum: checksum)
      #expect(ParseOutcome.mapped(bytes).error?.kind.name == .corruptLZF)
      #expect(ParseOutcome.counted(bytes).error == ParseOutcome.mapped(bytes).error)
    }
    guard type == 4 else { return }
    for checksum in [true, false] {
      var image = RDBImageBuilder(version: 9)
      image.key(type: 4, "k")
      image.length(1)
      image.string("f")
      image.raw(corrupt)
      let bytes = image.finished(checksum: checksum)
      #expect(ParseOutcome.mapped(bytes).error?.kind.name == .corruptLZF)
      var counter = KeyCountAnalyzer()
      if checksum {
        let summary = try RDBParser().parse(bytes, into: &counter)
        #expect(summary.uncheckedStrings == 1 && summary.checksum != .notChecked)
      } else {
        #expect(throws: RDBError.self) { try RDBParser().parse(bytes, into: &counter) }
        #expect(ParseOutcome.counted(bytes).error == ParseOutcome.mapped(bytes).error)
      }
    }
  }

  @Test func lzfCompressedLengthBeyondTheInput() {
    expectFailure(
      Self.value([0xC3, 0x80, 0x00, 0x01, 0x00, 0x00, 0x40, 0x64, 0x01]),
      RDBError(.lengthTooLarge(65536), at: 20, key: "k"))
  }

  @Test func lzfLengthsMustBePlainLengths() {
    expectFailure(
      Self.value([0xC3, 0xC0, 0x05]), RDBError(.invalidLengthEncoding(0xC0), at: 13, key: "k"))
    expectFailure(
      Self.value([0xC3, 0x09, 0x90]), RDBError(.invalidLengthEncoding(0x90), at: 14, key: "k"))
  }

  @Test func skippedStringsOfEveryForm() throws {
    var image = RDBImageBuilder()
    let values: [[UInt8]] = [
      [0x03] + utf8("abc"), [0xC0, 0x01], [0xC1, 0x01, 0x02], [0xC2, 1, 2, 3, 4],
      [0xC3, 0x09, 0x40, 0x64, 0x01, 0x61, 0x61, 0xE0, 0x57, 0x00, 0x01, 0x61, 0x61],
    ]
    for (index, value) in values.enumerated() {
      image.key(type: 0, "k\(index)")
      image.raw(value)
    }
    var skipper = SkippingCounter()
    try RDBParser().parse(image.finished(), into: &skipper)
    #expect(skipper.keys == 5)
    #expect(skipper.valueBytes == values.map(\.count))
  }
}
