import CCRC64
import Foundation
import RDBKit
import Testing

/// CRC-64 Jones: the check value, every version this CPU runs against the table version, and a
/// real RDB trailer.
@Suite struct CRC64Tests {
  /// The folding versions this CPU runs (none on a CPU without PCLMULQDQ).
  static let foldingVersions = [RDB_CRC64_CLMUL, RDB_CRC64_VPCLMUL].filter {
    rdb_crc64_supports($0) != 0
  }

  static func portable(_ crc: UInt64, _ bytes: UnsafeRawBufferPointer) -> UInt64 {
    rdb_crc64_by(RDB_CRC64_TABLE, crc, bytes.baseAddress, bytes.count)
  }

  /// On x86-64 the machine that runs the tests has PCLMULQDQ; say which versions were tested.
  @Test func foldingVersionsAreTested() {
    print("CRC-64 versions tested against the table: \(Self.foldingVersions.map(\.rawValue))")
    #if arch(x86_64)
    #expect(Self.foldingVersions.contains(RDB_CRC64_CLMUL))
    #endif
  }

  @Test func checkValue() {
    let crc = Array("123456789".utf8).withUnsafeBytes { CRC64.update(0, $0) }
    #expect(crc == 0xE9C6_D914_C4B8_D9CA)
    #expect(Array("123456789".utf8).withUnsafeBytes { Self.portable(0, $0) } == crc)
  }

  @Test func emptyInputLeavesTheCRC() {
    #expect(CRC64.update(0x1234, UnsafeRawBufferPointer(start: nil, count: 0)) == 0x1234)
    #expect([UInt8]().span.bytes.withUnsafeBytes { CRC64.update(7, $0) } == 7)
  }

  @Test func safeOverloadMatches() {
    var source = SplitMix64(seed: 5)
    let data = source.bytes(1000)
    #expect(
      CRC64.update(3, data.span.bytes)
        == data.withUnsafeBytes { Self.portable(3, $0) })
  }

  /// Every length 0...4096 at every start alignment 0...63, with a random starting CRC, for
  /// each folding version and for the dispatching entry point.
  @Test(arguments: 0..<64)
  func foldingMatchesPortable(alignment: Int) {
    var source = SplitMix64(seed: UInt64(alignment))
    let buffer = source.bytes(4096 + 64)
    buffer.withUnsafeBytes { raw in
      for length in 0...4096 {
        let slice = UnsafeRawBufferPointer(rebasing: raw[alignment..<alignment + length])
        let seed = source.next()
        let portable = Self.portable(seed, slice)
        var results = [("dispatch", CRC64.update(seed, slice))]
        for version in Self.foldingVersions {
          results.append(
            ("\(version)", rdb_crc64_by(version, seed, slice.baseAddress, slice.count)))
        }
        for (name, crc) in results where crc != portable {
          Issue.record("\(name): length \(length) alignment \(alignment)")
          return
        }
      }
    }
  }

  @Test(arguments: [65_536, 1_000_003, 16_777_216 + 15])
  func foldingMatchesPortableOnLargeBuffers(length: Int) {
    var source = SplitMix64(seed: UInt64(length))
    let buffer = source.bytes(length + 63)
    buffer.withUnsafeBytes { raw in
      for alignment in [0, 1, 7, 8, 15, 33, 63] {
        let slice = UnsafeRawBufferPointer(rebasing: raw[alignment..<alignment + length])
        let portable = Self.portable(1, slice)
        #expect(CRC64.update(1, slice) == portable)
        for version in Self.foldingVersions {
          #expect(rdb_crc64_by(version, 1, slice.baseAddress, slice.count) == portable)
        }
      }
    }
  }

  @Test func incrementalEqualsOneShot() {
    var source = SplitMix64(seed: 99)
    let data = source.bytes(20_000)
    data.withUnsafeBytes { raw in
      let whole = CRC64.update(0, raw)
      for chunk in [1, 3, 16, 63, 64, 65, 127, 128, 1000, 4096, 19_999] {
        var crc: UInt64 = 0
        var start = 0
        while start < raw.count {
          let end = min(start + chunk, raw.count)
          crc = CRC64.update(crc, UnsafeRawBufferPointer(rebasing: raw[start..<end]))
          start = end
        }
        #expect(crc == whole, "chunk \(chunk)")
      }
    }
  }

  /// The trailer of a file written by a real server is the CRC of every byte before it, LE.
  @Test(arguments: [
    "redis-3.2.13", "redis-4.0.14", "redis-5.0.14", "redis-6.2.16", "redis-7.0.15",
    "redis-7.2.6", "redis-7.4.1", "redis-8.0-unstable", "valkey-7.2.7", "valkey-8.0.1",
  ])
  func realRDBTrailer(server: String) throws {
    let root = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    let file = try Data(contentsOf: root.appending(path: "testdata/fixtures/\(server)/default.rdb"))
    let bytes = [UInt8](file)
    let body = bytes.dropLast(8)
    let stored = bytes.suffix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    #expect(stored != 0)
    #expect(body.withUnsafeBytes { CRC64.update(0, $0) } == stored)
    #expect(body.withUnsafeBytes { Self.portable(0, $0) } == stored)
  }
}

extension SplitMix64 {
  /// `count` bytes from the generator, so a failure names a reproducible case.
  mutating func bytes(_ count: Int) -> [UInt8] {
    (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
  }
}
