import RDBKit
import Testing

/// Inputs the fuzzers (Fuzz/) found, each kept with the bug it exposed.
@Suite struct FuzzFindingTests {
  /// FuzzParser: an LZF string (at byte 61) whose compressed length runs past the end and
  /// whose lengths are impossible (9 bytes cannot become 32,512). The mapped path checked the
  /// length against the file first (byte 68), the pipe path the ratio (byte 61); the ratio is
  /// now checked first on both.
  @Test func lzfWithImpossibleLengthsRunningPastTheEnd() {
    let bytes: [UInt8] = [
      0x52, 0x45, 0x44, 0x49, 0x53, 0x30, 0x30, 0x30, 0x37, 0xFA, 0x09, 0x72, 0x65, 0x64, 0x69,
      0x76, 0x2D, 0x76, 0x65, 0x72, 0x06, 0x33, 0x2E, 0x31, 0x2E, 0x31, 0x33, 0xFA, 0x0A, 0x72,
      0x65, 0x64, 0x28, 0x28, 0x26, 0x67, 0x00, 0x00, 0x00, 0x00, 0xFE, 0x00, 0x03, 0x10, 0x7A,
      0x6C, 0x65, 0x74, 0x3A, 0x6C, 0x6F, 0x6E, 0x67, 0x2D, 0x6D, 0x65, 0x6D, 0x62, 0x65, 0x72,
      0x02, 0xC3, 0x09, 0x80, 0x00, 0x00, 0x7F, 0x00, 0x63, 0xAF, 0xC1,
    ]
    expectFailure(
      bytes,
      RDBError(
        .corruptLZF("9 bytes cannot decompress to 32512"), at: 61,
        key: "zlet:long-member"))
  }

  /// FuzzRewrite: a hash stored as a hash table (type 4) with the same field twice parsed,
  /// though a loading server refuses it ("Duplicate hash fields detected"), and a rewrite for
  /// Redis 6.2 then packed both into one ziplist, which the parser refused. Hash-table values
  /// are now checked for repeats too (`HashTableRepeatTests`): the second "f" at byte 17.
  @Test func hashTableHashWithARepeatedField() {
    var image = RDBImageBuilder(version: 3)
    image.key(type: 4, "h")
    image.length(2)
    for value in ["1", "2"] {
      image.string("f")
      image.string(value)
    }
    expectFailure(image.finished(), .corruptStructure, at: 17, key: "h")
  }
}
