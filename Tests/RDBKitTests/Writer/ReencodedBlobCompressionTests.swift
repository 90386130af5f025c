import RDBKit
import Testing

/// A value re-encoded for another format (listpacks of RDB 10 as ziplists of RDB 9) has its
/// blobs LZF-compressed as its input's were: a server that saves with compression stores a
/// blob over 20 bytes uncompressed only when LZF did not save 4 bytes, so the writer does not
/// try again where the input's blobs were all stored so.
@Suite struct ReencodedBlobCompressionTests {
  /// How each key's blobs were stored: the key's name and, per blob over 20 bytes, whether
  /// it was LZF-compressed.
  struct BlobLog: RDBHandler {
    var blobs: [String: [Bool]] = [:]
    private var key = ""

    mutating func beginKey(_ key: RawSpan, info: KeyInfo) -> KeyDecision {
      self.key = key.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
      return .decode
    }

    mutating func valueBlob(_ blob: ValueBlob) {
      guard blob.byteCount > 20 else { return }
      blobs[key, default: []].append(blob.isCompressed)
    }
  }

  /// Elements LZF cannot shrink, and elements it can.
  static let noise: [[UInt8]] = {
    var random = SplitMix64(seed: 9)
    return (0..<12).map { _ in (0..<24).map { _ in UInt8(truncatingIfNeeded: random.next()) } }
  }()
  static let repeats: [[UInt8]] = (0..<12).map { _ in [UInt8](repeating: 0x61, count: 24) }

  /// A list (a quicklist of listpack nodes) and a hash (a listpack) of each kind of element.
  static let keys: [GeneratedKey] = [
    GeneratedKey(database: 0, name: utf8("noise-list"), value: .list(noise)),
    GeneratedKey(database: 0, name: utf8("repeat-list"), value: .list(repeats)),
    GeneratedKey(
      database: 0, name: utf8("noise-hash"),
      value: .hash(noise.enumerated().map { HashField(field: utf8("f\($0)"), value: $1) })),
    GeneratedKey(
      database: 0, name: utf8("repeat-hash"),
      value: .hash(repeats.enumerated().map { HashField(field: utf8("f\($0)"), value: $1) })),
  ]

  static let rdb10 = TargetEngine.format(RDBVersion(magic: .redis, number: 10))

  /// An RDB 10 file of ``keys``, written with compression on or off.
  static func input(compresses: Bool) throws -> [UInt8] {
    try WriterOutput.write(WriterOutput.handFed(rdb10, compresses: compresses)) { writer in
      try writer.header(rdb10.version)
      for key in keys { try key.feed(into: &writer) }
    }.bytes
  }

  static func blobs(_ bytes: [UInt8]) throws -> [String: [Bool]] {
    var log = BlobLog()
    try RDBParser().parse(bytes, into: &log)
    return log.blobs
  }

  @Test func reencodedBlobsAreCompressedAsTheInputsWere() throws {
    let input = try Self.input(compresses: true)
    // The input as a server would save it: only the repeats compress.
    #expect(
      try Self.blobs(input) == [
        "noise-list": [false], "repeat-list": [true], "noise-hash": [false],
        "repeat-hash": [true],
      ])
    let output = try WriterOutput.rewrite(input, .init(target: .named("redis-6.2")!))
    #expect(output.writer.keysWritten == 4)
    #expect(
      try Self.blobs(output.bytes) == [
        "noise-list": [false], "repeat-list": [true], "noise-hash": [false],
        "repeat-hash": [true],
      ])
    // Same elements, same decisions: the rewrite keeps every element.
    var collector = GeneratedKeyCollector()
    try RDBParser().parse(output.bytes, into: &collector)
    #expect(collector.keys.map(\.value) == Self.keys.map(\.value))
  }

  /// The deviation from a server: an input saved without compression has its re-encoded
  /// blobs written uncompressed too, even those LZF would shrink.
  @Test func blobsAnInputStoredUncompressedStayUncompressed() throws {
    let input = try Self.input(compresses: false)
    let output = try WriterOutput.rewrite(input, .init(target: .named("redis-6.2")!))
    #expect(
      try Self.blobs(output.bytes) == [
        "noise-list": [false], "repeat-list": [false], "noise-hash": [false],
        "repeat-hash": [false],
      ])
  }

  /// Values fed without blobs (a generator, or plain encodings decoded) are compressed as a
  /// server compresses them.
  @Test func valuesWithoutInputBlobsAreCompressedAsAServerWould() throws {
    let engine = TargetEngine.named("redis-6.2")!
    let output = try WriterOutput.write(WriterOutput.handFed(engine)) { writer in
      try writer.header(engine.version)
      for key in Self.keys { try key.feed(into: &writer) }
    }
    #expect(
      try Self.blobs(output.bytes) == [
        "noise-list": [false], "repeat-list": [true], "noise-hash": [false],
        "repeat-hash": [true],
      ])
  }
}
