import RDBKit
import Testing

/// A hash-table set (type 2) small enough for an intset is copied byte for byte when a member
/// is not an integer and the target has no listpack sets (it stays a hash table either way),
/// and still becomes an intset when every member is one.
@Suite struct PlainSetCopyTests {
  /// An RDB 10 file with one type-2 set of `members`, each an RDB string as given.
  static func image(_ members: [[UInt8]]) -> [UInt8] {
    var image = RDBImageBuilder(version: 10)
    image.raw([0xFE, 0x00])
    image.key(type: 2, "s")
    image.length(UInt64(members.count))
    for member in members { image.raw(member) }
    return image.finished()
  }

  static func raw(_ text: String) -> [UInt8] {
    RDBImageBuilder.length(UInt64(text.utf8.count)) + utf8(text)
  }

  static func rewrite(_ image: [UInt8]) throws -> [UInt8] {
    try WriterOutput.rewrite(image, RDBWriter.Options(target: nil)).bytes
  }

  @Test func aSetWithATextMemberIsCopied() throws {
    let long = String(repeating: "member", count: 8)
    for members in [
      [Self.raw("alpha"), Self.raw("beta")],
      [[0xC0, 5], [0xC1, 0x39, 0x30], Self.raw("gamma")],
      [Self.raw("12"), Self.raw(long)],
      [Self.raw("-7"), Self.raw("007")],
    ] {
      let image = Self.image(members)
      #expect(try Self.rewrite(image) == image)
    }
  }

  @Test func aSetOfIntegersBecomesAnIntset() throws {
    for members in [
      [[0xC0, 5], Self.raw("123456789012"), Self.raw("-3")],
      [[0xC2, 1, 2, 3, 4]],
    ] {
      let output = try Self.rewrite(Self.image(members))
      // After the 9-byte header and SELECTDB 0: the type byte of an intset.
      #expect(output.count > 11 && output[11] == 11)
    }
  }
}
