import Foundation
import RDBKit

/// Reads many keys from a server quickly: one pipeline for every key's type and expiry, one
/// for the values of strings, lists, sets, sorted sets and hashes; other types key by key
/// with ``ServerContents/read(_:database:from:)``.
enum PipelinedContents {
  /// The keys `names` of database 0 as `client`'s server holds them; a missing key has type
  /// `none`.
  static func read(_ names: [[UInt8]], from client: RESPClient) throws -> [CollectedKey] {
    var keys: [CollectedKey] = []
    keys.reserveCapacity(names.count)
    let chunk = 2000
    for start in stride(from: 0, to: names.count, by: chunk) {
      let batch = Array(names[start..<min(start + chunk, names.count)])
      keys += try readBatch(batch, from: client)
    }
    return keys
  }

  private static func command(_ words: [String], _ name: [UInt8], _ after: [String] = [])
    -> [[UInt8]]
  {
    words.map { Array($0.utf8) } + [name] + after.map { Array($0.utf8) }
  }

  private static func hexOf(_ value: RESPValue) -> String {
    let bytes = value.bytes ?? []
    return hex(bytes.span.bytes)
  }

  private static func readBatch(_ names: [[UInt8]], from client: RESPClient) throws
    -> [CollectedKey]
  {
    let header = try client.pipeline(
      names.flatMap { [command(["TYPE"], $0), command(["PEXPIRETIME"], $0)] })
    var keys: [CollectedKey] = []
    var valueCommands: [[[UInt8]]] = []
    for (index, name) in names.enumerated() {
      let type = header[2 * index].text ?? "?"
      var key = CollectedKey(database: 0, keyHex: hex(name.span.bytes), type: type)
      key.expiresAt = header[2 * index + 1].integer.flatMap { $0 >= 0 ? $0 : nil }
      keys.append(key)
      switch type {
      case "string": valueCommands.append(command(["GET"], name))
      case "list": valueCommands.append(command(["LRANGE"], name, ["0", "-1"]))
      case "set": valueCommands.append(command(["SMEMBERS"], name))
      case "zset": valueCommands.append(command(["ZRANGE"], name, ["0", "-1", "WITHSCORES"]))
      case "hash": valueCommands.append(command(["HGETALL"], name))
      default: break
      }
    }
    var values = try client.pipeline(valueCommands)[...]
    for index in keys.indices {
      switch keys[index].type {
      case "string":
        keys[index].string = hexOf(values.removeFirst())
      case "list", "set":
        keys[index].elements = values.removeFirst().elements.map(hexOf)
      case "zset":
        let flat = values.removeFirst().elements
        keys[index].scores = stride(from: 0, to: flat.count, by: 2).map {
          (hexOf(flat[$0]), Double(flat[$0 + 1].text ?? "") ?? .nan)
        }
      case "hash":
        let flat = values.removeFirst().elements
        keys[index].pairs = stride(from: 0, to: flat.count, by: 2).map {
          (hexOf(flat[$0]), hexOf(flat[$0 + 1]))
        }
      case "none":
        break
      default:
        keys[index] = try ServerContents.read(names[index], database: 0, from: client)
      }
    }
    return keys
  }
}
