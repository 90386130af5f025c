import Foundation
import RDBKit
import Testing

/// Every RDB version a Redis loader accepts, 1 to 12, read with what that version writes: the
/// RDB 1 types (string, list, set, text-score zset, hash) with EXPIRETIME in seconds, from
/// RDB 5 a CRC-64 trailer, from RDB 6 (Redis 2.6) EXPIRETIME_MS.
@Suite struct EveryVersionTests {
  @Test(arguments: 1...12)
  func readsWhatThatVersionWrites(version: Int) throws {
    var image = RDBImageBuilder(version: version)
    image.byte(0xFE)  // SELECTDB 3
    image.length(3)
    if version >= 6 {
      image.byte(0xFC)  // EXPIRETIME_MS
      image.raw(RDBImageBuilder.littleEndian(Int64(4_102_444_800_123)))
    } else {
      image.byte(0xFD)  // EXPIRETIME, seconds
      image.raw(RDBImageBuilder.littleEndian(Int32(2_000_000_000)))
    }
    image.key(type: 0, "s")
    image.string("value")
    image.key(type: 1, "l")
    image.length(2)
    image.string("a")
    image.string("b")
    image.key(type: 2, "set")
    image.length(1)
    image.string("m")
    image.key(type: 3, "z")
    image.length(1)
    image.string("m")
    image.raw([3] + Array("2.5".utf8))
    image.key(type: 4, "h")
    image.length(1)
    image.string("f")
    image.string("v")
    let bytes = version >= 5 ? image.finished() : image.finishedWithoutChecksum()

    var collector = RecordCollector()
    let summary = try RDBParser().parse(bytes, into: &collector)
    #expect(summary.version.number == version)
    if version >= 5 {
      guard case .verified = summary.checksum else {
        Issue.record("checksum \(summary.checksum)")
        return
      }
    } else {
      #expect(summary.checksum == .absent)
    }
    #expect(summary.trailingBytes == 0)
    let keys = collector.keys
    #expect(keys.map(\.type) == ["string", "list", "set", "zset", "hash"])
    #expect(keys.allSatisfy { $0.database == 3 })
    #expect(keys.first?.expiresAt == (version >= 6 ? 4_102_444_800_123 : 2_000_000_000_000))
    #expect(keys.dropFirst().allSatisfy { $0.expiresAt == nil })
    #expect(keys[1].elements == [hex("a"), hex("b")])
    #expect(keys[3].scores.first?.1 == 2.5)
    #expect(keys[4].pairs.first?.1 == hex("v"))
  }

  private func hex(_ text: String) -> String {
    text.utf8.map { String(format: "%02x", $0) }.joined()
  }
}
