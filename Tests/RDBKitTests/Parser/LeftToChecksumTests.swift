import Foundation
import Testing

@testable import RDBKit

/// Compressed packed values left to the CRC-64 by `verify` (``RDBHandler/needsPackedElements``),
/// on files a real server wrote: Redis 7.0 (a hash listpack) and Redis 6.2 (a hash ziplist),
/// one compressed blob damaged behind a header that still fits (its end marker zeroed, then
/// compressed again). With the CRC-64 recomputed, `verify` accepts the file and says the blob
/// was left to the checksum, `verify --deep` names the damage; with the old CRC-64, `verify`
/// of the file names the damage and of a pipe the checksum mismatch; with a zero trailer,
/// `verify` of the file reads it again and names the damage, of a pipe says it was not checked.
@Suite(.serialized) struct LeftToChecksumTests {
  static let servers = ["redis-7.0", "redis-6.2"]

  @Test(arguments: servers) func damagedBlobBehindAValidChecksum(server: String) throws {
    let written = try Self.serverFile(server)
    let damaged = try Self.damageBlob(of: "h", in: written.bytes)
    let file = try TemporaryImage.write(RDBImageBuilder.resealed(damaged.bytes), prefix: "left")
    defer { try? FileManager.default.removeItem(at: file) }

    var counter = KeyCountAnalyzer()
    let summary = try RDBParser().parse(path: file.path, into: &counter)
    #expect(summary.uncheckedPackedValues == written.compressedBlobs)
    #expect(counter.total.keys == 2)
    let accepted = try Self.verify([file.path])
    #expect(accepted.status == 0, "\(accepted.stdout) \(accepted.stderr)")
    #expect(
      accepted.stdout.contains(
        "\(written.compressedBlobs) compressed value\(written.compressedBlobs == 1 ? "" : "s") left to the CRC-64 (--deep decodes them)"
      ),
      "\(accepted.stdout)")

    var deepCounter = KeyCountAnalyzer()
    #expect {
      try RDBParser(decodesEverything: true).parse(path: file.path, into: &deepCounter)
    } throws: { error in
      (error as? RDBError).map { $0.offset == damaged.offset && $0.key == "h" } ?? false
    }
    let deep = try Self.verify(["--deep", file.path])
    #expect(deep.status == 1)
    #expect(
      deep.stdout.contains("CORRUPT: ") && deep.stdout.contains("no end marker")
        && deep.stdout.contains("at byte \(damaged.offset) (key \"h\")"), "\(deep.stdout)")
  }

  @Test(arguments: servers) func damagedBlobUnderTheOldChecksum(server: String) throws {
    let written = try Self.serverFile(server)
    let damaged = try Self.damageBlob(of: "h", in: written.bytes)
    // The damaged image still ends in the trailer the server wrote.
    try Self.expectMappedFileNamesTheDamage(damaged.bytes, at: damaged.offset)
    let piped = try Self.verify(["-"], stdin: damaged.bytes)
    #expect(piped.status == 1)
    #expect(
      piped.stdout.contains("-: CORRUPT: checksum mismatch")
        && piped.stdout.contains("the damage cannot be located"), "\(piped.stdout)")
    let deepPipe = try Self.verify(["--deep", "-"], stdin: damaged.bytes)
    #expect(
      deepPipe.status == 1 && deepPipe.stdout.contains("at byte \(damaged.offset) (key \"h\")"),
      "\(deepPipe.stdout)")
  }

  @Test(arguments: servers) func damagedBlobWithoutAChecksum(server: String) throws {
    let written = try Self.serverFile(server)
    let damaged = try Self.damageBlob(of: "h", in: written.bytes)
    let unsealed = Array(damaged.bytes.dropLast(8)) + [UInt8](repeating: 0, count: 8)
    try Self.expectMappedFileNamesTheDamage(unsealed, at: damaged.offset)
    let piped = try Self.verify(["--json", "-"], stdin: unsealed)
    #expect(piped.status == 1)
    #expect(
      piped.stdout.contains("\"status\":\"unchecked\"")
        && piped.stdout.contains("\"left_to_checksum\":\(written.compressedBlobs)"),
      "\(piped.stdout)")

    // Undamaged and without a checksum: the file is read again and fully checked; a pipe still
    // cannot say it was.
    let clean = Array(written.bytes.dropLast(8)) + [UInt8](repeating: 0, count: 8)
    let cleanFile = try TemporaryImage.write(clean, prefix: "left")
    defer { try? FileManager.default.removeItem(at: cleanFile) }
    let cleanMapped = try Self.verify([cleanFile.path])
    #expect(
      cleanMapped.status == 0 && cleanMapped.stdout.contains("OK (checksum not checked)")
        && !cleanMapped.stdout.contains("left to"), "\(cleanMapped.stdout)")
    let cleanPiped = try Self.verify(["-"], stdin: clean)
    #expect(
      cleanPiped.status == 1
        && cleanPiped.stdout.contains(
          "-: UNCHECKED: the file has no checksum (the writer had rdbchecksum off), and "),
      "\(cleanPiped.stdout)")
  }

  @Test(arguments: servers) func pipeLeavesWhatTheFileLeaves(server: String) throws {
    let written = try Self.serverFile(server)
    let file = try TemporaryImage.write(written.bytes, prefix: "left")
    defer { try? FileManager.default.removeItem(at: file) }
    let mapped = try Self.verify([file.path])
    let piped = try Self.verify(["-"], stdin: written.bytes)
    #expect(mapped.status == 0 && piped.status == 0, "\(mapped.stdout) \(piped.stdout)")
    let line = mapped.stdout.replacingOccurrences(of: file.path, with: "-")
    #expect(line == piped.stdout)
    #expect(line.contains("left to the CRC-64"), "\(line)")
  }

  /// FuzzParser found: a compressed listpack whose bytes run past the end of the input and
  /// whose header disagrees with its length. A mapped file knows the bytes are missing before
  /// the header is looked at; a pipe leaving the blob to the checksum now checks the header
  /// only once it has passed the bytes, so both name the missing bytes, at the same byte.
  @Test func blobRunningPastTheEndIsNamedAlikeOnBothPaths() throws {
    var image = RDBImageBuilder(version: 10)
    image.key(type: 16, "h")
    image.raw([0xC3, 41, 52, 31] + RDBImageBuilder.littleEndian(UInt32(999)) + [4, 0])
    image.raw([UInt8](repeating: 0x61, count: 10))
    let bytes = image.bytes
    var mapped = KeyCountAnalyzer()
    let mappedError = #expect(throws: RDBError.self) {
      try RDBParser().parse(bytes, into: &mapped)
    }
    for seed: UInt64 in [1, 2, 3] {
      var piped = KeyCountAnalyzer()
      let pipedError = #expect(throws: RDBError.self) {
        try RDBParser().parse(
          input: ChunkedInput(bytes, seed: seed, maximumChunk: 7),
          leavingStringsToChecksum: true, leavingPackedValuesToChecksum: true, into: &piped)
      }
      #expect(pipedError?.offset == mappedError?.offset, "\(String(describing: pipedError))")
      #expect(pipedError?.kind.name != .corruptStructure)
    }
    #expect(mappedError?.offset == 15 && mappedError?.key == "h")
  }

  // MARK: - Support

  /// A file `server` wrote: a hash `h` of 100 fields (one compressed listpack or ziplist) and
  /// a string `s`; with how many compressed blobs it holds.
  static func serverFile(_ name: String) throws -> (bytes: [UInt8], compressedBlobs: Int) {
    let server = try RedisServer(binary: ServerCatalog.require(name))
    defer { server.stop() }
    let client = try server.client()
    var arguments = ["HSET", "h"]
    for index in 0..<100 { arguments += ["field:\(index)", "value:\(index)-abcdefgh"] }
    _ = try client.callBytes(arguments.map { Array($0.utf8) })
    _ = try client.call("SET", "s", "plain")
    _ = try client.call("SAVE")
    let bytes = try [UInt8](Data(contentsOf: server.dumpURL))
    var blobs = BlobCounter()
    try RDBParser().parse(bytes, into: &blobs)
    try #require(blobs.compressed == 1, "\(name) did not compress the hash")
    return (bytes, blobs.compressed)
  }

  /// `image` with the blob of `key` (an LZF-compressed listpack or ziplist right after the
  /// key name) decompressed, its last byte (the end marker) zeroed and compressed again; the
  /// trailer is left as it was. Returns the new image and the blob's offset.
  static func damageBlob(of key: String, in image: [UInt8]) throws -> (
    bytes: [UInt8], offset: Int
  ) {
    var finder = KeyOffsets()
    try RDBParser().parse(image, into: &finder)
    let record = try #require(finder.offsets[key])
    let origin = record + 2 + key.utf8.count
    try #require(image[origin] == 0xC3)
    var position = origin + 1
    let compressedLength = Self.length(image, &position)
    let length = Self.length(image, &position)
    let compressed = Array(image[position..<position + compressedLength])
    var blob = [UInt8](repeating: 0, count: length)
    let problem = compressed.withUnsafeBytes { source in
      blob.withUnsafeMutableBytes { LZF.decompress(source, into: $0) }
    }
    try #require(problem == nil && blob.last == 0xFF)
    blob[length - 1] = 0
    let compressor = LZFCompressor()
    let again = try #require(blob.withUnsafeBytes { compressor.compress($0).map(Array.init) })
    let string =
      [0xC3] + RDBImageBuilder.length(UInt64(again.count))
      + RDBImageBuilder.length(UInt64(length)) + again
    let bytes =
      Array(image[..<origin]) + string + Array(image[(position + compressedLength)...])
    return (bytes, origin)
  }

  /// An RDB length at `position` (1, 2 or 5 bytes), stepped over.
  private static func length(_ bytes: [UInt8], _ position: inout Int) -> Int {
    let first = bytes[position]
    switch first >> 6 {
    case 0:
      position += 1
      return Int(first & 0x3F)
    case 1:
      defer { position += 2 }
      return Int(first & 0x3F) << 8 | Int(bytes[position + 1])
    default:
      defer { position += 5 }
      return bytes[position + 1..<position + 5].reduce(0) { $0 << 8 | Int($1) }
    }
  }

  /// `rdbtool verify` of `image` as a file reports the damaged listpack of `h` at `offset`
  /// (the first damage in the file), exit 1.
  private static func expectMappedFileNamesTheDamage(_ image: [UInt8], at offset: Int) throws {
    let file = try TemporaryImage.write(image, prefix: "left")
    defer { try? FileManager.default.removeItem(at: file) }
    let mapped = try verify([file.path])
    #expect(mapped.status == 1)
    #expect(
      mapped.stdout.contains("no end marker at byte \(offset) (key \"h\")"), "\(mapped.stdout)")
  }

  /// `rdbtool verify …`, killed after 60 s.
  private static func verify(_ arguments: [String], stdin: [UInt8]? = nil) throws -> BoundedRun {
    let run = try BoundedRun.rdbtool(
      ["verify"] + arguments, budget: .seconds(60), stdin: stdin)
    try #require(!run.timedOut, "verify \(arguments) did not finish in 60 s")
    return run
  }
}

/// Where each key's record starts.
private struct KeyOffsets: RDBHandler {
  var offsets: [String: Int] = [:]
  mutating func beginKey(_ key: RawSpan, info: KeyInfo) -> KeyDecision {
    offsets[key.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }] = info.offset
    return .skip
  }
}

/// How many blobs of the file are LZF-compressed.
private struct BlobCounter: RDBHandler {
  var compressed = 0
  mutating func valueBlob(_ blob: ValueBlob) { if blob.isCompressed { compressed += 1 } }
}
