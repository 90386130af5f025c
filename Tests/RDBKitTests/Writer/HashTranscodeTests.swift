import RDBKit
import Testing

/// Listpack hashes rewritten for a ziplist format are moved element by element from their
/// stored bytes; the file is the one the decoded path writes, byte for byte, and a damaged
/// listpack is still reported.
@Suite struct HashTranscodeTests {
  /// Hashes of integers at the ziplist and listpack encoding boundaries, strings up to the
  /// 64-byte value limit, digit strings that are not canonical integers, 512 fields (Redis
  /// 6.2's limit); and two past the limits (513 fields, a 65-byte value), which the input
  /// (``rdb10``) holds as listpacks too and the rewrite writes as plain hashes.
  static let keys: [GeneratedKey] = {
    let integers: [Int64] = [
      0, 12, 13, 127, 128, -1, -128, -129, 4095, -4096, 32767, -32768, 8_388_607, -8_388_608,
      2_147_483_647, -2_147_483_648, .max, .min,
    ]
    let texts = ["", "a", "007", "-0", "+1", "1 ", String(repeating: "x", count: 64)]
    let values = integers.map { utf8(String($0)) } + texts.map(utf8)
    func hash(_ name: String, _ fields: [[UInt8]]) -> GeneratedKey {
      GeneratedKey(
        database: 0, name: utf8(name),
        value: .hash(
          fields.enumerated().map { HashField(field: utf8("f\($0.offset)"), value: $0.element) }))
    }
    return [
      hash("values", values),
      hash("noise", (0..<20).map { utf8("value number \($0) with some words in it") }),
      hash("full", (0..<512).map { utf8(String($0 * 1000)) }),
      hash("too-many", (0..<513).map { utf8(String($0)) }),
      hash("too-long", [[UInt8](repeating: 0x79, count: 65)]),
      hash(
        "too-many-mixed",
        (0..<600).map {
          $0 % 3 == 0 ? utf8("value number \($0) with some words in it") : values[$0 % values.count]
        }),
    ]
  }()

  /// RDB 10, with listpack hashes up to 1000 fields and 100-byte values.
  static let rdb10: TargetEngine = {
    var engine = TargetEngine.format(RDBVersion(magic: .redis, number: 10))
    engine.limits.hashEntries = 1000
    engine.limits.hashValue = 100
    return engine
  }()

  static func input(compresses: Bool) throws -> [UInt8] {
    try WriterOutput.write(WriterOutput.handFed(rdb10, compresses: compresses)) { writer in
      try writer.header(rdb10.version)
      for key in keys { try key.feed(into: &writer) }
    }.bytes
  }

  @Test(arguments: [true, false])
  func transcodedHashesAreTheDecodedOnes(compressedInput: Bool) throws {
    let input = try Self.input(compresses: compressedInput)
    var stored = GeneratedKeyCollector()
    try RDBParser().parse(input, into: &stored)
    #expect(stored.encodings == Array(repeating: "listpack", count: Self.keys.count))
    var options = RDBWriter.Options(target: try #require(TargetEngine.named("redis-6.2")))
    let transcoded = try WriterOutput.rewrite(input, options)
    options.copiesValues = false
    let decoded = try WriterOutput.rewrite(input, options)
    #expect(transcoded.bytes == decoded.bytes)
    var collector = GeneratedKeyCollector()
    try RDBParser().parse(transcoded.bytes, into: &collector)
    #expect(collector.keys.map(\.value) == Self.keys.map(\.value))
    #expect(
      collector.encodings == [
        "ziplist", "ziplist", "ziplist", "hashtable", "hashtable", "hashtable",
      ])
  }

  /// A file of one listpack hash whose listpack lost its end marker, with no checksum (a
  /// zero trailer), so that only the listpack's own check can find it: a hash that fits a
  /// ziplist, and one written as a hash table (nothing of it is written before the listpack
  /// has been walked whole).
  @Test(arguments: [1, 5])
  func aDamagedListpackIsReported(key: Int) throws {
    let single = try WriterOutput.write(WriterOutput.handFed(Self.rdb10, compresses: false)) {
      writer in
      try writer.header(Self.rdb10.version)
      try Self.keys[key].feed(into: &writer)
    }.bytes
    var input = Array(single.dropLast(8)) + [UInt8](repeating: 0, count: 8)
    let marker = input.count - 10
    #expect(input[marker] == 0xFF)
    input[marker] = 0xFE
    let options = RDBWriter.Options(target: try #require(TargetEngine.named("redis-6.2")))
    let error = try #require(throws: RDBError.self) { try WriterOutput.rewrite(input, options) }
    #expect("\(error)".contains("listpack"))
  }
}
