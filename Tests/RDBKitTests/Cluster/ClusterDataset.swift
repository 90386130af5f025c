import Foundation

/// A dataset of more than 100 000 keys written by a real server: strings, hashes, lists, sets
/// and sorted sets, most named with a hash tag shared by several keys (`{user:17}:name`),
/// some with an empty tag (`{}x`) or none, a share with an expiry a day ahead.
enum ClusterDataset {
  /// How many keys ``write(to:)`` creates.
  static let keyCount = 102_000

  /// Writes the dataset into a fresh redis-7.0 and copies the file its `SAVE` writes to
  /// `destination`.
  static func write(to destination: URL) throws {
    let server = try RedisServer()
    defer { server.stop() }
    let client = try server.client()
    let expiry = Int64(Date().timeIntervalSince1970 * 1000) + 86_400_000
    var commands: [[[UInt8]]] = []
    func send() throws {
      let replies = try client.pipeline(commands)
      if let error = replies.first(where: { if case .error = $0 { true } else { false } }) {
        throw RESPError(description: "writing the dataset: \(error)")
      }
      commands.removeAll(keepingCapacity: true)
    }
    func words(_ items: String...) -> [[UInt8]] { items.map { Array($0.utf8) } }
    for index in 0..<keyCount {
      let tag = "user:\(index % 7919)"
      switch index % 50 {
      case 0..<40:
        let name = index % 200 == 1 ? "{}plain:\(index)" : "{\(tag)}:s:\(index)"
        let value = "value-\(index)-" + String(repeating: "x", count: index % 40)
        commands.append(words("SET", name, value))
        if index % 10 == 3 {
          commands[commands.count - 1] += words("PXAT", "\(expiry + Int64(index))")
        }
      case 40..<43:
        commands.append(words("HSET", "{\(tag)}:h:\(index)", "a", "\(index)", "b", "text-\(index)"))
      case 43..<46:
        commands.append(words("RPUSH", "{\(tag)}:l:\(index)", "1", "two", "\(index)"))
      case 46..<48:
        commands.append(words("SADD", "set:\(index)", "\(index)", "member-\(index)"))
      default:
        commands.append(words("ZADD", "{\(tag)}:z:\(index)", "1.5", "a", "\(index)", "b"))
      }
      if commands.count == 5000 { try send() }
    }
    try send()
    guard try client.call("SAVE") == .simple("OK") else {
      throw RESPError(description: "SAVE failed")
    }
    try? FileManager.default.removeItem(at: destination)
    try FileManager.default.copyItem(at: server.dumpURL, to: destination)
  }
}
