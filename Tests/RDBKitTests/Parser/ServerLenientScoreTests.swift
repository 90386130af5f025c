import Foundation
import RDBKit
import Testing

/// A packed sorted set (ziplist or listpack) whose score elements are not numbers: Redis 7.0
/// with `sanitize-dump-payload yes` loads it (its pair check looks only at members) and reads
/// each score with `strtod`. The parser reports the scores the server then holds, with a
/// warning; `verify --strict` fails.
@Suite(.serialized) struct ServerLenientScoreTests {
  /// Members and their score text, in score order as the server reads them.
  static let pairs: [(member: String, text: String, score: Double)] = [
    ("a", "abc", 0), ("b", "1.5xyz", 1.5), ("c", "2", 2),
  ]

  /// Type 12 (ziplist) and type 17 (listpack).
  @Test(arguments: [UInt8(12), 17])
  func serverReadsWhatWeReport(_ type: UInt8) throws {
    let elements = Self.pairs.flatMap { [utf8($0.member), utf8($0.text)] }
    let blob =
      type == 12
      ? ziplist(elements.map { ZiplistEntry.string($0) })
      : listpack(elements.map { ListpackElement.string($0) })
    var image = RDBImageBuilder(version: 10)
    image.key(type: type, "z")
    image.string(blob)
    let bytes = image.finished()
    let file = FileManager.default.temporaryDirectory
      .appendingPathComponent("rdbkit-score-\(UUID().uuidString.prefix(8)).rdb")
    try Data(bytes).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }

    var members = RecordedScores()
    let summary = try RDBParser().parse(bytes, into: &members)
    #expect(members.scores.map(\.0) == Self.pairs.map(\.member))
    #expect(members.scores.map(\.1) == Self.pairs.map(\.score))
    #expect(summary.warnings.map(\.kind) == [.sortedSetScore(text: "abc", loadedAs: 0)])

    let server = try RedisServer(
      preloadedRDB: file, extraArguments: ["--sanitize-dump-payload", "yes"])
    defer { server.stop() }
    let served = try server.client().call("ZRANGE", "z", "0", "-1", "WITHSCORES").elements
      .compactMap(\.text)
    #expect(served == Self.pairs.flatMap { [$0.member, String(format: "%g", $0.score)] })

    let verify = try RDBToolBinary.run(["verify", file.path])
    #expect(verify.status == 0 && verify.stdout.contains("OK with 1 warning"), "\(verify.stdout)")
    #expect(try RDBToolBinary.run(["verify", "--strict", file.path]).status == 1)
  }
}

/// Sorted-set members and scores as the parser reports them.
struct RecordedScores: RDBHandler {
  var scores: [(String, Double)] = []

  mutating func sortedSetMember(_ member: RawSpan, score: Double) throws(RDBError) {
    let name = unsafe member.withUnsafeBytes { unsafe String(decoding: $0, as: UTF8.self) }
    scores.append((name, score))
  }
}
