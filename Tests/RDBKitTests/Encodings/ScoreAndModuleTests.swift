import RDBKit
import Testing

/// Text and binary double scores (rdb-format.md §3.4) and module values (§4.8, §5.8).
@Suite struct ScoreTests {
  /// A type-3 zset `k` with member "m" and the text score `score` at offset 15.
  static func textScore(_ score: [UInt8]) -> [UInt8] {
    var image = RDBImageBuilder(version: 7)
    image.key(type: 3, "k")
    image.length(1)
    image.string("m")
    image.raw(score)
    return image.finished()
  }

  static func text(_ value: String) -> [UInt8] { [UInt8(value.utf8.count)] + utf8(value) }

  @Test(arguments: [
    ("1.5", 1.5), ("-3", -3), ("0.10000000000000001", 0.1), ("1e+20", 1e20), ("0", 0),
    ("-0", -0.0), ("5e-324", .leastNonzeroMagnitude), ("inf", .infinity), ("-inf", -.infinity),
    ("1.7976931348623157e+308", .greatestFiniteMagnitude),
  ])
  func textScores(_ score: String, _ value: Double) {
    let keys = expectKeys(Self.textScore(Self.text(score)))
    #expect(keys.first?.scores.first?.1 == value)
    #expect(keys.first?.scores.first?.1.sign == value.sign)
  }

  @Test func infinityMarkers() {
    #expect(expectKeys(Self.textScore([0xFE])).first?.scores.first?.1 == .infinity)
    #expect(expectKeys(Self.textScore([0xFF])).first?.scores.first?.1 == -.infinity)
  }

  /// Refused by Redis 7.0 and 8.6 (`sscanf("%lg")` reads no number, or NaN), or read
  /// differently by them (`"1e"`: 7.0 reads 1, 8.6 refuses; `"0x1p"`).
  @Test(arguments: [
    [0xFD], text("nan"), text("abc"), [0x00], text("0x"), text("   "), text("."), text("1e"),
    text("1.5E+"), text("0x1p"), text("nanx"),
  ])
  func badTextScores(_ score: [UInt8]) {
    expectFailure(Self.textScore(score), .invalidValue, at: 15, key: "k")
  }

  /// Text that starts with a number: read as the server reads it, with a warning.
  @Test(arguments: [("1.5x", 1.5), (" 1", 1), ("1 ", 1), ("1\u{0}2", 1), ("1e5x", 1e5)])
  func textScoresReadAsAServerReadsThem(_ text: String, _ value: Double) throws {
    var keys = RecordCollector()
    let summary = try RDBParser().parse(Self.textScore(Self.text(text)), into: &keys)
    #expect(keys.keys.first?.scores.first?.1 == value)
    #expect(summary.warnings.map(\.kind) == [.sortedSetScore(text: text, loadedAs: value)])
    #expect(summary.warnings.first?.offset == 15)
  }

  @Test func truncatedTextScore() {
    let image = Self.textScore(Self.text("12345"))
    expectFailure(
      Array(image.prefix(17)), RDBError(.truncated(needed: 5, available: 1), at: 16, key: "k"))
  }

  static func binaryScore(_ value: Double) -> [UInt8] {
    var image = RDBImageBuilder(version: 9)
    image.key(type: 5, "k")
    image.length(2)
    image.string("a")
    image.littleEndian(value.bitPattern)
    image.string("b")
    image.littleEndian((-value).bitPattern)
    return image.finished()
  }

  @Test(arguments: [1.5, 0.0, .infinity, -1e-300, .greatestFiniteMagnitude, .leastNonzeroMagnitude])
  func binaryScores(_ value: Double) {
    let keys = expectKeys(Self.binaryScore(value))
    #expect(keys.first?.scores.map(\.1) == [value, -value])
    #expect(keys.first?.encoding == "skiplist")
  }

  @Test func binaryNaNIsRejected() {
    expectFailure(Self.binaryScore(.nan), .invalidValue, at: 15, key: "k")
    // A NaN with a payload is still NaN.
    var image = RDBImageBuilder(version: 9)
    image.key(type: 5, "k")
    image.length(1)
    image.string("a")
    image.littleEndian(UInt64(0x7FF0_0000_0000_0001))
    expectFailure(image.finished(), .invalidValue, at: 15, key: "k")
  }
}

@Suite struct ModuleTests {
  /// "ReJSON-RL", encver 3.
  static let reJSON: UInt64 = 0x45E2_5238_DF91_2C03

  @Test func moduleIDDecoding() {
    #expect(ModuleType(id: Self.reJSON) == ModuleType(id: Self.reJSON))
    #expect(ModuleType(id: Self.reJSON).name == "ReJSON-RL")
    #expect(ModuleType(id: Self.reJSON).encodingVersion == 3)
    #expect(
      RDBImageBuilder.length(Self.reJSON) == [0x81, 0x45, 0xE2, 0x52, 0x38, 0xDF, 0x91, 0x2C, 0x03])
    #expect(ModuleType(id: 0).name == "AAAAAAAAA")
    #expect(
      ModuleType(id: .max).name == "_________" && ModuleType(id: .max).encodingVersion == 1023)
  }

  /// Every module opcode once: SINT, UINT, FLOAT, DOUBLE, STRING (raw, int, LZF), EOF.
  static let opcodes: [UInt8] =
    [1, 0x81, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]  // SINT -1
    + [2, 0x05] + [3, 0, 0, 0x80, 0x3F] + [4, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F]
    + [5, 0x03, 0x61, 0x62, 0x63] + [5, 0xC1, 0x39, 0x30]
    + [5, 0xC3, 0x09, 0x40, 0x64, 0x01, 0x61, 0x61, 0xE0, 0x57, 0x00, 0x01, 0x61, 0x61] + [0]

  static func moduleImage(type: UInt8 = 7, _ body: [UInt8]) -> [UInt8] {
    var image = RDBImageBuilder(version: 9)
    image.key(type: type, "k")
    image.length(Self.reJSON)
    image.raw(body)
    image.key(type: 0, "after")
    image.string("v")
    return image.finished()
  }

  @Test func moduleValueIsReportedAndPassed() throws {
    let bytes = Self.moduleImage(Self.opcodes)
    let keys = expectKeys(bytes)
    #expect(keys.count == 2)
    #expect(keys.first?.module == ModuleType(id: Self.reJSON))
    #expect(keys.first?.type == "module" && keys.first?.encoding == "raw")
    #expect(keys.last?.string == hexText("v"))
    var skipper = SkippingCounter()
    try RDBParser().parse(bytes, into: &skipper)
    #expect(skipper.valueBytes == [9 + Self.opcodes.count, 2])
  }

  @Test(arguments: [UInt8(6), 7, 63])
  func unknownModuleOpcode(_ opcode: UInt8) {
    expectFailure(Self.moduleImage([2, 1, opcode, 0]), .unreadableModule, at: 23, key: "k")
  }

  @Test func truncatedModuleValue() {
    // Cut 2 bytes into the DOUBLE's 8 (opcode at 38, payload at 39).
    // (The pipe path reports this elsewhere: PendingBugs/PendingParserBugTests.swift.)
    let bytes = Array(Self.moduleImage(Self.opcodes).prefix(41))
    #expect(
      ParseOutcome.mapped(bytes).error
        == RDBError(.truncated(needed: 8, available: 2), at: 39, key: "k"))
  }

  @Test func preReleaseModuleTypeIsUnreadable() throws {
    expectFailure(Self.moduleImage(type: 6, Self.opcodes), .unreadableModule, at: 12, key: "k")
    var skipper = SkippingCounter()
    #expect(throws: RDBError.self) {
      try RDBParser().parse(Self.moduleImage(type: 6, [0]), into: &skipper)
    }
  }

  static func moduleAux(marker: UInt64 = 2, when: UInt64 = 2, _ body: [UInt8]) -> [UInt8] {
    var image = RDBImageBuilder(version: 9)
    image.byte(0xF7)
    image.length(Self.reJSON)
    image.length(marker)
    image.length(when)
    image.raw(body)
    image.key(type: 0, "k")
    image.string("v")
    return image.finished()
  }

  @Test(arguments: [UInt64(1), 2])
  func moduleAuxIsSkipped(_ when: UInt64) throws {
    let events = try eventLines(Self.moduleAux(when: when, Self.opcodes))
    #expect(events.contains("moduleAux ReJSON-RL (encver 3)"))
    #expect(events.contains { $0.hasPrefix("key k ") })
  }

  @Test func moduleAuxWithoutTheUintMarker() {
    expectFailure(Self.moduleAux(marker: 1, Self.opcodes), .unreadableModule, at: 9, key: nil)
  }

  @Test func moduleAuxWithAnUnknownOpcode() {
    expectFailure(Self.moduleAux([9, 0]), .unreadableModule, at: 21, key: nil)
  }
}
