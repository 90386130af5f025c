import Foundation
import RDBKit
import Testing

/// Zipmaps (Redis 2.4 hashes) laid out as no writer lays them out. Redis 7.0 and 8.6 with
/// `sanitize-dump-payload yes` (`zipmapValidateIntegrity` stops at the first end marker
/// where a field would start) load one with bytes after such a marker: the parser reads the
/// pairs the server holds, with a warning. Both refuse a value length byte of 255, and so
/// does verify.
@Suite(.serialized) struct ServerLenientZipmapTests {
  struct Case: CustomTestStringConvertible, Sendable {
    var name: String
    var blob: [UInt8]
    /// The warning, or nil when the servers refuse the file.
    var warning: String?
    var testDescription: String { name }
  }

  static let pairs: [([UInt8], [UInt8])] = [(utf8("f"), utf8("v")), (utf8("g"), utf8("w"))]

  static let cases: [Case] = [
    Case(
      name: "bytes after the end marker",
      blob: Array(zipmap(pairs).dropLast()) + [0xFF] + utf8("junk") + [0xFF],
      warning: "zipmap has 5 bytes after the end marker of its pairs, which a server ignores"),
    Case(
      name: "a value length byte of 255",
      blob: [2, 1] + utf8("f") + [0xFF] + RDBImageBuilder.littleEndian(UInt32(1)) + [0]
        + utf8("v") + [1] + utf8("g") + [1, 0] + utf8("w") + [0xFF],
      warning: nil),
  ]

  @Test(arguments: cases)
  func serverReadsWhatWeReport(_ testCase: Case) throws {
    var image = RDBImageBuilder(version: 10)
    image.key(type: 9, "h")
    image.string(testCase.blob)
    let bytes = image.finished()
    let file = try TemporaryImage.write(bytes, prefix: "rdbkit-zipmap")
    defer { try? FileManager.default.removeItem(at: file) }

    let servers =
      try SanitizingServers.all()
    let verify = try RDBToolBinary.run(["verify", file.path])
    guard let warning = testCase.warning else {
      SanitizingServers.expectRefused(file, by: servers)
      #expect(verify.status == 1 && verify.stdout.contains("CORRUPT"), "\(verify.stdout)")
      return
    }
    var collector = RecordCollector()
    let summary = try RDBParser().parse(bytes, into: &collector)
    #expect(summary.warnings.map(\.kind.description) == [warning])
    for binary in servers {
      let server = try SanitizingServers.start(binary, loading: file)
      defer { server.stop() }
      let served = try server.client().call("HGETALL", "h").elements.compactMap(\.bytes)
      #expect(served == Self.pairs.flatMap { [$0.0, $0.1] }, "\(binary)")
    }
    let parsed = collector.keys.first?.pairs.map { [$0.0, $0.1] }
    #expect(parsed == Self.pairs.map { [hexBytes($0.0), hexBytes($0.1)] })
    #expect(verify.status == 0 && verify.stdout.contains("OK with 1 warning"), "\(verify.stdout)")
    #expect(try RDBToolBinary.run(["verify", "--strict", file.path]).status == 1)
  }
}
