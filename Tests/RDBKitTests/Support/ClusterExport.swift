import Foundation
import RDBKit
import Testing

/// A small export written by a real 3-node Redis 7.0 cluster: keys of every type under a few
/// prefixes (some with TTLs, one already past), each written to the node that owns its slot,
/// then `SAVE`d on every node and copied out, with what the nodes themselves said about them.
struct ClusterExport: Sendable {
  /// The nodes' dump files, in node order.
  let files: [URL]
  /// `DBSIZE` of each node.
  let keysPerFile: [Int]
  /// `CLUSTER COUNTKEYSINSLOT` of every slot that holds keys.
  let keysPerSlot: [Int: Int]

  /// Keys written: prefixes `user:`, `session:`, `cart:`, `feed:` and `cfg` below them.
  static let keyCount = 600

  /// The export, made once per test run in a temporary directory that is removed when the
  /// test process exits.
  static let shared: Result<ClusterExport, ExportError> = {
    do { return .success(try make()) } catch { return .failure(ExportError("\(error)")) }
  }()

  /// Where ``shared`` keeps its files.
  private static let directory = FileManager.default.temporaryDirectory
    .appendingPathComponent("rdbkit-cluster-export-\(UUID().uuidString.prefix(8))")

  /// Why the export could not be made.
  struct ExportError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
  }

  private static func make() throws -> ClusterExport {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(at: ClusterExport.directory) }
    let cluster = try LocalCluster()
    defer { cluster.remove() }
    let ranges = try cluster.slotRanges()
    var commands = [[[[UInt8]]]](repeating: [], count: cluster.nodes.count)
    func send(_ words: String...) {
      let key = Array(words[1].utf8)
      let node = ranges.shard(ofSlot: HashSlot.slot(of: key.span))
      commands[node].append(words.map { Array($0.utf8) })
    }
    for index in 0..<keyCount {
      switch index % 6 {
      case 0: send("SET", "user:\(index % 37):name", String(repeating: "n", count: index % 90))
      case 1:
        send("SET", "session:\(index)", String(repeating: "s", count: 40))
        send("PEXPIRE", "session:\(index)", String(600_000 + index * 1000))
      case 2:
        for item in 0...(index % 40) { send("RPUSH", "feed:\(index % 50):items", "item\(item)") }
      case 3:
        for field in 0...(index % 12) { send("HSET", "cart:\(index)", "sku\(field)", "\(field)") }
        send("EXPIRE", "cart:\(index)", String(86_400 * (1 + index % 60)))
      case 4: for member in 0...(index % 20) { send("SADD", "user:\(index):tags", "t\(member)") }
      default:
        for member in 0...(index % 30) {
          send("ZADD", "user:\(index % 11):scores", "\(member)", "m\(member)")
        }
      }
    }
    send("SET", "cfg", "plain")
    var files: [URL] = []
    var keysPerFile: [Int] = []
    var keysPerSlot: [Int: Int] = [:]
    for (number, node) in cluster.nodes.enumerated() {
      let client = try node.client()
      for reply in try client.pipeline(commands[number]) {
        if case .error(let message) = reply { throw RESPError(description: message) }
      }
      keysPerFile.append(Int(try #require(try client.call("DBSIZE").integer)))
      let owned = (0..<HashSlot.count).filter { ranges.shard(ofSlot: $0) == number }
      let counts = try client.pipeline(
        owned.map { ["CLUSTER", "COUNTKEYSINSLOT", String($0)].map { Array($0.utf8) } })
      for (slot, reply) in zip(owned, counts) {
        let count = Int(try #require(reply.integer))
        if count > 0 { keysPerSlot[slot] = count }
      }
      #expect(try client.call("SAVE") == .simple("OK"))
      let file = directory.appendingPathComponent(String(format: "export-%04d.rdb", number + 1))
      try FileManager.default.copyItem(at: node.dumpURL, to: file)
      files.append(file)
    }
    return ClusterExport(files: files, keysPerFile: keysPerFile, keysPerSlot: keysPerSlot)
  }
}
