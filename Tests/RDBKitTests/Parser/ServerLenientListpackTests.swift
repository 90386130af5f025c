import Foundation
import RDBKit
import Testing

/// A listpack element whose backlen is written as no writer writes it but as Redis 7.0 and
/// 8.6 read it with `sanitize-dump-payload yes`: `lpDecodeBacklen` reads the backlen from its
/// last byte backwards while the continuation bit is set, so a first backlen byte that also
/// has it reads on into the element's data, and a 0 byte there adds nothing. The parser
/// decodes backlens the same way: the servers and verify both accept the value, and the
/// parser reports the pairs the server holds. A backlen whose extra bits are not 0 is refused
/// by both (ListpackTests' "backlen with a continuation bit").
@Suite(.serialized) struct ServerLenientListpackTests {
  @Test func backlenReadOnLikeTheServer() throws {
    // A 126-byte field ending in a 0 byte: 128 bytes with its 12-bit header, so a 2-byte
    // backlen [0x01, 0x80]; its first byte gets the continuation bit.
    let field = [UInt8](repeating: UInt8(ascii: "a"), count: 125) + [0]
    var blob = listpack([.string(field), .string(utf8("v"))])
    #expect(blob[6 + 128] == 0x01 && blob[6 + 129] == 0x80)
    blob[6 + 128] = 0x81
    var image = RDBImageBuilder(version: 10)
    image.key(type: 16, "h")
    image.string(blob)
    let bytes = image.finished()
    let file = try TemporaryImage.write(bytes, prefix: "rdbkit-backlen")
    defer { try? FileManager.default.removeItem(at: file) }

    var collector = RecordCollector()
    let summary = try RDBParser().parse(bytes, into: &collector)
    #expect(summary.warnings.isEmpty)
    #expect(collector.keys.first?.pairs.map(\.0) == [hexBytes(field)])
    let servers =
      try SanitizingServers.all()
    for binary in servers {
      let server = try SanitizingServers.start(binary, loading: file)
      defer { server.stop() }
      let served = try server.client().call("HGETALL", "h").elements.compactMap(\.bytes)
      #expect(served == [field, utf8("v")], "\(binary)")
    }
    let verify = try RDBToolBinary.run(["verify", file.path])
    #expect(verify.status == 0 && verify.stdout.contains(": OK,"), "\(verify.stdout)")
  }
}
