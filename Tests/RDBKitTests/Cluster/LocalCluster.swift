import Foundation
import RDBKit

/// A real Redis Cluster on loopback: N master nodes, no replicas, created by
/// `redis-cli --cluster create`, as a user would create one.
final class LocalCluster {
  /// The nodes, in the order given to `redis-cli --cluster create`.
  let nodes: [ClusterNode]

  /// Starts `count` redis-7.0 nodes and joins them into a cluster; waits until every node
  /// says `cluster_state:ok`.
  init(nodes count: Int = 3) throws {
    var nodes: [ClusterNode] = []
    do {
      for _ in 0..<count { nodes.append(try ClusterNode()) }
      self.nodes = nodes
    } catch {
      for node in nodes { node.remove() }
      throw error
    }
    do {
      try create()
      try waitUntilHealthy()
    } catch {
      remove()
      throw error
    }
  }

  /// Runs `redis-cli --cluster create … --cluster-replicas 0 --cluster-yes`, killed after
  /// 120 s (a hung creation fails its test, not CI).
  private func create() throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
    process.arguments =
      ["-k", "5", "120", "/usr/bin/redis-cli", "--cluster", "create"]
      + nodes.map { "127.0.0.1:\($0.port)" }
      + ["--cluster-replicas", "0", "--cluster-yes"]
    let output = FileManager.default.temporaryDirectory
      .appendingPathComponent("rdbkit-cluster-create-\(UUID().uuidString.prefix(8)).log")
    _ = FileManager.default.createFile(atPath: output.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: output) }
    let handle = try FileHandle(forWritingTo: output)
    defer { try? handle.close() }
    process.standardOutput = handle
    process.standardError = handle
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
      throw RESPError(description: "redis-cli --cluster create failed:\n\(text)")
    }
  }

  /// Waits (up to 30 s) until every node reports `cluster_state:ok` and knows all slots.
  func waitUntilHealthy() throws {
    let deadline = Date().addingTimeInterval(30)
    var last = ""
    while Date() < deadline {
      var healthy = true
      for node in nodes {
        let info = (try? node.client().call("CLUSTER", "INFO").text) ?? ""
        last = info
        if !info.contains("cluster_state:ok") || !info.contains("cluster_slots_ok:16384") {
          healthy = false
          break
        }
      }
      if healthy { return }
      Thread.sleep(forTimeInterval: 0.1)
    }
    throw RESPError(description: "the cluster did not become healthy:\n\(last)")
  }

  /// The slot ranges of each node, in ``nodes`` order, as `CLUSTER SLOTS` reports them.
  func slotRanges() throws -> SlotRanges {
    let reply = try nodes[0].client().call("CLUSTER", "SLOTS")
    var byPort: [Int: [ClosedRange<Int>]] = [:]
    for entry in reply.elements {
      let fields = entry.elements
      guard fields.count >= 3, let low = fields[0].integer, let high = fields[1].integer,
        let port = fields[2].elements.dropFirst().first?.integer
      else { throw RESPError(description: "unexpected CLUSTER SLOTS entry \(entry)") }
      byPort[Int(port), default: []].append(Int(low)...Int(high))
    }
    return try SlotRanges(
      shards: nodes.map { node in (byPort[node.port] ?? []).sorted { $0.lowerBound < $1.lowerBound }
      })
  }

  /// Stops every node, puts `files[i]` in place as node i's `dump.rdb`, starts them again
  /// and waits until the cluster is healthy.
  func restart(loading files: [URL]) throws {
    precondition(files.count == nodes.count, "one file per node")
    for node in nodes { node.stop() }
    for (node, file) in zip(nodes, files) {
      try? FileManager.default.removeItem(at: node.dumpURL)
      try FileManager.default.copyItem(at: file, to: node.dumpURL)
    }
    for node in nodes { try node.start() }
    try waitUntilHealthy()
  }

  /// The node that owns `slot`, by ``slotRanges()``.
  func node(owning slot: Int, in ranges: SlotRanges) -> ClusterNode {
    nodes[ranges.shard(ofSlot: slot)]
  }

  /// Stops every node and removes its directory.
  func remove() {
    for node in nodes { node.remove() }
  }
}
