import Foundation
import RDBKit
import Testing

/// The `embstr`/`raw` line the parser draws for a string, against the live server: each server
/// sets strings of every length from 0 to 70 bytes under keys of 4, 20, 31, 33 and 41 bytes,
/// with and without an expiry given by `SET … PX` (under the shorter three), saves, and the
/// encoding the parser reports for each must be the server's `OBJECT ENCODING`. The line moves
/// with the key (Redis 8.6, Valkey 8.1 and 9) and the expiry (Valkey 8.1 and 9).
@Suite struct EmbeddedStringEncodingTests {
  @Test(arguments: ServerCatalog.names)
  func encodingsMatchTheServer(_ name: String) throws {
    guard let server = try RedisServer.started(name) else { return }
    defer { server.stop() }
    let client = try server.client()
    var commands: [[[UInt8]]] = []
    var names: [[UInt8]] = []
    for keyLength in [4, 20, 31, 33, 41] {
      for length in 0...70 {
        // Valkey 8.1 embeds irregularly under a key of 32 bytes or more with an expiry.
        for expiring in keyLength < 32 ? [false, true] : [false] {
          let prefix = "\(expiring ? "e" : "k")\(length)-"
          let key = Array((prefix + String(repeating: "k", count: keyLength - prefix.count)).utf8)
          var command = [
            Array("SET".utf8), key, Array(repeating: UInt8(ascii: "v"), count: length),
          ]
          if expiring { command += [Array("PX".utf8), Array("100000000".utf8)] }
          commands.append(command)
          names.append(key)
        }
      }
    }
    _ = try client.pipeline(commands)
    #expect(try client.call("SAVE") == .simple("OK"))
    let served = try client.pipeline(
      names.map { [Array("OBJECT".utf8), Array("ENCODING".utf8), $0] })
    var collector = RecordCollector()
    try RDBParser().parse(path: server.dumpPath, into: &collector)
    var parsed: [String: String] = [:]
    for key in collector.keys { parsed[key.keyHex] = key.encoding }
    var problems: [String] = []
    for (key, answer) in zip(names, served) {
      let ours = parsed[hex(key.span.bytes)] ?? "missing"
      if ours != answer.text {
        problems.append(
          "\(String(decoding: key, as: UTF8.self)): \(ours), server \(answer.text ?? "?")")
      }
    }
    #expect(names.count == 568)
    #expect(
      problems.isEmpty,
      "\(name): \(problems.count) differences:\n\(problems.prefix(10).joined(separator: "\n"))")
  }
}
