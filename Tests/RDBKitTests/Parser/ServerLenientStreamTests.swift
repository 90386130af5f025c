import Foundation
import RDBKit
import Testing

/// Streams that no server of today writes but that Redis 7.0 loads with
/// `sanitize-dump-payload yes`: the parser reads them with a warning (what the server holds
/// is what it reports), `verify` says OK with the warning, `verify --strict` fails. Streams the
/// server refuses stay errors.
@Suite(.serialized) struct ServerLenientStreamTests {
  /// A hand-built stream and what to expect of it.
  struct Case: CustomTestStringConvertible, Sendable {
    var name: String
    var nodes: [(master: StreamID, listpack: [UInt8])]
    var length: UInt64
    var lastID: StreamID
    /// The warning the parser gives, or nil when the server refuses the file.
    var warning: RDBWarning.Kind?
    var testDescription: String { name }

    /// The image: the stream `s` and a string `anchor`.
    var image: [UInt8] {
      var image = RDBImageBuilder(version: 10)
      image.key(type: 15, "s")
      StreamImage.append(to: &image, nodes: nodes, length: length, lastID: lastID)
      image.key(type: 0, "anchor")
      image.string("v")
      return image.finished()
    }
  }

  static func id(_ ms: UInt64, _ seq: UInt64) -> StreamID {
    StreamID(milliseconds: ms, sequence: seq)
  }

  static let threeEntries = StreamImage.node(
    masterFields: ["f"],
    entries: [
      StreamNodeEntry(msDelta: 0, seqDelta: 1, fields: [("f", "a")], sameFields: true),
      StreamNodeEntry(msDelta: 0, seqDelta: 2, fields: [("f", "b")], sameFields: true),
      StreamNodeEntry(msDelta: 1, seqDelta: 0, fields: [("g", "c")]),
    ])

  static let cases: [Case] = [
    // Early Redis 5.0: the stored length counts entries no longer in the nodes.
    Case(
      name: "length disagrees with the entries", nodes: [(id(1, 0), threeEntries)], length: 5,
      lastID: id(2, 0), warning: .streamLength(stored: 5, live: 3)),
    Case(
      name: "entries out of ID order",
      nodes: [
        (
          id(1, 0),
          StreamImage.node(
            masterFields: ["f"],
            entries: [
              StreamNodeEntry(msDelta: 0, seqDelta: 5, fields: [("f", "late")], sameFields: true),
              StreamNodeEntry(msDelta: 0, seqDelta: 3, fields: [("f", "early")], sameFields: true),
            ])
        )
      ], length: 2, lastID: id(1, 5), warning: .streamEntryOrder(id: id(1, 3), previous: id(1, 5))
    ),
    Case(
      name: "node listpack header miscounts",
      nodes: [(id(1, 0), listpackWithCount(threeEntries, 40))], length: 3, lastID: id(2, 0),
      warning: .streamNodeCount(
        declared: 40, found: Int(threeEntries[4]) | Int(threeEntries[5]) << 8)),
    Case(
      name: "a length without nodes", nodes: [], length: 2, lastID: id(1, 0), warning: nil),
    Case(
      name: "a node filed twice", nodes: [(id(1, 0), threeEntries), (id(1, 0), threeEntries)],
      length: 6, lastID: id(2, 0), warning: nil),
  ]

  /// `listpack` with its header's element count replaced.
  static func listpackWithCount(_ listpack: [UInt8], _ count: UInt16) -> [UInt8] {
    var copy = listpack
    copy[4] = UInt8(count & 0xFF)
    copy[5] = UInt8(count >> 8)
    return copy
  }

  @Test(arguments: cases)
  func serverAndVerifyAgree(_ testCase: Case) throws {
    let file = try TemporaryImage.write(testCase.image, prefix: "rdbkit-lenient")
    defer { try? FileManager.default.removeItem(at: file) }

    var counter = KeyCountAnalyzer()
    let parsed = Result { try RDBParser().parse(testCase.image, into: &counter) }
    let verify = try RDBToolBinary.run(["verify", file.path])
    let strict = try RDBToolBinary.run(["verify", "--strict", file.path])
    // Redis 7.0 always; Redis 8.6, the newest, when the setup step could cache it.
    let servers =
      try SanitizingServers.all()
    guard let warning = testCase.warning else {
      SanitizingServers.expectRefused(file, by: servers)
      #expect(throws: RDBError.self) { try parsed.get() }
      #expect(verify.status == 1 && verify.stdout.contains("CORRUPT"), "\(verify.stdout)")
      return
    }
    for binary in servers {
      try checkServer(binary, loads: file, as: testCase)
    }
    let summary = try parsed.get()
    #expect(summary.warnings.map(\.kind) == [warning])
    #expect(summary.warnings.first?.key == "s")
    #expect(counter.total.keys == 2)

    #expect(verify.status == 0)
    #expect(verify.stdout.contains("OK with 1 warning"), "\(verify.stdout)")
    #expect(verify.stdout.contains("\(warning)"), "\(verify.stdout)")
    #expect(strict.status == 1)
    let json = try RDBToolBinary.run(["verify", "--json", file.path])
    let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
    let listed = object?["warnings"] as? [[String: Any]]
    #expect(listed?.first?["message"] as? String == "\(warning)", "\(json.stdout)")
    #expect(listed?.first?["key"] as? String == "s")
    #expect(strict.stdout.contains("CORRUPT: "), "\(strict.stdout)")
    let info = try RDBToolBinary.run(["info", file.path])
    #expect(info.status == 0 && info.stdout.contains("warning       \(warning)"), "\(info.stdout)")
    #expect(try RDBToolBinary.run(["info", "--strict", file.path]).status == 1)
  }
}

extension ServerLenientStreamTests {
  /// `binary`, with `sanitize-dump-payload yes`, loads `file`: both keys, the stored length
  /// as `XLEN`, and as `XRANGE` exactly the entries the parser reports.
  func checkServer(_ binary: ServerBinary, loads file: URL, as testCase: Case) throws {
    let server = try SanitizingServers.start(binary, loading: file)
    defer { server.stop() }
    let client = try server.client()
    #expect(try client.call("DBSIZE").integer == 2, "\(binary)")
    #expect(try client.call("XLEN", "s").integer == Int64(testCase.length), "\(binary)")
    var entries = StreamEntries()
    try RDBParser().parse(testCase.image, into: &entries)
    let served = try client.call("XRANGE", "s", "-", "+").elements.map { item in
      (
        String(decoding: try #require(item.elements.first?.bytes), as: UTF8.self),
        item.elements.last?.elements.compactMap(\.text) ?? []
      )
    }
    #expect(entries.entries.map(\.0) == served.map(\.0), "\(binary)")
    #expect(entries.entries.map(\.1) == served.map(\.1), "\(binary)")
  }
}

/// Stream entries as the parser reports them: ID and the flat field/value list.
struct StreamEntries: RDBHandler {
  var entries: [(String, [String])] = []

  mutating func beginStreamEntry(id: StreamID, fieldCount: Int) throws(RDBError) {
    entries.append((id.description, []))
  }

  mutating func streamField(_ field: RawSpan, value: RawSpan) throws(RDBError) {
    let name = unsafe field.withUnsafeBytes { unsafe String(decoding: $0, as: UTF8.self) }
    let text = unsafe value.withUnsafeBytes { unsafe String(decoding: $0, as: UTF8.self) }
    entries[entries.count - 1].1 += [name, text]
  }
}
