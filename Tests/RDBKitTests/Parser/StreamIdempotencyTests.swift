import RDBKit
import Testing

/// Type-26 streams (RDB 13): the IDMP tail after the consumer groups.
@Suite struct StreamIdempotencyTests {
  /// A one-entry stream (`5-1 f=v`, no groups) as Redis 8.6 writes it, then `tail`.
  static func image(tail: [UInt8], version: Int = 13) -> (bytes: [UInt8], tailOffset: Int) {
    var image = RDBImageBuilder(version: version)
    image.key(type: 26, "s")
    image.length(1)
    image.string([0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 1])
    image.string(
      [
        0x1D, 0, 0, 0, 0x0A, 0, 0x01, 0x01, 0x00, 0x01, 0x01, 0x01, 0x81, 0x66, 0x02, 0x00,
        0x01, 0x02, 0x01, 0x00, 0x01, 0x00, 0x01, 0x81, 0x76, 0x02, 0x04, 0x01, 0xFF,
      ])
    image.raw([1, 5, 1, 5, 1, 0, 0, 1, 0])
    let offset = image.offset
    image.raw(tail)
    return (image.finished(), offset)
  }

  @Test func producersAndCounters() throws {
    let millisecond = [0x81] + RDBImageBuilder.bigEndian(UInt64(1_796_400_961_450))
    var tail: [UInt8] = [0x80, 0, 1, 0x51, 0x80, 3, 2]  // 86400 s, max 3, 2 producers
    tail += [3, 0x70, 0, 0xFF, 1] + [3] + Array("iid".utf8) + millisecond + [5]
    tail += [1, 0x41, 2] + [2] + Array("i1".utf8) + [7, 1] + [2] + Array("i2".utf8) + [7, 2]
    tail += [6, 1]  // 6 IIDs added, 1 duplicate
    let keys = expectKeys(Self.image(tail: tail).bytes)
    let idempotency = try #require(keys.first?.stream?.idempotency)
    #expect(
      idempotency.settings == StreamIdempotency(duration: 86_400, maxSize: 3, producerCount: 2))
    #expect(idempotency.producers.map(\.pidHex) == ["7000ff", "41"])
    #expect(idempotency.producers[0].entries.map(\.iidHex) == ["696964"])
    #expect(
      idempotency.producers[0].entries.map(\.id)
        == [StreamID(milliseconds: 1_796_400_961_450, sequence: 5)])
    #expect(idempotency.producers[1].entries.map(\.id.description) == ["7-1", "7-2"])
    #expect(idempotency.totals?.added == 6 && idempotency.totals?.duplicates == 1)
    var skipping = SkippingCounter()
    try RDBParser().parse(Self.image(tail: tail).bytes, into: &skipping)
    #expect(skipping.keys == 1)
  }

  @Test func settingsOutOfRangeAreCorrupt() {
    for tail: [UInt8] in [[0, 0x40, 0x64, 0, 0, 0], [0x40, 0x64, 0x67, 0x11, 0, 0, 0]] {
      let (bytes, offset) = Self.image(tail: tail)
      expectFailure(bytes, .corruptStructure, at: offset, key: "s")
    }
  }

  @Test func onlyInRDB13() {
    let (bytes, _) = Self.image(tail: [0x40, 0x64, 0x40, 0x64, 0, 0, 0], version: 12)
    expectFailure(bytes, RDBError(.unknownType(26), at: 9))
  }
}
