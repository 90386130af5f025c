import CCRC64
import Foundation
import RDBKit
import Testing

/// CRC-64 Jones: the check value, the fast path against the table path, and a real RDB trailer.
@Suite struct CRC64Tests {
  @Test func checkValue() {
    let crc = Array("123456789".utf8).withUnsafeBytes { CRC64.update(0, $0) }
    #expect(crc == 0xE9C6_D914_C4B8_D9CA)
    #expect(
      Array("123456789".utf8).withUnsafeBytes { rdb_crc64_portable(0, $0.baseAddress, $0.count) }
        == crc)
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
        == data.withUnsafeBytes { rdb_crc64_portable(3, $0.baseAddress, $0.count) })
  }

  /// Every length 0...4096 at every start alignment 0...63, with a random starting CRC.
  @Test(arguments: 0..<64)
  func fastMatchesPortable(alignment: Int) {
    var source = SplitMix64(seed: UInt64(alignment))
    let buffer = source.bytes(4096 + 64)
    buffer.withUnsafeBytes { raw in
      for length in 0...4096 {
        let slice = UnsafeRawBufferPointer(rebasing: raw[alignment..<alignment + length])
        let seed = source.next()
        let fast = CRC64.update(seed, slice)
        let portable = rdb_crc64_portable(seed, slice.baseAddress, slice.count)
        #expect(fast == portable, "length \(length) alignment \(alignment)")
        if fast != portable { return }
      }
    }
  }

  @Test(arguments: [65_536, 1_000_003, 16_777_216 + 15])
  func fastMatchesPortableOnLargeBuffers(length: Int) {
    var source = SplitMix64(seed: UInt64(length))
    let buffer = source.bytes(length + 63)
    buffer.withUnsafeBytes { raw in
      for alignment in [0, 1, 7, 8, 15, 33, 63] {
        let slice = UnsafeRawBufferPointer(rebasing: raw[alignment..<alignment + length])
        #expect(CRC64.update(1, slice) == rdb_crc64_portable(1, slice.baseAddress, slice.count))
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
    #expect(body.withUnsafeBytes { rdb_crc64_portable(0, $0.baseAddress, $0.count) } == stored)
  }
}

extension SplitMix64 {
  /// `count` bytes from the generator, so a failure names a reproducible case.
  mutating func bytes(_ count: Int) -> [UInt8] {
    (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
  }
}
