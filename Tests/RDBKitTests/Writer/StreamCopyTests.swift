import Foundation
import RDBKit
import Testing

/// Streams that Redis 7.0 saved (type 19) rewritten for Redis 6.2 (type 15) have their nodes
/// copied as stored and only their metadata and groups written again: the file says what the
/// decoded path's file says, event for event (entries, metadata, groups, pending entries,
/// consumers and their times), with the same losses, and Redis 6.2 loads every entry, group,
/// pending entry and consumer that Redis 7.0 held.
@Suite struct StreamCopyTests {
  /// Streams of several shapes: nodes of 100 entries whose fields are the master's and whose
  /// listpacks LZF compresses; nodes of varying fields with incompressible values and values
  /// over 4 KiB (a node each), some entries deleted (left flagged in their nodes); a stream
  /// trimmed (a max deleted ID, entries added past its length); one emptied; and groups
  /// with pending entries, acknowledged ones, claimed ones, and consumers without any.
  static func commands() -> [[String]] {
    var commands: [[String]] = []
    for index in 0..<1000 {
      commands.append([
        "XADD", "s:same", "\(1000 + index)-1", "name", "user-\(index % 17)", "note",
        String(repeating: "abc", count: 10),
      ])
    }
    var random = SplitMix64(seed: 9)
    for index in 0..<400 {
      let size = index % 50 == 0 ? 5000 : Int(random.next() % 60)
      let value = String(
        (0..<size).map { _ in Character(UnicodeScalar(UInt8(33 + random.next() % 90))) })
      commands.append([
        "XADD", "s:mixed", "\(5000 + index)-\(index % 3)", "f\(index % 3)", value, "n",
        "\(index)",
      ])
    }
    for index in stride(from: 0, to: 400, by: 7) {
      commands.append(["XDEL", "s:mixed", "\(5000 + index)-\(index % 3)"])
    }
    for index in 0..<300 {
      commands.append(["XADD", "s:trimmed", "*", "k", "\(index)"])
    }
    commands.append(["XTRIM", "s:trimmed", "MAXLEN", "120"])
    commands.append(["XADD", "s:empty", "1-1", "a", "b"])
    commands.append(["XDEL", "s:empty", "1-1"])
    commands.append(["XGROUP", "CREATE", "s:empty", "idle", "$"])
    for stream in ["s:same", "s:mixed", "s:trimmed"] {
      commands.append(["XGROUP", "CREATE", stream, "g1", "0"])
      commands.append(["XGROUP", "CREATE", stream, "a-group-name-over-twenty-bytes", "$"])
      commands.append([
        "XREADGROUP", "GROUP", "g1", "alice", "COUNT", "150", "STREAMS", stream, ">",
      ])
      commands.append(["XREADGROUP", "GROUP", "g1", "bob", "COUNT", "40", "STREAMS", stream, ">"])
      commands.append(["XGROUP", "CREATECONSUMER", stream, "g1", "carol"])
    }
    commands.append(["XACK", "s:same", "g1", "1000-1", "1001-1", "1002-1"])
    commands.append(["XCLAIM", "s:same", "g1", "bob", "0", "1010-1", "1011-1"])
    return commands
  }

  @Test func copiedStreamsLoadExactlyIntoRedis62() throws {
    guard let source = try RedisServer.started("redis-7.0") else { return }
    defer { source.stop() }
    guard let binary62 = ServerCatalog.server("redis-6.2") else {
      print("skipped: \(ServerCatalog.missingReason("redis-6.2") ?? "no redis-6.2")")
      return
    }
    let client = try source.client()
    let commands = Self.commands()
    let replies = try client.pipeline(commands.map { $0.map { Array($0.utf8) } })
    let errors = replies.compactMap { reply -> String? in
      guard case .error(let message) = reply else { return nil }
      return message
    }
    try #require(errors.isEmpty, "setup errors: \(errors.prefix(3))")
    #expect(try client.call("SAVE") == .simple("OK"))
    let input = try [UInt8](Data(contentsOf: source.dumpURL))

    var options = RDBWriter.Options(target: try #require(TargetEngine.named("redis-6.2")))
    options.compressesInBackground = true
    let copied = try WriterOutput.rewrite(input, options)
    options.copiesValues = false
    let decoded = try WriterOutput.rewrite(input, options)
    // The copy keeps the nodes as stored (deleted entries too), so the files differ.
    #expect(copied.bytes != decoded.bytes)
    #expect(copied.writer.losses == decoded.writer.losses)
    #expect((copied.writer.losses.entries[.streamMetadata]?.keys ?? 0) >= 3)
    var copiedEvents = StreamEventText()
    try RDBParser().parse(copied.bytes, into: &copiedEvents)
    var decodedEvents = StreamEventText()
    try RDBParser().parse(decoded.bytes, into: &decodedEvents)
    #expect(copiedEvents.lines.count > 2000)
    #expect(copiedEvents.lines == decodedEvents.lines)
    #expect(copiedEvents.types == ["s:empty": 15, "s:mixed": 15, "s:same": 15, "s:trimmed": 15])

    let file = FileManager.default.temporaryDirectory
      .appendingPathComponent("rdbkit-streamcopy-\(UUID().uuidString.prefix(8)).rdb")
    try Data(copied.bytes).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let target = try RedisServer(binary: binary62, preloadedRDB: file)
    defer { target.stop() }
    let loaded = try target.client()
    #expect(try Self.state(of: "s:same", client).count > 1000)
    for stream in ["s:same", "s:mixed", "s:trimmed", "s:empty"] {
      #expect(try Self.state(of: stream, client) == Self.state(of: stream, loaded), "\(stream)")
    }
  }

  /// What a server says of `stream`: its entries, length and last ID, and per group its
  /// last delivered ID and every pending entry with its consumer and delivery count, and
  /// its consumers with their pending counts.
  static func state(of stream: String, _ client: RESPClient) throws -> [String] {
    var lines: [String] = []
    for entry in try client.call("XRANGE", stream, "-", "+").elements {
      let fields = entry.elements[1].elements.map { $0.text ?? "?" }
      lines.append("\(entry.elements[0].text ?? "?") \(fields)")
    }
    lines.append("len \(try client.call("XLEN", stream).integer ?? -1)")
    let info = try client.call("XINFO", "STREAM", stream).elements.map { $0.text ?? "" }
    if let index = info.firstIndex(of: "last-generated-id") {
      lines.append("last \(info[index + 1])")
    }
    for group in try client.call("XINFO", "GROUPS", stream).elements {
      let pairs = group.elements
      var fields: [String: String] = [:]
      for index in stride(from: 0, to: pairs.count - 1, by: 2) {
        fields[pairs[index].text ?? ""] = pairs[index + 1].text ?? "\(pairs[index + 1])"
      }
      let name = fields["name"] ?? "?"
      lines.append(
        "group \(name) last \(fields["last-delivered-id"] ?? "?") pending \(fields["pending"] ?? "?")"
      )
      for entry in try client.call("XPENDING", stream, name, "-", "+", "100000").elements {
        let parts = entry.elements
        lines.append(
          "pending \(parts[0].text ?? "?") \(parts[1].text ?? "?") \(parts[3].integer ?? -1)")
      }
      for consumer in try client.call("XINFO", "CONSUMERS", stream, name).elements {
        let parts = consumer.elements
        var values: [String: String] = [:]
        for index in stride(from: 0, to: parts.count - 1, by: 2) {
          values[parts[index].text ?? ""] = parts[index + 1].text ?? "\(parts[index + 1])"
        }
        lines.append("consumer \(values["name"] ?? "?") pending \(values["pending"] ?? "?")")
      }
    }
    return lines
  }
}

/// Every stream event as a line of text, seen and active times included, and each stream
/// key's type byte.
private struct StreamEventText: RDBHandler {
  var lines: [String] = []
  var types: [String: UInt8] = [:]

  private func text(_ span: RawSpan) -> String { hex(span) }

  mutating func beginKey(_ key: RawSpan, info: KeyInfo) -> KeyDecision {
    let name = key.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    types[name] = info.type.rawValue
    lines.append("key \(name)")
    return .decode
  }
  mutating func beginStreamEntry(id: StreamID, fieldCount: Int) {
    lines.append("entry \(id) \(fieldCount)")
  }
  mutating func streamField(_ field: RawSpan, value: RawSpan) {
    lines.append("field \(text(field)) \(text(value))")
  }
  mutating func streamMetadata(_ metadata: StreamMetadata) {
    lines.append(
      "metadata \(metadata.length) \(metadata.lastID) \(metadata.groupCount) "
        + "\(metadata.firstID.map { "\($0)" } ?? "-") "
        + "\(metadata.maxDeletedID.map { "\($0)" } ?? "-") "
        + "\(metadata.entriesAdded.map { "\($0)" } ?? "-")")
  }
  mutating func beginStreamGroup(name: RawSpan, info: StreamGroupInfo) {
    lines.append(
      "group \(text(name)) \(info.lastDeliveredID) \(info.entriesRead.map { "\($0)" } ?? "-") "
        + "\(info.pendingCount)")
  }
  mutating func streamPendingEntry(id: StreamID, deliveryTime: Int64, deliveryCount: UInt64) {
    lines.append("pending \(id) \(deliveryTime) \(deliveryCount)")
  }
  mutating func beginStreamConsumer(name: RawSpan, info: StreamConsumerInfo) {
    lines.append(
      "consumer \(text(name)) \(info.seenTime) \(info.activeTime.map { "\($0)" } ?? "-") "
        + "\(info.pendingCount)")
  }
  mutating func streamConsumerPending(id: StreamID) { lines.append("owned \(id)") }
}
