import Foundation
import RDBKit
import Testing

/// A mapped file's CRC-64 runs ahead of the parser, in 1 MiB steps (on a thread of its own
/// for a file of 8 MiB or more); the checksum must still cover exactly the RDB's bytes,
/// wherever the RDB ends in the file and in a step, and a parse that fails must stop the
/// thread before the mapping goes.
@Suite struct ChecksumAheadTests {
  /// An RDB of about `megabytes` MiB: string values of a few sizes around the step size.
  static func image(megabytes: Int) -> [UInt8] {
    var image = RDBImageBuilder(version: 11)
    var random = SplitMix64(seed: 0xC4C)
    var index = 0
    while image.offset < megabytes << 20 {
      image.key(type: 0, "k\(index)")
      let size = [10, 3000, 70_000, 1 << 20][index % 4]
      image.string((0..<size).map { _ in UInt8(truncatingIfNeeded: random.next()) })
      index += 1
    }
    return image.finished()
  }

  @Test(arguments: [1, 3])
  func checksumCoversTheRDBAndNotWhatFollows(megabytes: Int) throws {
    let bytes = Self.image(megabytes: megabytes)
    let stored = bytes.suffix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
    for trailing in [0, 1, 4096, 3 << 20] {
      let file = bytes + [UInt8](repeating: 0x5A, count: trailing)
      var counter = KeyCountAnalyzer()
      let summary = try RDBParser().parse(file, into: &counter)
      #expect(summary.checksum == .verified(stored), "\(trailing) trailing bytes")
      #expect(summary.trailingBytes == trailing)
      #expect(summary.byteCount == bytes.count)
      let streamed = ParseOutcome.streamed(file, seed: 9, maximumChunk: 65_536)
      #expect(streamed.error == nil && ParseOutcome.mapped(file).error == nil)
    }
  }

  /// A flipped bit is found wherever it lies: in the first step, in the middle, in the last
  /// step's bytes, or in the trailer itself.
  @Test func aFlippedBitAnywhereIsAMismatch() throws {
    let bytes = Self.image(megabytes: 3)
    for position in [20, (1 << 20) + 5, bytes.count / 2, bytes.count - 20, bytes.count - 3] {
      var damaged = bytes
      damaged[position] ^= 0x10
      var counter = KeyCountAnalyzer()
      #expect(throws: RDBError.self, "bit flipped at \(position)") {
        try RDBParser().parse(damaged, into: &counter)
      }
    }
  }

  /// Parses `bytes` as a mapped file (the path that computes the CRC on its own thread).
  static func parseMapped(_ bytes: [UInt8]) throws -> ParseSummary {
    let file = try TemporaryImage.write(bytes, prefix: "checksum-ahead")
    defer { try? FileManager.default.removeItem(at: file) }
    var counter = KeyCountAnalyzer()
    return try RDBParser().parse(path: file.path, into: &counter)
  }

  @Test(arguments: [9, 12])
  func aMappedFileChecksumCoversTheRDBAndNotWhatFollows(megabytes: Int) throws {
    let bytes = Self.image(megabytes: megabytes)
    let stored = bytes.suffix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
    for trailing in [0, 5, 1 << 20, (3 << 20) + 77] {
      let summary = try Self.parseMapped(bytes + [UInt8](repeating: 0x5A, count: trailing))
      #expect(summary.checksum == .verified(stored), "\(trailing) trailing bytes")
      #expect(summary.trailingBytes == trailing)
      #expect(summary.byteCount == bytes.count)
    }
  }

  /// In a mapped file the thread's steps and the parser's remainder both count: a bit
  /// flipped in any step, in the last partial step or in the trailer is a mismatch, and a
  /// file cut short fails with the thread stopped (the parse returns).
  @Test func aMappedFileFindsAFlippedBitAnywhere() throws {
    let bytes = Self.image(megabytes: 10)
    let stored = bytes.suffix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
    let positions = [20, (1 << 20) + 5, (4 << 20) - 1, bytes.count / 2, bytes.count - 20]
    for position in positions + [bytes.count - 3] {
      var damaged = bytes
      damaged[position] ^= 0x10
      #expect(throws: RDBError.self, "bit flipped at \(position)") {
        try Self.parseMapped(damaged)
      }
    }
    #expect(throws: RDBError.self) { try Self.parseMapped(Array(bytes.prefix(9 << 20))) }
    #expect(try Self.parseMapped(bytes).checksum == .verified(stored))
  }
}
