import RDBKit
import Testing

/// `rdbtool rewrite` reads its new file back as this test does (``KeyCountAnalyzer``, with
/// compressed strings and packed values left to the CRC-64): a re-encoded value it does not
/// decompress is still caught when one of its bytes is damaged, by the checksum.
@Suite struct ReadBackDamageTests {
  /// The keys of ``ReencodedBlobCompressionTests`` rewritten from RDB 10 for Redis 6.2: the
  /// repeated elements' ziplists are written LZF-compressed.
  static func output() throws -> [UInt8] {
    let input = try ReencodedBlobCompressionTests.input(compresses: true)
    let target = try #require(TargetEngine.named("redis-6.2"))
    return try WriterOutput.rewrite(input, .init(target: target)).bytes
  }

  /// The read-back's parse of `bytes`, fed in small chunks as a growing file is read.
  static func readBack(_ bytes: [UInt8]) throws(RDBError) -> (keys: Int, summary: ParseSummary) {
    var count = KeyCountAnalyzer()
    let summary = try RDBParser().parse(
      input: ChunkedInput(bytes, seed: 5), leavingStringsToChecksum: true,
      leavingPackedValuesToChecksum: true, into: &count)
    return (count.total.keys, summary)
  }

  @Test func aDamagedCompressedValueFailsTheReadBack() throws {
    var bytes = try Self.output()
    let (keys, summary) = try Self.readBack(bytes)
    #expect(keys == 4)
    #expect(summary.uncheckedPackedValues == 2)
    // The "repeat-hash" record: its name, then 0xC3, the compressed and the decompressed
    // length (6 or 14 bits here), the LZF bytes; one bit of those is flipped.
    let name = utf8("repeat-hash")
    let start = try #require(
      (0...(bytes.count - name.count)).first { bytes[$0..<$0 + name.count].elementsEqual(name) })
    var position = start + name.count
    #expect(bytes[position] == 0xC3)
    position += 1
    var lengths: [Int] = []
    for _ in 0..<2 {
      let first = bytes[position]
      #expect(first < 0x80)
      lengths.append(first < 0x40 ? Int(first) : Int(first & 0x3F) << 8 | Int(bytes[position + 1]))
      position += first < 0x40 ? 1 : 2
    }
    bytes[position + lengths[0] / 2] ^= 0x10
    let error = try #require(throws: RDBError.self) { try Self.readBack(bytes) }
    guard case .checksumMismatch = error.kind else {
      Issue.record("expected a checksum mismatch, got \(error)")
      return
    }
  }
}
