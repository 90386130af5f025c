import Foundation
import RDBKit
import Testing

/// Consumer groups built by hand, each loaded by Redis 7.0 and 8.6 with
/// `sanitize-dump-payload yes`: what both refuse (a repeated group, consumer or pending
/// entry, a consumer's entry missing from its group's list, a group entry no consumer owns)
/// is `CORRUPT` for verify too, at the offending bytes; what a server loads is OK.
@Suite(.serialized) struct ServerStreamGroupTests {
  /// A stream `s` of two entries (1-1, 1-2) with `groups`, and what verify must say.
  struct Case: CustomTestStringConvertible, Sendable {
    var name: String
    var groups: [StreamGroupImage]
    /// What verify's CORRUPT line names, or nil when the servers load the file.
    var refusal: String?
    var testDescription: String { name }

    var image: [UInt8] {
      var image = RDBImageBuilder(version: 10)
      image.key(type: 15, "s")
      let node = StreamImage.node(
        masterFields: ["f"],
        entries: [
          StreamNodeEntry(msDelta: 0, seqDelta: 1, fields: [("f", "a")], sameFields: true),
          StreamNodeEntry(msDelta: 0, seqDelta: 2, fields: [("f", "b")], sameFields: true),
        ])
      StreamImage.append(
        to: &image, nodes: [(id(1, 0), node)], length: 2, lastID: id(1, 2), groups: groups)
      image.key(type: 0, "anchor")
      image.string("v")
      return image.finished()
    }
  }

  static func id(_ ms: UInt64, _ seq: UInt64) -> StreamID {
    StreamID(milliseconds: ms, sequence: seq)
  }

  static func group(
    _ name: String, pending: [StreamID] = [], _ consumers: [(String, [StreamID])] = []
  ) -> StreamGroupImage {
    StreamGroupImage(
      name: name, lastID: id(1, 2), pending: pending,
      consumers: consumers.map { (name: $0.0, pending: $0.1) })
  }

  static let cases: [Case] = [
    Case(
      name: "groups as a server writes them (a consumer name in two groups)",
      groups: [
        group("g", pending: [id(1, 1)], [("c", [id(1, 1)]), ("d", [])]),
        group("h", pending: [id(1, 2)], [("c", [id(1, 2)])]),
      ], refusal: nil),
    Case(
      name: "a group name twice", groups: [group("g"), group("g")],
      refusal: "consumer group \"g\" appears twice"),
    Case(
      name: "a consumer twice in a group", groups: [group("g", [("c", []), ("c", [])])],
      refusal: "consumer \"c\" appears twice in group \"g\""),
    Case(
      name: "a pending entry twice in a group",
      groups: [group("g", pending: [id(1, 1), id(1, 1)], [("c", [id(1, 1)])])],
      refusal: "pending entry 1-1 appears twice in group \"g\""),
    Case(
      name: "a consumer's entry not in its group's list",
      groups: [group("g", pending: [id(1, 1)], [("c", [id(1, 1), id(1, 2)])])],
      refusal: "pending entry 1-2 of a consumer is not in group \"g\"'s list"),
    Case(
      name: "an entry twice for one consumer",
      groups: [group("g", pending: [id(1, 1)], [("c", [id(1, 1), id(1, 1)])])],
      refusal: "pending entry 1-1 appears twice for one consumer of group \"g\""),
    Case(
      name: "a group entry no consumer owns",
      groups: [group("g", pending: [id(1, 1), id(1, 2)], [("c", [id(1, 1)])])],
      refusal: "pending entry 1-2 of group \"g\" has no consumer"),
  ]

  @Test(arguments: cases)
  func serverAndVerifyAgree(_ testCase: Case) throws {
    let file = try TemporaryImage.write(testCase.image, prefix: "rdbkit-groups")
    defer { try? FileManager.default.removeItem(at: file) }
    let verify = try RDBToolBinary.run(["verify", file.path])
    guard let refusal = testCase.refusal else {
      for binary in try Self.servers() {
        let server = try SanitizingServers.start(binary, loading: file)
        defer { server.stop() }
        let groups = try server.client().call("XINFO", "GROUPS", "s").elements
        #expect(groups.count == testCase.groups.count, "\(binary)")
      }
      #expect(verify.status == 0 && verify.stdout.contains(": OK,"), "\(verify.stdout)")
      return
    }
    SanitizingServers.expectRefused(file, by: try Self.servers())
    #expect(verify.status == 1, "\(verify.stdout)")
    #expect(verify.stdout.contains("CORRUPT: corrupt stream: \(refusal)"), "\(verify.stdout)")
    #expect(verify.stdout.contains("(key \"s\")"), "\(verify.stdout)")
    var counter = KeyCountAnalyzer()
    #expect(throws: RDBError.self) { try RDBParser().parse(testCase.image, into: &counter) }
  }

  /// A pending entry that two consumers of its group list: Redis 8.6 loads it and gives it
  /// to the later consumer (as upstream 7.4's `rdbLoadObject` does), Debian's Redis 7.0
  /// package refuses it ("already has a consumer assigned"). verify warns; --strict fails.
  @Test func entryListedByTwoConsumersIsAWarning() throws {
    let testCase = Case(
      name: "two owners",
      groups: [
        Self.group("g", pending: [Self.id(1, 1)], [("c", [Self.id(1, 1)]), ("d", [Self.id(1, 1)])])
      ], refusal: nil)
    let file = try TemporaryImage.write(testCase.image, prefix: "rdbkit-groups")
    defer { try? FileManager.default.removeItem(at: file) }
    if let newest = ServerCatalog.server("redis-8.6") {
      let server = try SanitizingServers.start(newest, loading: file)
      defer { server.stop() }
      let pending = try server.client().call("XPENDING", "s", "g", "-", "+", "10").elements
      #expect(pending.count == 1)
      #expect(pending.first?.elements.dropFirst().first?.text == "d")
    }
    let debian = try ServerCatalog.require("redis-7.0")
    #expect(throws: ServerStartError.self, "Debian's 7.0 loads it") {
      try SanitizingServers.start(debian, loading: file).stop()
    }
    var counter = KeyCountAnalyzer()
    let summary = try RDBParser().parse(testCase.image, into: &counter)
    #expect(summary.warnings.map(\.kind) == [.pendingEntryOwners(id: Self.id(1, 1), group: "g")])
    let verify = try RDBToolBinary.run(["verify", file.path])
    #expect(verify.status == 0 && verify.stdout.contains("OK with 1 warning"), "\(verify.stdout)")
    #expect(try RDBToolBinary.run(["verify", "--strict", file.path]).status == 1)
  }

  /// Redis 7.0 always; Redis 8.6 when the setup step could cache it.
  static func servers() throws -> [ServerBinary] {
    try SanitizingServers.all()
  }
}
