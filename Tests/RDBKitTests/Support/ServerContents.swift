import Foundation
import RDBKit

/// Reads keys back from a live server into the canonical record form.
enum ServerContents {
  /// Every key of every database, found by `SCAN` in each of the server's databases, in
  /// database and then key-name order.
  static func readAll(from client: RESPClient) throws -> [CollectedKey] {
    let databases = try client.call("CONFIG", "GET", "databases").elements.last?.integer ?? 16
    var keys: [CollectedKey] = []
    for database in 0..<Int(databases) {
      try client.call("SELECT", "\(database)")
      var names = Set<[UInt8]>()
      var cursor = "0"
      repeat {
        let reply = try client.call("SCAN", cursor, "COUNT", "1000")
        if case .error(let message) = reply { throw RESPError(description: "SCAN: \(message)") }
        cursor = reply.elements.first?.text ?? "0"
        for name in reply.elements.last?.elements ?? [] { names.insert(name.bytes ?? []) }
      } while cursor != "0"
      for name in names.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
        keys.append(try read(name, database: database, from: client))
      }
    }
    return keys
  }

  /// One key of the selected database. On a server without `PEXPIRETIME` (Redis 6.2) the
  /// expiry is `PTTL` added to `TIME`, off by the milliseconds between the two commands.
  static func read(_ name: [UInt8], database: Int, from client: RESPClient) throws -> CollectedKey {
    /// `before…` then the key name then `after…`.
    func command(_ before: [String], _ after: [String] = []) throws -> RESPValue {
      try client.callBytes(before.map { Array($0.utf8) } + [name] + after.map { Array($0.utf8) })
    }
    func call(_ words: String...) throws -> RESPValue {
      try command([words[0]], Array(words.dropFirst()))
    }
    let keyHex = hex(name.span.bytes)
    let type = try call("TYPE").text ?? "?"
    var key = CollectedKey(database: database, keyHex: keyHex, type: type)
    var expiry = try call("PEXPIRETIME").integer
    if expiry == nil, let ttl = try call("PTTL").integer, ttl >= 0,
      case let time = try client.call("TIME").elements.compactMap(\.integer), time.count == 2
    {
      expiry = time[0] * 1000 + time[1] / 1000 + ttl
    }
    key.expiresAt = expiry.flatMap { $0 >= 0 ? $0 : nil }
    func hexOf(_ value: RESPValue) -> String {
      let bytes = value.bytes ?? []
      return hex(bytes.span.bytes)
    }
    switch type {
    case "string":
      key.string = hexOf(try call("GET"))
    case "list":
      key.elements = try call("LRANGE", "0", "-1").elements.map(hexOf)
    case "set":
      key.elements = try call("SMEMBERS").elements.map(hexOf)
    case "zset":
      let flat = try call("ZRANGE", "0", "-1", "WITHSCORES").elements
      key.scores = stride(from: 0, to: flat.count, by: 2).map {
        (hexOf(flat[$0]), Double(flat[$0 + 1].text ?? "") ?? .nan)
      }
    case "hash":
      let flat = try call("HGETALL").elements
      key.pairs = stride(from: 0, to: flat.count, by: 2).map {
        (hexOf(flat[$0]), hexOf(flat[$0 + 1]))
      }
    case "stream":
      key.stream = try readStream(command)
    case "vectorset":
      key.vectorSet = try readVectorSet(name, from: client)
    default:
      break
    }
    return key
  }

  private static func readStream(_ command: ([String], [String]) throws -> RESPValue) throws
    -> CollectedStream
  {
    var stream = CollectedStream()
    func hexOf(_ value: RESPValue) -> String {
      let bytes = value.bytes ?? []
      return hex(bytes.span.bytes)
    }
    for entry in try command(["XRANGE"], ["-", "+"]).elements {
      let fields = entry.elements[1].elements
      stream.entries.append(
        (
          entry.elements[0].text ?? "?",
          stride(from: 0, to: fields.count, by: 2).map {
            (hexOf(fields[$0]), hexOf(fields[$0 + 1]))
          }
        ))
    }
    let info = pairs(try command(["XINFO", "STREAM"], []))
    stream.metadata = StreamMetadata(
      length: UInt64(info["length"]?.integer ?? 0), lastID: id(info["last-generated-id"]),
      firstID: nil, maxDeletedID: nil, entriesAdded: nil, groupCount: 0)
    for groupReply in try command(["XINFO", "GROUPS"], []).elements {
      let group = pairs(groupReply)
      let name = group["name"]?.bytes ?? []
      let entriesRead = group["entries-read"]?.integer
      var collected = CollectedGroup(
        nameHex: hexOf(.bulk(name)),
        info: StreamGroupInfo(
          lastDeliveredID: id(group["last-delivered-id"]), entriesRead: entriesRead,
          pendingCount: UInt64(group["pending"]?.integer ?? 0)))
      collected.pending = Array(
        repeating: (StreamID(milliseconds: 0, sequence: 0), 0, 0),
        count: Int(group["pending"]?.integer ?? 0))
      let groupName = String(decoding: name, as: UTF8.self)
      for consumerReply in try command(["XINFO", "CONSUMERS"], [groupName]).elements {
        let consumer = pairs(consumerReply)
        collected.consumers.append(
          (
            hexOf(consumer["name"] ?? .bulk([])),
            Array(
              repeating: StreamID(milliseconds: 0, sequence: 0),
              count: Int(consumer["pending"]?.integer ?? 0))
          ))
      }
      stream.groups.append(collected)
    }
    return stream
  }

  private static func pairs(_ reply: RESPValue) -> [String: RESPValue] {
    let flat = reply.elements
    var result: [String: RESPValue] = [:]
    for index in stride(from: 0, to: flat.count - 1, by: 2) {
      result[flat[index].text ?? ""] = flat[index + 1]
    }
    return result
  }

  private static func id(_ value: RESPValue?) -> StreamID {
    let parts = (value?.text ?? "0-0").split(separator: "-")
    return StreamID(
      milliseconds: UInt64(parts.first ?? "0") ?? 0, sequence: UInt64(parts.last ?? "0") ?? 0)
  }
}

extension Data {
  init(hex: String) {
    var bytes: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
      let next = hex.index(index, offsetBy: 2)
      bytes.append(UInt8(hex[index..<next], radix: 16) ?? 0)
      index = next
    }
    self.init(bytes)
  }
}
