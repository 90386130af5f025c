import Foundation
import RDBKit
import Testing

/// Names from the file that may repeat and that a server keeps: an AUX field written twice
/// (Redis 7.0 loads the file) and a consumer name in two groups of one stream. Every output
/// lists them in arrays, so nothing is lost: `info --json` gives both AUX records, `dump`
/// gives both groups with their consumer.
@Suite(.serialized) struct RepeatedNameTests {
  @Test func repeatedAuxFieldsAndConsumerNamesAreAllWritten() throws {
    var image = RDBImageBuilder(version: 10)
    image.aux("x", "1")
    image.aux("x", "2")
    image.key(type: 15, "s")
    let node = StreamImage.node(
      masterFields: ["f"],
      entries: [StreamNodeEntry(msDelta: 0, seqDelta: 1, fields: [("f", "a")], sameFields: true)])
    let one = StreamID(milliseconds: 1, sequence: 1)
    StreamImage.append(
      to: &image, nodes: [(StreamID(milliseconds: 1, sequence: 0), node)], length: 1,
      lastID: one,
      groups: ["g", "h"].map {
        StreamGroupImage(name: $0, lastID: one, pending: [one], consumers: [("c", [one])])
      })
    let file = try TemporaryImage.write(image.finished(), prefix: "rdbkit-names")
    defer { try? FileManager.default.removeItem(at: file) }

    let server = try RedisServer(
      preloadedRDB: file, extraArguments: ["--sanitize-dump-payload", "yes"])
    defer { server.stop() }
    let client = try server.client()
    for group in ["g", "h"] {
      let consumers = try client.call("XINFO", "CONSUMERS", "s", group).elements
      #expect(consumers.count == 1, "group \(group)")
    }

    let info = try RDBToolBinary.run(["info", "--json", file.path])
    let report = try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any]
    let aux = (report?["files"] as? [[String: Any]])?.first?["aux"] as? [[String: String]]
    #expect(aux?.filter { $0["name"] == "x" }.compactMap { $0["value"] } == ["1", "2"])

    let dump = try RDBToolBinary.run(["dump", file.path])
    let record = try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any]
    let groups = (record?["value"] as? [String: Any])?["groups"] as? [[String: Any]]
    #expect(groups?.compactMap { $0["name"] as? String } == ["g", "h"], "\(dump.stdout)")
    for group in groups ?? [] {
      let consumers = group["consumers"] as? [[String: Any]]
      #expect(consumers?.compactMap { $0["name"] as? String } == ["c"], "\(dump.stdout)")
    }
  }
}
