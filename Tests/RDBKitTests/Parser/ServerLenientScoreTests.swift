import Foundation
import RDBKit
import Testing

/// A packed sorted set (ziplist or listpack) whose score elements are not numbers: Redis 7.0
/// and 8.6 with `sanitize-dump-payload yes` load it (its pair check looks only at members) and reads
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
    let file = try TemporaryImage.write(bytes, prefix: "rdbkit-score")
    defer { try? FileManager.default.removeItem(at: file) }

    var members = RecordedScores()
    let summary = try RDBParser().parse(bytes, into: &members)
    #expect(members.scores.map(\.0) == Self.pairs.map(\.member))
    #expect(members.scores.map(\.1) == Self.pairs.map(\.score))
    #expect(summary.warnings.map(\.kind) == [.sortedSetScore(text: "abc", loadedAs: 0)])

    let servers =
      try SanitizingServers.all()
    for binary in servers {
      let server = try SanitizingServers.start(binary, loading: file)
      defer { server.stop() }
      let served = try server.client().call("ZRANGE", "z", "0", "-1", "WITHSCORES").elements
        .compactMap(\.text)
      #expect(
        served == Self.pairs.flatMap { [$0.member, String(format: "%g", $0.score)] }, "\(binary)")
    }

    let verify = try RDBToolBinary.run(["verify", file.path])
    #expect(verify.status == 0 && verify.stdout.contains("OK with 1 warning"), "\(verify.stdout)")
    #expect(try RDBToolBinary.run(["verify", "--strict", file.path]).status == 1)
  }
}

extension ServerLenientScoreTests {
  /// A type-3 score text and what the server reads from it (nil: it refuses the file), and
  /// whether the parser warns.
  struct TextScore: CustomTestStringConvertible, Sendable {
    var text: String
    var score: Double?
    var warns: Bool
    var testDescription: String { "\"\(text)\"" }
  }

  static let textScores: [TextScore] = [
    TextScore(text: "1.5x", score: 1.5, warns: true),
    TextScore(text: " 25", score: 25, warns: true),
    TextScore(text: "1e5x", score: 100_000, warns: true),
    TextScore(text: "-.5x", score: -0.5, warns: true),
    TextScore(text: "infx", score: .infinity, warns: true),
    TextScore(text: "0x1p3", score: 8, warns: false),
    TextScore(text: "abc", score: nil, warns: false),
    TextScore(text: "nan", score: nil, warns: false),
    TextScore(text: "nanx", score: nil, warns: false),
    TextScore(text: "0x", score: nil, warns: false),
    TextScore(text: "0xg", score: nil, warns: false),
  ]

  /// A type-3 (text score) sorted set: Redis 7.0 and 8.6 read the score with
  /// `sscanf("%lg")`, which skips leading spaces and stops after the number, and refuse text
  /// that starts with no number, or NaN; the parser reads the same, with a warning for text
  /// that is not a number as a whole. (Text whose number could go on, `"1e"` or `"0x1p"`,
  /// Redis 7.0 reads and 8.6 refuses; the parser refuses it, see ScoreTests.)
  @Test(arguments: textScores)
  func textScoreIsReadAsTheServerReadsIt(_ testCase: TextScore) throws {
    var image = RDBImageBuilder(version: 10)
    image.key(type: 3, "z")
    image.length(1)
    image.string("m")
    image.byte(UInt8(testCase.text.utf8.count))
    image.raw(utf8(testCase.text))
    image.key(type: 0, "anchor")
    image.string("v")
    let bytes = image.finished()
    let file = try TemporaryImage.write(bytes, prefix: "rdbkit-textscore")
    defer { try? FileManager.default.removeItem(at: file) }
    let servers =
      try SanitizingServers.all()
    let verify = try RDBToolBinary.run(["verify", file.path])
    guard let score = testCase.score else {
      SanitizingServers.expectRefused(file, by: servers)
      #expect(verify.status == 1 && verify.stdout.contains("CORRUPT"), "\(verify.stdout)")
      return
    }
    for binary in servers {
      let server = try SanitizingServers.start(binary, loading: file)
      defer { server.stop() }
      let served = try server.client().call("ZSCORE", "z", "m").text
      #expect(served.flatMap(Double.init) == score, "\(binary): \(served ?? "nil")")
    }
    var members = RecordedScores()
    let summary = try RDBParser().parse(bytes, into: &members)
    #expect(members.scores.map(\.1) == [score])
    let warnings =
      testCase.warns ? [RDBWarning.Kind.sortedSetScore(text: testCase.text, loadedAs: score)] : []
    #expect(summary.warnings.map(\.kind) == warnings)
    #expect(verify.status == 0)
    #expect(
      verify.stdout.contains(testCase.warns ? "OK with 1 warning" : ": OK,"), "\(verify.stdout)")
    #expect(
      try RDBToolBinary.run(["verify", "--strict", file.path]).status == (testCase.warns ? 1 : 0))
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
