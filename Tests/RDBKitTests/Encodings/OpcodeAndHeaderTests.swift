import RDBKit
import Testing

/// Opcodes (rdb-format.md §4), the header (§2.1, §1.3), hash field TTL types (§5.16), and the
/// CRC-64 trailer (§2.4, §8).
@Suite struct OpcodeTests {
  @Test func functionsAndSlotInfo() throws {
    var image = RDBImageBuilder(version: 12)
    image.byte(0xF5)
    image.string("#!lua name=lib1\nredis.register_function('f', function() return 1 end)")
    image.byte(0xF6)
    image.string("lib0")
    image.string("LUA")
    image.length(1)
    image.string("a description")
    image.string("return 0")
    image.byte(0xF6)
    image.string("lib2")
    image.string("LUA")
    image.length(0)
    image.string("return 2")
    image.byte(0xFE)
    image.length(0)
    image.byte(0xF4)
    image.raw([0x7F, 0xFF, 0x05, 0x01])  // slot 16383, 5 keys, 1 expiring
    image.key(type: 0, "k")
    image.string("v")
    let events = try eventLines(image.finished())
    #expect(events.filter { $0.hasPrefix("function ") }.count == 3)
    #expect(events.contains("function return 0") && events.contains("function return 2"))
    #expect(events.contains { $0.hasPrefix("key k type=0 db=0") })
  }

  @Test func keyAttributesApplyToTheNextKeyOnly() throws {
    var image = RDBImageBuilder(version: 9)
    image.byte(0xFD)
    image.littleEndian(Int32(1_900_000_000))
    image.byte(0xF8)
    image.raw([0x41, 0x2C])
    image.byte(0xF9)
    image.byte(200)
    image.key(type: 0, "a")
    image.string("1")
    image.key(type: 0, "b")
    image.string("2")
    image.byte(0xFC)
    image.littleEndian(Int64(1_900_000_000_123))
    image.byte(0xF9)
    image.byte(0)
    image.key(type: 0, "c")
    image.string("3")
    let events = try eventLines(image.finished()).filter { $0.hasPrefix("key ") }
    #expect(
      events == [
        "key a type=0 db=0 expires=1900000000000 idle=300 freq=200 at=19",
        "key b type=0 db=0 expires=- idle=- freq=- at=24",
        "key c type=0 db=0 expires=1900000000123 idle=- freq=0 at=40",
      ])
  }

  @Test func attributesSurviveAnInterveningAux() throws {
    var image = RDBImageBuilder(version: 9)
    image.byte(0xFC)
    image.littleEndian(Int64(5))
    image.aux("x", "y")
    image.key(type: 0, "k")
    image.string("v")
    #expect(try parseImage(image.finished()).0.keys.first?.expiresAt == 5)
  }

  @Test func resizeAndSelect() throws {
    var image = RDBImageBuilder(version: 7)
    image.byte(0xFE)
    image.length(3)
    image.byte(0xFB)
    image.length(1000)
    image.length(7)
    let events = try eventLines(image.finished())
    #expect(events == ["header REDIS0007", "db 3", "resize 1000 7"])
  }

  @Test(arguments: [UInt8(8), 26, 27, 100, 0x6B, 0xF0, 0xF1, 0xF2, 0xF3])
  func unknownTypeOrOpcode(_ byte: UInt8) {
    var image = RDBImageBuilder(version: 12)
    image.aux("a", "b")
    image.byte(byte)
    image.string("k")
    image.string("v")
    expectFailure(image.finished(), RDBError(.unknownType(byte), at: 14))
  }

  @Test func truncatedOpcodePayloads() {
    for (opcode, size) in [(UInt8(0xFC), 8), (0xFD, 4)] {
      var image = RDBImageBuilder(version: 9)
      image.byte(opcode)
      image.raw([1, 2])
      expectFailure(image.bytes, RDBError(.truncated(needed: size, available: 2), at: 10))
    }
    expectFailure(utf8("REDIS0009"), RDBError(.truncated(needed: 1, available: 0), at: 9))
    expectFailure(utf8("REDIS0009") + [0xF9], RDBError(.truncated(needed: 1, available: 0), at: 10))
  }
}

@Suite struct HeaderTests {
  @Test(arguments: 1...13)
  func redisVersions(_ version: Int) throws {
    var image = RDBImageBuilder(version: version)
    image.key(type: 0, "k")
    image.string("v")
    let bytes = version >= 5 ? image.finished() : image.finishedWithoutChecksum()
    let (collector, summary) = try parseImage(bytes)
    #expect(summary.version == RDBVersion(magic: .redis, number: version))
    #expect(collector.keys.count == 1)
    #expect(
      summary.checksum
        == (version >= 5 ? .verified(RDBImageBuilder.crc64(Array(bytes.dropLast(8)))) : .absent))
    #expect(summary.trailingBytes == 0)
  }

  @Test func newerRedisVersionIsRefused() {
    let error = ParseOutcome.mapped(RDBImageBuilder(version: 14).finished()).error
    #expect(error == RDBError(.unsupportedVersion(14, magic: "REDIS"), at: 0))
    #expect(error?.kind.description.hasPrefix("RDB 14, written by Redis 8.8 or newer") == true)
    expectFailure(
      RDBImageBuilder(version: 15).finished(),
      RDBError(.unsupportedVersion(15, magic: "REDIS"), at: 0))
    expectFailure(
      RDBImageBuilder(version: 0).finished(),
      RDBError(.unsupportedVersion(0, magic: "REDIS"), at: 0))
    expectFailure(
      RDBImageBuilder(version: 80).finished(),
      RDBError(.unsupportedVersion(80, magic: "REDIS"), at: 0))
  }

  @Test func valkeyMagic() throws {
    let (_, summary) = try parseImage(RDBImageBuilder(header: "VALKEY080").finished())
    #expect(summary.version == RDBVersion(magic: .valkey, number: 80))
    #expect(summary.version.description == "VALKEY080")
    for version in ["VALKEY081", "VALKEY011", "VALKEY000"] {
      let number = Int(version.suffix(3))!
      expectFailure(
        RDBImageBuilder(header: version).finished(),
        RDBError(.unsupportedVersion(number, magic: "VALKEY"), at: 0))
    }
  }

  @Test(arguments: [
    "REDIS00a2", "REDIS 012", "redis0012", "RDB000012", "VALKEY08x", "VALKEY+80",
    "\0\0\0\0\0\0\0\0\0",
  ])
  func badMagic(_ header: String) {
    expectFailure(RDBImageBuilder(header: header).finished(), RDBError(.badMagic, at: 0))
  }

  @Test(arguments: 0..<9)
  func shortHeader(_ length: Int) {
    expectFailure(
      Array(utf8("REDIS0012").prefix(length)),
      RDBError(.truncated(needed: 9, available: length), at: 0))
  }
}

@Suite struct HashFieldTTLTests {
  static let maximum: Int64 = (1 << 48) - 1

  @Test func type24RelativeTTLs() {
    var image = RDBImageBuilder(version: 12)
    image.key(type: 24, "k")
    image.littleEndian(Int64(1_000))
    image.length(3)
    for (ttl, field) in [(UInt64(1), "a"), (0, "b"), (501, "c")] {
      image.length(ttl)
      image.string(field)
      image.string(field + "v")
    }
    let key = expectKeys(image.finished()).first
    #expect(key?.fieldExpiries == [hexText("a"): 1_000, hexText("c"): 1_500])
    #expect(key?.pairs.count == 3 && key?.encoding == "hashtable")
  }

  @Test func type24Limits() {
    var image = RDBImageBuilder(version: 12)
    image.key(type: 24, "k")
    image.littleEndian(Self.maximum + 1)
    image.length(0)
    expectFailure(image.finished(), .invalidValue, at: 12, key: "k")
    var overflow = RDBImageBuilder(version: 12)
    overflow.key(type: 24, "k")
    overflow.littleEndian(Self.maximum)
    overflow.length(1)
    overflow.length(2)  // maximum + 1
    overflow.string("f")
    overflow.string("v")
    expectFailure(overflow.finished(), .invalidValue, at: 21, key: "k")
  }

  static func type25(minimum: Int64 = 0, _ elements: [ListpackElement], version: Int = 12)
    -> [UInt8]
  {
    var image = RDBImageBuilder(version: version)
    image.key(type: 25, "k")
    image.littleEndian(minimum)
    image.string(listpack(elements))
    return image.finished()
  }

  @Test func type25Triplets() {
    let bytes = Self.type25(
      minimum: 1_700_000_000_000,
      [
        .string(utf8("a")), .string(utf8("1")), .int64(1_700_000_000_000),
        .string(utf8("b")), .uint7(2), .int64(1_800_000_000_000),
        .string(utf8("c")), .string(utf8("3")), .uint7(0),
      ])
    let key = expectKeys(bytes).first
    #expect(
      key?.fieldExpiries == [hexText("a"): 1_700_000_000_000, hexText("b"): 1_800_000_000_000])
    #expect(key?.encoding == "listpackex" && key?.pairs.count == 3)
    // A stale minimum, or 0, is only range-checked.
    #expect(
      expectKeys(Self.type25(minimum: 0, [.string(utf8("a")), .uint7(1), .uint7(0)])).count == 1)
  }

  static let badTriplets: [(String, [ListpackElement])] = [
    ("not a multiple of 3", [.string(utf8("a")), .uint7(1)]),
    ("TTL is a string", [.string(utf8("a")), .uint7(1), .string(utf8("5"))]),
    ("TTL negative", [.string(utf8("a")), .uint7(1), .int13(-1)]),
    ("TTL above 2^48-1", [.string(utf8("a")), .uint7(1), .int64(maximum + 1)]),
    (
      "TTL after a field without",
      [.string(utf8("a")), .uint7(1), .uint7(0), .string(utf8("b")), .uint7(1), .uint7(5)]
    ),
    (
      "TTLs decreasing",
      [.string(utf8("a")), .uint7(1), .uint7(9), .string(utf8("b")), .uint7(1), .uint7(5)]
    ),
  ]

  @Test(arguments: badTriplets)
  func type25Violations(_ name: String, _ elements: [ListpackElement]) {
    let error = ParseOutcome.mapped(Self.type25(elements)).error
    #expect(error?.offset == 20 && error?.key == "k", "\(String(describing: error))")
    #expect(error?.kind.name == .invalidValue || error?.kind.name == .corruptStructure)
  }

  @Test func type25MinimumOutOfRange() {
    expectFailure(
      Self.type25(minimum: -1, [.string(utf8("a")), .uint7(1), .uint7(0)]), .invalidValue, at: 12,
      key: "k")
  }

  @Test func preGATypes22And23() {
    var image = RDBImageBuilder(version: 12)
    image.key(type: 22, "h")
    image.length(2)
    image.length(1_700_000_000_000)
    image.string("a")
    image.string("1")
    image.length(0)
    image.string("b")
    image.string("2")
    image.key(type: 23, "l")
    image.string(listpack([.string(utf8("c")), .uint7(3), .uint7(77)]))
    let keys = expectKeys(image.finished())
    #expect(keys.first?.fieldExpiries == [hexText("a"): 1_700_000_000_000])
    #expect(keys.last?.fieldExpiries == [hexText("c"): 77])
    var tooLate = RDBImageBuilder(version: 12)
    tooLate.key(type: 22, "k")
    tooLate.length(1)
    tooLate.length(UInt64(Self.maximum) + 1)
    tooLate.string("a")
    tooLate.string("1")
    expectFailure(tooLate.finished(), .invalidValue, at: 13, key: "k")
  }

  @Test func valkeyHash2() {
    var image = RDBImageBuilder(header: "VALKEY080")
    image.key(type: 22, "k")
    image.length(2)
    image.string("a")
    image.string("1")
    image.littleEndian(Int64(1_900_000_000_000))
    image.string("b")
    image.string("2")
    image.littleEndian(Int64(-1))
    let key = expectKeys(image.finished()).first
    #expect(key?.fieldExpiries == [hexText("a"): 1_900_000_000_000])
    #expect(key?.pairs.map(\.1) == [hexText("1"), hexText("2")])
    var bad = RDBImageBuilder(header: "VALKEY080")
    bad.key(type: 22, "k")
    bad.length(1)
    bad.string("a")
    bad.string("1")
    bad.littleEndian(Int64(-2))
    expectFailure(bad.finished(), .invalidValue, at: 13, key: "k")
  }

  @Test(arguments: [UInt8(23), 24, 25])
  func redisOnlyTypesInAValkeyFile(_ type: UInt8) {
    var image = RDBImageBuilder(header: "VALKEY080")
    image.key(type: type, "k")
    image.raw([0, 0, 0, 0, 0, 0, 0, 0, 0])
    expectFailure(image.finished(), RDBError(.unknownType(type), at: 9))
  }
}

@Suite struct ChecksumTests {
  @Test func checkValue() {
    #expect(RDBImageBuilder.crc64(utf8("123456789")) == 0xE9C6_D914_C4B8_D9CA)
    let whole = RDBImageBuilder.crc64(utf8("123456789"))
    let parts = utf8("56789").withUnsafeBytes { rest in
      utf8("1234").withUnsafeBytes { CRC64.update(CRC64.update(0, $0), rest) }
    }
    #expect(parts == whole)
    #expect(RDBImageBuilder.crc64([]) == 0)
  }

  /// rdb-format.md Appendix A: 128 bytes written by Redis 7.0.15.
  static let appendixA: [UInt8] =
    utf8("REDIS0010") + [0xFA, 0x09] + utf8("redis-ver") + [0x06] + utf8("7.0.15")
    + [0xFA, 0x0A] + utf8("redis-bits") + [0xC0, 0x40]
    + [0xFA, 0x05] + utf8("ctime") + [0xC2, 0x45, 0x60, 0x06, 0x6B]
    + [0xFA, 0x08] + utf8("used-mem") + [0xC2, 0xE0, 0xFD, 0x13, 0x00]
    + [0xFA, 0x08] + utf8("aof-base") + [0xC0, 0x00]
    + [0xFE, 0x00, 0xFB, 0x02, 0x01, 0xFC, 0x00, 0x38, 0xD3, 0x60, 0xBA, 0x01, 0x00, 0x00]
    + [0x00, 0x03] + utf8("foo") + [0x03] + utf8("bar")
    + [
      0x10, 0x01, 0x68, 0x0C, 0x0C, 0x00, 0x00, 0x00, 0x02, 0x00, 0x81, 0x61, 0x02, 0x01, 0x01,
      0xFF,
    ]
    + [0xFF, 0x5E, 0xAD, 0x59, 0x0A, 0x06, 0x8C, 0xB4, 0xFA]

  @Test func realFileChecksumVerifies() throws {
    #expect(Self.appendixA.count == 128)
    let (collector, summary) = try parseImage(Self.appendixA)
    #expect(summary.checksum == .verified(0xFAB4_8C06_0A59_AD5E))
    #expect(summary.byteCount == 128 && summary.trailingBytes == 0)
    #expect(collector.aux.map(\.1) == ["7.0.15", "64", "1795579973", "1310176", "0"])
    #expect(collector.keys.map(\.expiresAt) == [1_900_000_000_000, nil])
    #expect(collector.keys.last?.pairs.first.map { [$0.0, $0.1] } == [hexText("a"), hexText("1")])
    _ = expectKeys(Self.appendixA)
  }

  @Test func zeroTrailerIsNotChecked() throws {
    var image = RDBImageBuilder(version: 9)
    image.key(type: 0, "k")
    image.string("v")
    #expect(try parseImage(image.finished(checksum: false)).1.checksum == .notChecked)
  }

  @Test func mismatchNamesBothValues() {
    var bytes = Self.appendixA
    bytes[127] ^= 0x01
    expectFailure(
      bytes,
      RDBError(
        .checksumMismatch(expected: 0xFBB4_8C06_0A59_AD5E, actual: 0xFAB4_8C06_0A59_AD5E), at: 120))
    var body = Self.appendixA
    body[101] ^= 0x20  // "bar" → "bAr": well formed, wrong checksum
    let actual = RDBImageBuilder.crc64(Array(body.prefix(120)))
    expectFailure(
      body, RDBError(.checksumMismatch(expected: 0xFAB4_8C06_0A59_AD5E, actual: actual), at: 120))
  }

  @Test func truncatedTrailer() {
    expectFailure(
      Array(Self.appendixA.prefix(125)), RDBError(.truncated(needed: 8, available: 5), at: 120))
  }

  @Test func trailingBytesAreCounted() throws {
    let (_, summary) = try parseImage(Self.appendixA + utf8("*2\r\n$3\r\nSET\r\n"))
    #expect(summary.trailingBytes == 13 && summary.byteCount == 128)
    let streamed = ParseOutcome.streamed(Self.appendixA + utf8("tail"), seed: 9)
    #expect(
      ParseOutcome.agree(
        mapped: ParseOutcome.mapped(Self.appendixA + utf8("tail")), streamed: streamed))
  }
}
