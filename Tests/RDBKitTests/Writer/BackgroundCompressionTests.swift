import SystemPackage
import Testing

@testable import RDBKit

/// A rewrite into another format with ``RDBWriter/Options/compressesInBackground`` (LZF on a
/// thread of its own) writes the same values, compressed under the same rule, behind a
/// checksum that matches; a write that fails on that thread fails the rewrite.
@Suite struct BackgroundCompressionTests {
  /// Lists of random and of repeated elements, enough to fill several of the 256 KiB batches
  /// handed to the worker; a 2 MiB random string (a copied value written straight through,
  /// after the worker is drained); a 5 MiB list element, which grows a batch past the size
  /// kept for reuse.
  static let keys: [GeneratedKey] = {
    var random = SplitMix64(seed: 11)
    func noise(_ count: Int) -> [UInt8] {
      (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    }
    var keys: [GeneratedKey] = []
    for index in 0..<150 {
      keys.append(
        GeneratedKey(
          database: 0, name: utf8("noise:\(index)"), value: .list((0..<40).map { _ in noise(60) })))
      keys.append(
        GeneratedKey(
          database: 0, name: utf8("repeat:\(index)"),
          value: .hash(
            (0..<40).map {
              HashField(
                field: utf8("f\($0)"), value: [UInt8](repeating: UInt8(97 + $0 % 20), count: 60))
            })))
    }
    keys.append(GeneratedKey(database: 0, name: utf8("random"), value: .string(noise(2 << 20))))
    keys.append(
      GeneratedKey(
        database: 0, name: utf8("large"),
        value: .list([[UInt8](repeating: 98, count: 5 << 20), utf8("tail")])))
    return keys
  }()

  static let rdb10 = TargetEngine.format(RDBVersion(magic: .redis, number: 10))

  /// ``keys`` as an RDB 10 file saved with compression.
  static let input: [UInt8] = {
    let written = try? WriterOutput.write(WriterOutput.handFed(rdb10)) { writer in
      try writer.header(rdb10.version)
      for key in keys { try key.feed(into: &writer) }
    }
    return written?.bytes ?? []
  }()

  static func options(
    background: Bool, sharing: BackgroundCompression.Sharing = .whenBehind
  ) throws -> RDBWriter.Options {
    var options = RDBWriter.Options(target: try #require(TargetEngine.named("redis-6.2")))
    options.compressesInBackground = background
    options.backgroundSharing = sharing
    return options
  }

  @Test func backgroundCompressionWritesWhatTheWritingThreadWould() throws {
    let inline = try WriterOutput.rewrite(Self.input, try Self.options(background: false))
    let background = try WriterOutput.rewrite(Self.input, try Self.options(background: true))
    #expect(inline.writer.byteCount == inline.bytes.count)
    #expect(background.writer.byteCount == background.bytes.count)
    #expect(background.writer.keysWritten == Self.keys.count)
    // The parse checks the checksum, every structure, and which blobs are compressed.
    let blobs = try ReencodedBlobCompressionTests.blobs(background.bytes)
    #expect(blobs == (try ReencodedBlobCompressionTests.blobs(inline.bytes)))
    #expect(blobs["repeat:0"] == [true])
    #expect(blobs["noise:0"] == [false])
    var collector = GeneratedKeyCollector()
    try RDBParser().parse(background.bytes, into: &collector)
    #expect(collector.keys.map(\.value) == Self.keys.map(\.value))
  }

  /// Batches whose strings the writing thread compresses itself (every other one, or none)
  /// between batches the worker compresses: the same values, compressed under the same
  /// rule, in order, behind a checksum that matches.
  @Test(arguments: [BackgroundCompression.Sharing.alternate, .never])
  func sharedCompressionWritesWhatTheWritingThreadWould(
    _ sharing: BackgroundCompression.Sharing
  ) throws {
    let inline = try WriterOutput.rewrite(Self.input, try Self.options(background: false))
    let shared = try WriterOutput.rewrite(
      Self.input, try Self.options(background: true, sharing: sharing))
    #expect(shared.writer.byteCount == shared.bytes.count)
    let blobs = try ReencodedBlobCompressionTests.blobs(shared.bytes)
    #expect(blobs == (try ReencodedBlobCompressionTests.blobs(inline.bytes)))
    var collector = GeneratedKeyCollector()
    try RDBParser().parse(shared.bytes, into: &collector)
    #expect(collector.keys.map(\.value) == Self.keys.map(\.value))
  }

  /// The worker's write fails (the descriptor is open for reading only): the rewrite throws
  /// instead of waiting for a worker that has stopped.
  @Test func aFailedBackgroundWriteFailsTheRewrite() throws {
    let descriptor = try FileDescriptor.open("/dev/null", .readOnly)
    defer { try? descriptor.close() }
    var writer = RDBWriter(
      output: OutputBuffer(descriptor: descriptor), options: try Self.options(background: true))
    #expect(throws: RDBError.self) {
      try RDBParser().parse(Self.input, into: &writer)
      try writer.finish()
    }
  }
}
