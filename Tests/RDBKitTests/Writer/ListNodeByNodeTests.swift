import Foundation
import Testing

@testable import RDBKit

/// A list of many quicklist v2 nodes, which Redis 7.0 saved, rewritten for Redis 6.2 node
/// for node (each listpack node one ziplist node, written as soon as it is complete, so
/// that the writer holds one node): the file holds the same elements in the same order, one
/// ziplist node per input node, the same from a pipe as from the mapped file, and Redis 6.2
/// loads the same list. A list of fewer nodes is built and split as before.
@Suite struct ListNodeByNodeTests {
  /// Elements of every ziplist form: small and large integers, digit strings that are not
  /// canonical integers, strings up to 300 bytes (5-byte ziplist back-lengths) and a few
  /// over 8 KiB (a node each).
  static func elements(_ count: Int, seed: UInt64) -> [String] {
    var random = SplitMix64(seed: seed)
    return (0..<count).map { index in
      switch random.below(8) {
      case 0: return "\(random.below(13))"
      case 1: return "\(Int64(bitPattern: random.next()) >> random.below(63))"
      case 2: return "0\(random.below(1000))"
      case 3 where index % 997 == 0: return String(repeating: "z", count: 9000 + random.below(99))
      case 3: return String(repeating: "w", count: 254 + random.below(50))
      default:
        return String(
          (0..<random.below(40)).map { _ in Character(UnicodeScalar(UInt8(97 + random.below(26)))) }
        )
      }
    }
  }

  @Test func aLongListIsWrittenNodeForNode() throws {
    guard let source = try RedisServer.started("redis-7.0") else { return }
    defer { source.stop() }
    let client = try source.client()
    let long = Self.elements(60_000, seed: 3)
    let short = Self.elements(300, seed: 4)
    var commands: [[[UInt8]]] = []
    for (name, elements) in [("long", long), ("short", short)] {
      for start in stride(from: 0, to: elements.count, by: 500) {
        let chunk = elements[start..<min(start + 500, elements.count)]
        commands.append([Array("RPUSH".utf8), Array(name.utf8)] + chunk.map { Array($0.utf8) })
      }
    }
    let replies = try client.pipeline(commands)
    #expect(!replies.contains { if case .error = $0 { true } else { false } })
    #expect(try client.call("SAVE") == .simple("OK"))
    let input = try [UInt8](Data(contentsOf: source.dumpURL))
    var inputNodes = NodeCounter()
    try RDBParser().parse(input, into: &inputNodes)
    // 128 nodes: the fewest the writer writes node for node (RDBWriter.nodeByNodeLists).
    let longNodes = try #require(inputNodes.nodes["long"])
    #expect(longNodes >= 128)
    #expect(try #require(inputNodes.nodes["short"]) < 128)

    var options = RDBWriter.Options(target: try #require(TargetEngine.named("redis-6.2")))
    options.compressesInBackground = true
    let mapped = try WriterOutput.rewrite(input, options)
    let piped = try WriterOutput.write(options) { writer in
      try RDBParser().parse(input: ChunkedInput(input, seed: 5, maximumChunk: 5000), into: &writer)
    }
    #expect(mapped.bytes == piped.bytes)
    options.takesListpackNodes = false
    #expect(try WriterOutput.rewrite(input, options).bytes == mapped.bytes)
    options.takesListpackNodes = true
    var written = NodeCounter()
    try RDBParser().parse(mapped.bytes, into: &written)
    #expect(written.elements["long"] == long)
    #expect(written.elements["short"] == short)
    #expect(written.nodes["long"] == longNodes)
    #expect(written.kinds == [.ziplist])

    let file = FileManager.default.temporaryDirectory
      .appendingPathComponent("rdbkit-listnodes-\(UUID().uuidString.prefix(8)).rdb")
    try Data(mapped.bytes).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    guard let binary62 = ServerCatalog.server("redis-6.2") else {
      print("skipped loading: \(ServerCatalog.missingReason("redis-6.2") ?? "no redis-6.2")")
      return
    }
    let target = try RedisServer(binary: binary62, preloadedRDB: file)
    defer { target.stop() }
    let loaded = try target.client()
    for (name, elements) in [("long", long), ("short", short)] {
      let held = try loaded.call("LRANGE", name, "0", "-1").elements.map { $0.text ?? "?" }
      #expect(held == elements, "\(name)")
      #expect(try loaded.call("OBJECT", "ENCODING", name).text == "quicklist")
    }
  }
}

/// Listpack nodes taken whole (``RDBWriter/listpackListNode(_:)``, one walk per node) make
/// the file the element events make, byte for byte, from compressed and uncompressed nodes;
/// a node that breaks off is reported as the element path reports it.
@Suite struct ListNodeTranscodeTests {
  static let rdb11 = TargetEngine.format(RDBVersion(magic: .redis, number: 11))
  static let marker = "marker-element-in-the-middle"

  /// A long list (about 200 nodes) written by hand for RDB 11, a marker element in its middle.
  static func input(compresses: Bool) throws -> (bytes: [UInt8], elements: [String]) {
    var elements = ListNodeByNodeTests.elements(60_000, seed: 7)
    elements[30_000] = marker
    let key = GeneratedKey(
      database: 0, name: utf8("long"), value: .list(elements.map { utf8($0) }))
    let bytes = try WriterOutput.write(WriterOutput.handFed(rdb11, compresses: compresses)) {
      writer in
      try writer.header(rdb11.version)
      try key.feed(into: &writer)
    }.bytes
    return (bytes, elements)
  }

  @Test(arguments: [true, false])
  func nodesTakenWholeMakeTheSameFile(compressedInput: Bool) throws {
    let (input, elements) = try Self.input(compresses: compressedInput)
    var options = RDBWriter.Options(target: try #require(TargetEngine.named("redis-6.2")))
    let taken = try WriterOutput.rewrite(input, options)
    options.takesListpackNodes = false
    let walked = try WriterOutput.rewrite(input, options)
    #expect(taken.bytes == walked.bytes)
    var written = NodeCounter()
    try RDBParser().parse(taken.bytes, into: &written)
    #expect(written.elements["long"] == elements)
    #expect(try #require(written.nodes["long"]) >= 128)
    #expect(written.kinds == [.ziplist])
  }

  /// The marker's one-byte back-length changed, in a file with a zero trailer: only the
  /// listpack's own check can find it.
  @Test func aDamagedNodeIsReportedAsBefore() throws {
    var (input, _) = try Self.input(compresses: false)
    input = Array(input.dropLast(8)) + [UInt8](repeating: 0, count: 8)
    let marker = Array(Self.marker.utf8)
    let start = try #require(
      (0...(input.count - marker.count)).first {
        input[$0..<$0 + marker.count].elementsEqual(marker)
      })
    let backlen = start + marker.count
    #expect(input[backlen] == UInt8(marker.count + 1))
    input[backlen] &+= 1
    var options = RDBWriter.Options(target: try #require(TargetEngine.named("redis-6.2")))
    let taken = try #require(throws: RDBError.self) { try WriterOutput.rewrite(input, options) }
    options.takesListpackNodes = false
    let walked = try #require(throws: RDBError.self) { try WriterOutput.rewrite(input, options) }
    #expect("\(taken)" == "\(walked)")
    #expect("\(taken)".contains("listpack"))
  }
}

/// Each list's elements as text, its node count, and the kinds of blob.
private struct NodeCounter: RDBHandler {
  var elements: [String: [String]] = [:]
  var nodes: [String: Int] = [:]
  var kinds: Set<ValueBlob.Kind> = []
  private var key = ""

  mutating func beginKey(_ key: RawSpan, info: KeyInfo) -> KeyDecision {
    self.key = key.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    return .decode
  }
  mutating func valueBlob(_ blob: ValueBlob) {
    nodes[key, default: 0] += 1
    kinds.insert(blob.kind)
  }
  mutating func listElement(_ element: RawSpan) {
    elements[key, default: []].append(
      element.withUnsafeBytes { String(decoding: $0, as: UTF8.self) })
  }
}
