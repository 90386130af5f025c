import Foundation
import RDBKit
import Testing

/// Fills a real redis-server with a seeded random dataset of every type and size class, saves,
/// parses dump.rdb, and compares every key with what the live server returns.
@Suite(.serialized) struct RedisRoundTripTests {
  static let seed: UInt64 = 0x0DD5_EED5

  typealias Command = [[UInt8]]

  static func command(_ parts: Any...) -> Command {
    parts.map { part in
      switch part {
      case let bytes as [UInt8]: return bytes
      default: return Array("\(part)".utf8)
      }
    }
  }

  /// The dataset, as commands. Key names say what each key is for.
  static func dataset(_ random: inout SplitMix64) -> [Command] {
    func bytes(_ count: Int, binary: Bool = true) -> [UInt8] {
      (0..<count).map { _ in binary ? UInt8(random.below(256)) : UInt8(97 + random.below(26)) }
    }
    var commands: [Command] = []
    let pexpire = 4_102_444_800_000  // 2100-01-01
    for db in [0, 1, 7] {
      commands.append(command("SELECT", db))
      // Strings.
      for (index, value) in [
        "0", "-1", "12345", "-2147483648", "9223372036854775807", "007", "3.14", "+1",
      ].enumerated() {
        commands.append(command("SET", "string:int:\(db):\(index)", value))
      }
      commands.append(command("SET", "string:empty:\(db)", ""))
      for size in [1, 20, 44, 45, 100, 3000] {
        commands.append(command("SET", "string:binary:\(db):\(size)", bytes(size)))
      }
      commands.append(
        command("SET", "string:lzf:\(db)", Array(String(repeating: "abcdefgh", count: 400).utf8)))
      commands.append(command("SET", "string:allbytes:\(db)", (0...255).map { UInt8($0) }))
      // Lists: one listpack node, several nodes, large elements.
      commands.append(
        command("RPUSH", "list:small:\(db)", "a", "1", "-300", "70000", bytes(10), "9999999999"))
      var multinode: Command = [Array("RPUSH".utf8), Array("list:multinode:\(db)".utf8)]
      for _ in 0..<1500 { multinode.append(bytes(1 + random.below(40), binary: false)) }
      commands.append(multinode)
      commands.append(
        command("RPUSH", "list:bigelements:\(db)", bytes(10_000), "x", bytes(70_000, binary: false))
      )
      // Sets: intset, hashtable of strings, too many integers for an intset.
      var intset: Command = [Array("SADD".utf8), Array("set:intset:\(db)".utf8)]
      for _ in 0..<100 {
        let value: Int64 = Int64(random.next() >> 20) - (1 << 42)
        intset.append(Array(String(value).utf8))
      }
      commands.append(intset)
      var strings: Command = [Array("SADD".utf8), Array("set:strings:\(db)".utf8)]
      for _ in 0..<50 { strings.append(bytes(1 + random.below(30))) }
      commands.append(strings)
      var bigIntset: Command = [Array("SADD".utf8), Array("set:bigintset:\(db)".utf8)]
      for value in 0..<600 { bigIntset.append(Array(String(value * 7 - 2000).utf8)) }
      commands.append(bigIntset)
      // Sorted sets: listpack with special scores, skiplist.
      commands.append(
        command(
          "ZADD", "zset:small:\(db)", "inf", "top", "-inf", "bottom", "1.5", "a", "0", "zero",
          "-0.25", "neg", "1e-300", "tiny", "12345678901234", "big"))
      var skiplist = [Array("ZADD".utf8), Array("zset:skiplist:\(db)".utf8)]
      for index in 0..<200 {
        skiplist.append(Array(String(Double(random.below(1_000_000)) / 7).utf8))
        skiplist.append(Array("member:\(index)".utf8) + bytes(random.below(10)))
      }
      commands.append(skiplist)
      commands.append(command("ZADD", "zset:longmember:\(db)", "1", bytes(100)))
      // Hashes: listpack, hashtable by count, hashtable by value size.
      commands.append(
        command(
          "HSET", "hash:small:\(db)", "f1", "v1", "f2", "2", "f3", bytes(20), bytes(5),
          "binary field"))
      var big = [Array("HSET".utf8), Array("hash:big:\(db)".utf8)]
      for index in 0..<300 { big += [Array("field:\(index)".utf8), bytes(random.below(30))] }
      commands.append(big)
      commands.append(command("HSET", "hash:longvalue:\(db)", "f", bytes(100)))
      // Streams with groups, consumers, pending and deleted entries.
      let stream = "stream:\(db)"
      for index in 1...60 {
        if index % 10 == 0 {
          commands.append(
            command("XADD", stream, "\(1_700_000_000_000 + index)-\(index)", "other", "x\(index)"))
        } else {
          commands.append(
            command(
              "XADD", stream, "\(1_700_000_000_000 + index)-\(index)", "name", "n\(index)", "age",
              index))
        }
      }
      commands.append(
        command("XDEL", stream, "1700000000005-5", "1700000000006-6", "1700000000031-31"))
      commands.append(command("XGROUP", "CREATE", stream, "g1", "0"))
      commands.append(command("XGROUP", "CREATE", stream, "g2", "$"))
      commands.append(
        command("XREADGROUP", "GROUP", "g1", "alice", "COUNT", "10", "STREAMS", stream, ">"))
      commands.append(
        command("XREADGROUP", "GROUP", "g1", "bob", "COUNT", "5", "STREAMS", stream, ">"))
      commands.append(command("XACK", stream, "g1", "1700000000001-1", "1700000000002-2"))
      commands.append(command("XGROUP", "CREATECONSUMER", stream, "g2", "carol"))
      commands.append(command("XADD", "stream:empty:\(db)", "1-1", "f", "v"))
      commands.append(command("XDEL", "stream:empty:\(db)", "1-1"))
      // TTLs.
      for key in [
        "string:empty:\(db)", "list:small:\(db)", "hash:big:\(db)", stream, "set:intset:\(db)",
      ] {
        commands.append(command("PEXPIREAT", key, pexpire + db * 1000 + key.count))
      }
    }
    return commands
  }

  @Test func everyKeyMatchesTheServer() throws {
    let server = try RedisServer()
    defer { server.stop() }
    let client = try server.client()
    var random = SplitMix64(seed: Self.seed)
    print("round trip dataset seed \(Self.seed)")
    let replies = try client.pipeline(Self.dataset(&random))
    let errors = replies.filter { if case .error = $0 { return true } else { return false } }
    try #require(errors.isEmpty, "setup errors: \(errors.prefix(5))")
    #expect(try client.call("SAVE") == .simple("OK"))

    var collector = RecordCollector()
    let summary = try RDBParser().parse(path: server.dumpPath, into: &collector)
    #expect(summary.version.number == 10)
    guard case .verified = summary.checksum else {
      Issue.record("checksum \(summary.checksum)")
      return
    }
    let version = try client.call("INFO", "server").text ?? ""
    #expect(
      collector.aux.contains { $0.0 == "redis-ver" && version.contains("redis_version:\($0.1)") })

    var problems: [String] = []
    for db in [0, 1, 7] {
      try client.call("SELECT", "\(db)")
      let serverKeys = try client.call("DBSIZE").integer ?? -1
      let ours = collector.keys.filter { $0.database == db }
      if Int64(ours.count) != serverKeys {
        problems.append("db \(db): parsed \(ours.count) keys, server \(serverKeys)")
      }
      for key in ours {
        problems += try Self.compare(key, client)
      }
    }
    #expect(collector.keys.count == 3 * 31, "parsed \(collector.keys.count) keys")
    let encodings = Set(collector.keys.map { "\($0.type)/\($0.encoding)" })
    let wanted: Set = [
      "string/int", "string/embstr", "string/raw", "list/quicklist", "set/intset", "set/hashtable",
      "zset/listpack", "zset/skiplist", "hash/listpack", "hash/hashtable", "stream/stream",
    ]
    #expect(wanted.isSubset(of: encodings), "missing: \(wanted.subtracting(encodings))")
    #expect(collector.keys.filter { $0.expiresAt != nil }.count == 15)
    #expect(
      problems.isEmpty,
      "\(problems.count) differences:\n\(problems.prefix(20).joined(separator: "\n"))")
  }

  static func unhex(_ text: String) -> [UInt8] {
    var out: [UInt8] = []
    var iterator = text.utf8.makeIterator()
    while let high = iterator.next(), let low = iterator.next() {
      func value(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : c - 87 }
      out.append(value(high) << 4 | value(low))
    }
    return out
  }

  /// Compares one parsed key with the server's answers; returns the differences.
  static func compare(_ key: CollectedKey, _ client: RESPClient) throws -> [String] {
    let name = unhex(key.keyHex)
    let label = String(decoding: name, as: UTF8.self) + " (db \(key.database))"
    var problems: [String] = []
    func check(_ what: String, _ ours: String, _ theirs: String) {
      if ours != theirs {
        problems.append(
          "\(label) \(what): parsed \(ours.prefix(200)), server \(theirs.prefix(200))")
      }
    }
    let replies = try client.pipeline([
      [Array("TYPE".utf8), name], [Array("PEXPIRETIME".utf8), name],
      [Array("OBJECT".utf8), Array("ENCODING".utf8), name],
    ])
    check("type", key.type, replies[0].text ?? "?")
    check(
      "expiry", key.expiresAt.map(String.init) ?? "-1", replies[1].integer.map(String.init) ?? "?")
    let serverEncoding = replies[2].text ?? "?"
    if !ExpectedComparison.encodingMatches(ours: key.encoding, server: serverEncoding, key: key) {
      check("encoding", key.encoding, serverEncoding)
    }
    func hexList(_ reply: RESPValue) -> [String] { reply.elements.map { hexBytes($0.bytes ?? []) } }
    switch key.type {
    case "string":
      check(
        "value", key.string ?? "nil",
        hexBytes(try client.callBytes([Array("GET".utf8), name]).bytes ?? []))
    case "list":
      let reply = try client.callBytes([
        Array("LRANGE".utf8), name, Array("0".utf8), Array("-1".utf8),
      ])
      check("value", key.elements.joined(separator: ","), hexList(reply).joined(separator: ","))
    case "set":
      let reply = try client.callBytes([Array("SMEMBERS".utf8), name])
      check(
        "value", key.elements.sorted().joined(separator: ","),
        hexList(reply).sorted().joined(separator: ","))
    case "zset":
      let reply = try client.callBytes(
        [Array("ZRANGE".utf8), name, Array("0".utf8), Array("-1".utf8), Array("WITHSCORES".utf8)])
      let flat = reply.elements
      var theirs: [String] = []
      for index in stride(from: 0, to: flat.count - 1, by: 2) {
        let score = Double(flat[index + 1].text ?? "") ?? .nan
        theirs.append("\(hexBytes(flat[index].bytes ?? [])):\(ExpectedComparison.scoreText(score))")
      }
      let ours = key.scores.map { "\($0.0):\(ExpectedComparison.scoreText($0.1))" }
      check("value", ours.sorted().joined(separator: ","), theirs.sorted().joined(separator: ","))
    case "hash":
      let flat = hexList(try client.callBytes([Array("HGETALL".utf8), name]))
      let theirs = stride(from: 0, to: flat.count - 1, by: 2).map { "\(flat[$0])=\(flat[$0 + 1])" }
      check(
        "value", key.pairs.map { "\($0.0)=\($0.1)" }.sorted().joined(separator: ","),
        theirs.sorted().joined(separator: ","))
    case "stream":
      problems += try compareStream(key, name, label, client)
    default:
      problems.append("\(label): unexpected type \(key.type)")
    }
    return problems
  }

  static func compareStream(
    _ key: CollectedKey, _ name: [UInt8], _ label: String, _ client: RESPClient
  ) throws -> [String] {
    var problems: [String] = []
    func check(_ what: String, _ ours: String, _ theirs: String) {
      if ours != theirs {
        problems.append(
          "\(label) \(what): parsed \(ours.prefix(300)), server \(theirs.prefix(300))")
      }
    }
    guard let stream = key.stream, let metadata = stream.metadata else {
      return ["\(label): no stream data"]
    }
    let entries = try client.callBytes([
      Array("XRANGE".utf8), name, Array("-".utf8), Array("+".utf8),
    ]).elements
    let theirs = entries.map { entry -> String in
      let parts = entry.elements
      let fields = parts.count > 1 ? parts[1].elements.map { hexBytes($0.bytes ?? []) } : []
      let pairs = stride(from: 0, to: fields.count - 1, by: 2).map {
        "\(fields[$0])=\(fields[$0 + 1])"
      }
      return "\(parts.first?.text ?? "?")[\(pairs.joined(separator: ","))]"
    }
    let ours = stream.entries.map {
      "\($0.0)[" + $0.1.map { "\($0.0)=\($0.1)" }.joined(separator: ",") + "]"
    }
    check("entries", ours.joined(separator: ";"), theirs.joined(separator: ";"))
    let info = try client.callBytes([Array("XINFO".utf8), Array("STREAM".utf8), name]).elements
    var fields: [String: RESPValue] = [:]
    for index in stride(from: 0, to: info.count - 1, by: 2) {
      fields[info[index].text ?? ""] = info[index + 1]
    }
    check("length", "\(metadata.length)", fields["length"]?.text ?? "?")
    check("last id", "\(metadata.lastID)", fields["last-generated-id"]?.text ?? "?")
    check(
      "max deleted id", metadata.maxDeletedID.map { "\($0)" } ?? "nil",
      fields["max-deleted-entry-id"]?.text ?? "?")
    check(
      "entries added", metadata.entriesAdded.map { "\($0)" } ?? "nil",
      fields["entries-added"]?.text ?? "?")
    check("groups", "\(metadata.groupCount)", fields["groups"]?.text ?? "?")
    let groups = try client.callBytes([Array("XINFO".utf8), Array("GROUPS".utf8), name]).elements
    for group in groups {
      let list = group.elements
      var info: [String: RESPValue] = [:]
      for index in stride(from: 0, to: list.count - 1, by: 2) {
        info[list[index].text ?? ""] = list[index + 1]
      }
      let groupName = info["name"]?.bytes ?? []
      guard let ourGroup = stream.groups.first(where: { $0.nameHex == hexBytes(groupName) }) else {
        problems.append("\(label): group \(info["name"]?.text ?? "?") missing")
        continue
      }
      let g = "group \(info["name"]?.text ?? "?")"
      check(
        "\(g) last id", "\(ourGroup.info.lastDeliveredID)", info["last-delivered-id"]?.text ?? "?")
      check("\(g) pending", "\(ourGroup.pending.count)", info["pending"]?.text ?? "?")
      check("\(g) consumers", "\(ourGroup.consumers.count)", info["consumers"]?.text ?? "?")
      check(
        "\(g) entries read", ourGroup.info.entriesRead.map { "\($0)" } ?? "",
        info["entries-read"]?.text ?? "")
      let pending = try client.callBytes(
        [
          Array("XPENDING".utf8), name, groupName, Array("-".utf8), Array("+".utf8),
          Array("1000".utf8),
        ]
      ).elements.map { entry -> String in
        let p = entry.elements
        return "\(p[0].text ?? "?") \(p[1].text ?? "?") \(p[3].integer ?? -1)"
      }
      var owner: [StreamID: String] = [:]
      for consumer in ourGroup.consumers {
        for id in consumer.pending {
          owner[id] = String(decoding: unhex(consumer.nameHex), as: UTF8.self)
        }
      }
      let ourPending = ourGroup.pending.map { "\($0.0) \(owner[$0.0] ?? "?") \($0.2)" }
      check("\(g) PEL", ourPending.joined(separator: ";"), pending.joined(separator: ";"))
      let consumers = try client.callBytes([
        Array("XINFO".utf8), Array("CONSUMERS".utf8), name, groupName,
      ]).elements
      let theirConsumers = consumers.map { consumer -> String in
        let c = consumer.elements
        var info: [String: String] = [:]
        for index in stride(from: 0, to: c.count - 1, by: 2) {
          info[c[index].text ?? ""] = c[index + 1].text ?? ""
        }
        return "\(hexText(info["name"] ?? "")):\(info["pending"] ?? "?")"
      }.sorted()
      let ourConsumers = ourGroup.consumers.map { "\($0.nameHex):\($0.pending.count)" }.sorted()
      check(
        "\(g) consumers", ourConsumers.joined(separator: ","), theirConsumers.joined(separator: ",")
      )
    }
    return problems
  }
}
