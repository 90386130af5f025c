import Foundation
import SystemPackage
import Testing

@testable import RDBKit

/// A stream entry may name a field twice (`XADD s * k v k v`), and the server keeps both pairs.
/// Redis 7.0 writes such entries, SAVE gives the file, and every output format must hand back
/// exactly what `XRANGE` returns: JSON as `[field, value]` pairs for such an entry (an object
/// would keep one), RESP by recreating the entries in a second server.
@Suite(.serialized) struct RepeatedStreamFieldTests {
  /// The entries written, as `XADD` arguments after the key: repeats in the first entry (which
  /// becomes the node's master fields), in an entry with its own fields, in a non-UTF-8
  /// name, and an entry without repeats, which stays an object.
  static let entries: [[[UInt8]]] = [
    [utf8("1-1"), utf8("k"), utf8("v1"), utf8("k"), utf8("v2")],
    [utf8("1-2"), utf8("k"), utf8("a"), utf8("k"), utf8("b")],
    [utf8("1-3"), utf8("k"), utf8("x"), utf8("other"), utf8("y"), utf8("k"), utf8("z")],
    [utf8("1-4"), utf8("a"), utf8("1"), utf8("b"), utf8("2")],
    [utf8("1-5"), [0xFF, 0x00], utf8("p"), [0xFF, 0x00], utf8("q")],
  ]

  /// The saved file and what the server returns for the stream of `entries` (`XADD`
  /// arguments after the key), as (id, [(field, value)]).
  static func savedStream(
    _ entries: [[[UInt8]]] = entries
  ) throws -> (image: [UInt8], entries: [(String, [([UInt8], [UInt8])])]) {
    let server = try RedisServer()
    defer { server.stop() }
    let client = try server.client()
    for entry in entries {
      let reply = try client.callBytes([utf8("XADD"), utf8("s")] + entry)
      #expect(reply.bytes == entry[0])
    }
    #expect(try client.call("SAVE") == .simple("OK"))
    let image = try Array(Data(contentsOf: server.dumpURL))
    let range = try client.call("XRANGE", "s", "-", "+").elements
    let served = try range.map { item -> (String, [([UInt8], [UInt8])]) in
      let parts = item.elements
      let id = String(decoding: try #require(parts.first?.bytes), as: UTF8.self)
      let flat = try #require(parts.last).elements.compactMap(\.bytes)
      return (id, stride(from: 0, to: flat.count, by: 2).map { (flat[$0], flat[$0 + 1]) })
    }
    return (image, served)
  }

  @Test(arguments: [ByteStringStyle.utf8, .base64])
  func jsonLinesKeepEveryPair(style: ByteStringStyle) throws {
    let (image, served) = try Self.savedStream()
    #expect(served.map(\.1.count) == [2, 2, 3, 2, 2], "the server keeps every pair")
    let output = OutputBuffer()
    var writer = JSONLinesWriter(output: output, style: style)
    try RDBParser().parse(image, into: &writer)
    let line = output.bytes(in: 0..<output.count)
    let record = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
    let value = try #require(record["value"] as? [String: Any])
    let written = try #require(value["entries"] as? [[String: Any]])
    try Self.expectSame(written, served) { try JSONLinesWriterTests.bytes($0, style) }
  }

  @Test func jsonDocumentKeepsEveryPair() throws {
    let (image, served) = try Self.savedStream()
    let output = OutputBuffer()
    var writer = JSONDocumentWriter(output: output)
    try RDBParser().parse(image, into: &writer)
    try writer.finish()
    let text = output.bytes(in: 0..<output.count)
    let document = try #require(
      try JSONSerialization.jsonObject(with: Data(text)) as? [[String: Any]])
    let stream = try #require(document.first?["s"] as? [String: Any])
    let written = try #require(stream["entries"] as? [[String: Any]])
    // The document format writes bytes that are not UTF-8 one `\u00XX` escape per byte.
    try Self.expectSame(written, served) { value in
      try #require(value as? String).unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
    }
  }

  @Test func respRecreatesEveryPair() throws {
    let (image, served) = try Self.savedStream()
    let server = try RedisServer()
    defer { server.stop() }
    let resp = server.directory.appendingPathComponent("load.resp").path
    let descriptor = try FileDescriptor.open(
      FilePath(resp), .writeOnly, options: [.create, .truncate], permissions: .ownerReadWrite)
    var writer = RESPWriter(output: OutputBuffer(descriptor: descriptor))
    try RDBParser().parse(image, into: &writer)
    try writer.finish()
    try descriptor.close()
    #expect(try RESPWriterTests.pipe(resp, intoPort: server.port) == 0)
    let range = try server.client().call("XRANGE", "s", "-", "+").elements
    let reloaded = range.map { item in
      (
        String(decoding: item.elements.first?.bytes ?? [], as: UTF8.self),
        item.elements.last?.elements.compactMap(\.bytes) ?? []
      )
    }
    #expect(reloaded.map(\.0) == served.map(\.0))
    #expect(reloaded.map(\.1) == served.map { $0.1.flatMap { [$0.0, $0.1] } })
  }

  /// A hand-built node whose master fields repeat a name (entries that use them, flag 2) and
  /// an entry with its own repeated fields: Redis 7.0 with `sanitize-dump-payload yes` loads
  /// it and serves every pair, and jsonl writes exactly those pairs. CSV, which writes strings
  /// and hashes only, leaves the stream out and says so.
  @Test func handBuiltNodeKeepsEveryPair() throws {
    let node = StreamImage.node(
      masterFields: ["k", "k"],
      entries: [
        StreamNodeEntry(
          msDelta: 0, seqDelta: 1, fields: [("k", "v1"), ("k", "v2")], sameFields: true),
        StreamNodeEntry(msDelta: 0, seqDelta: 2, fields: [("k", "a"), ("j", "b"), ("k", "c")]),
      ])
    var builder = RDBImageBuilder(version: 10)
    builder.key(type: 15, "s")
    StreamImage.append(
      to: &builder, nodes: [(StreamID(milliseconds: 1, sequence: 0), node)], length: 2,
      lastID: StreamID(milliseconds: 1, sequence: 2))
    let image = builder.finished()
    let file = try TemporaryImage.write(image, prefix: "rdbkit-repeat")
    defer { try? FileManager.default.removeItem(at: file) }
    let server = try RedisServer(
      preloadedRDB: file, extraArguments: ["--sanitize-dump-payload", "yes"])
    defer { server.stop() }
    let served = try server.client().call("XRANGE", "s", "-", "+").elements.map { item in
      let flat = (item.elements.last?.elements ?? []).compactMap(\.bytes)
      return (
        String(decoding: item.elements.first?.bytes ?? [], as: UTF8.self),
        stride(from: 0, to: flat.count, by: 2).map { (flat[$0], flat[$0 + 1]) }
      )
    }
    #expect(served.map(\.1.count) == [2, 3], "the server keeps every pair")

    let output = OutputBuffer()
    var writer = JSONLinesWriter(output: output, style: .utf8)
    try RDBParser().parse(image, into: &writer)
    let line = output.bytes(in: 0..<output.count)
    let record = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
    let value = try #require(record["value"] as? [String: Any])
    let written = try #require(value["entries"] as? [[String: Any]])
    try Self.expectSame(written, served) { try JSONLinesWriterTests.bytes($0, .utf8) }

    let csv = try RDBToolBinary.run(["dump", "--format", "csv", file.path])
    #expect(csv.stdout == "database,type,key,field,value\n", "\(csv.stdout)")
    #expect(csv.stderr.contains("1 keys of types other than string and hash"), "\(csv.stderr)")
  }

  /// Each written entry has the served ID and pairs: `[field, value]` pairs when a name
  /// repeats or is not UTF-8, an object otherwise.
  static func expectSame(
    _ written: [[String: Any]], _ served: [(String, [([UInt8], [UInt8])])],
    decode: (Any?) throws -> [UInt8]
  ) throws {
    try #require(written.count == served.count)
    for (entry, (id, pairs)) in zip(written, served) {
      #expect(entry["id"] as? String == id)
      let names = pairs.map(\.0)
      let repeats = Set(names).count < names.count
      if let list = entry["fields"] as? [[Any]] {
        #expect(repeats || names.contains { String(validating: $0, as: UTF8.self) == nil })
        let decoded = try list.map { (try decode($0.first), try decode($0.last)) }
        #expect(decoded.map(\.0) == names, "entry \(id)")
        #expect(decoded.map(\.1) == pairs.map(\.1), "entry \(id)")
      } else {
        let object = try #require(entry["fields"] as? [String: Any], "entry \(id)")
        #expect(!repeats, "entry \(id) repeats a field but was written as an object")
        let decoded = try object.map { (try decode($0.key), try decode($0.value)) }
        #expect(
          decoded.sorted { $0.0.lexicographicallyPrecedes($1.0) }.map { $0.0 + [0xFF] + $0.1 }
            == pairs.sorted { $0.0.lexicographicallyPrecedes($1.0) }.map { $0.0 + [0xFF] + $0.1 },
          "entry \(id)")
      }
    }
  }
}
