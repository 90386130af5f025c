import Foundation
import RDBKit
import Testing

/// Cluster files keep their per-slot size hints through `rewrite`, in the form the target's
/// cluster nodes write them: Redis 7.4+'s `SLOT_INFO` opcode, Valkey 8+'s AUX `slot-info`, or
/// nothing for servers that have neither. Each source file is written by a real server in
/// cluster mode; each output is loaded by a real cluster-mode node of the target, whose
/// `CLUSTER COUNTKEYSINSLOT` must match the source's hints.
@Suite("Slot hints through rewrite")
struct SlotHintRewriteTests {
  /// Servers whose cluster files carry hints.
  static let sources = ["redis-8.0", "redis-8.6", "valkey-8.1", "valkey-9.1"]
  /// Targets and the server that loads each.
  static let targets = ["redis-8.0", "redis-8.6", "valkey-8.1", "valkey-9.1", "redis-7.0"]

  @Test(arguments: sources)
  func hintsFollowTheTarget(source: String) throws {
    guard let binary = ServerCatalog.server(source) else {
      print("skipped \(source): \(ServerCatalog.missingReason(source) ?? "not available")")
      return
    }
    let file = try Self.clusterFile(of: binary)
    let sourceHints = try HintLog.read(file)
    #expect(sourceHints.count >= 50, "\(source) wrote \(sourceHints.count) slot hints")
    let keyCount = sourceHints.reduce(0) { $0 + Int($1.hint.keys) }
    #expect(keyCount == Self.keyCount)

    for name in Self.targets {
      guard let server = ServerCatalog.server(name) else {
        print("skipped \(source) → \(name): \(ServerCatalog.missingReason(name) ?? "")")
        continue
      }
      let engine = try #require(TargetEngine.named(name))
      let output = try WriterOutput.rewrite(file, RDBWriter.Options(target: engine)).bytes
      let written = try HintLog.read(output)
      let expected: [HintLog.Entry]
      switch engine.slotHints {
      case .none:
        expected = []
      case .opcode:
        expected = sourceHints.map { .init(form: .opcode, hint: $0.hint.withoutVolatile) }
      case .auxField:
        let keepsVolatile = engine.version.magic == .valkey
        expected = sourceHints.map {
          .init(form: .auxField, hint: keepsVolatile ? $0.hint : $0.hint.withoutVolatile)
        }
      }
      #expect(written == expected, "\(source) → \(name)")
      try Self.expectLoads(output, into: server, hints: sourceHints, label: "\(source) → \(name)")
    }
  }

  static let keyCount = 400

  /// A file written by `binary` in cluster mode: one node owning every slot, 400 keys (a
  /// tenth with a TTL, some sharing a slot through a hash tag).
  static func clusterFile(of binary: ServerBinary) throws -> [UInt8] {
    let node = try ClusterNode(binary: binary)
    defer { node.remove() }
    let client = try node.client()
    _ = try client.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383")
    try waitForClusterOK(client)
    var commands: [[[UInt8]]] = []
    for index in 0..<keyCount {
      let key = index % 4 == 0 ? "{user\(index % 40)}:k\(index)" : "key:\(index)"
      var command = ["SET", key, "value-\(index)"]
      if index % 10 == 0 { command += ["PX", "86400000"] }
      commands.append(command.map { Array($0.utf8) })
    }
    _ = try client.pipeline(commands)
    _ = try client.call("SAVE")
    return try [UInt8](Data(contentsOf: node.dumpURL))
  }

  /// Loads `file` into a fresh cluster node of `binary`, which claims the slots of the keys
  /// it finds, and compares each hinted slot's key count with the node's.
  static func expectLoads(
    _ file: [UInt8], into binary: ServerBinary, hints: [HintLog.Entry], label: String
  ) throws {
    let node = try ClusterNode(binary: binary)
    defer { node.remove() }
    node.stop()
    try Data(file).write(to: node.dumpURL)
    try node.start()
    let client = try node.client()
    #expect(try client.call("DBSIZE") == .integer(Int64(keyCount)), "\(label)")
    for entry in hints {
      let counted = try client.call("CLUSTER", "COUNTKEYSINSLOT", "\(entry.hint.slot)")
      #expect(counted == .integer(Int64(entry.hint.keys)), "\(label): slot \(entry.hint.slot)")
    }
    // The node owns only the slots its keys are in: the cluster is down, reads allowed.
    _ = try client.call("CONFIG", "SET", "cluster-allow-reads-when-down", "yes")
    let value = try client.call("GET", "key:1")
    #expect(value == .bulk(Array("value-1".utf8)), "\(label): \(value)")
  }

  static func waitForClusterOK(_ client: RESPClient) throws {
    let deadline = Date().addingTimeInterval(10)
    while Date() < deadline {
      if let info = try client.call("CLUSTER", "INFO").text, info.contains("cluster_state:ok") {
        return
      }
      Thread.sleep(forTimeInterval: 0.05)
    }
    throw RESPError(description: "the cluster node did not reach cluster_state:ok")
  }
}

/// The slot hints of a file in order, in either form.
struct HintLog: RDBHandler {
  struct Entry: Equatable, CustomStringConvertible {
    var form: SlotHintForm
    var hint: SlotHint
    var description: String { "\(form) \(hint.auxValue)" }
  }
  var entries: [Entry] = []

  static func read(_ file: [UInt8]) throws -> [Entry] {
    var log = HintLog()
    try RDBParser().parse(file, into: &log)
    return log.entries
  }

  mutating func slotHint(_ hint: SlotHint) {
    entries.append(Entry(form: .opcode, hint: hint))
  }
  mutating func aux(key: RawSpan, value: RawSpan) {
    if let hint = SlotHint(auxKey: key, value: value) {
      entries.append(Entry(form: .auxField, hint: hint))
    }
  }
  mutating func beginKey(_ key: RawSpan, info: KeyInfo) -> KeyDecision { .skip }
}

extension SlotHint {
  var withoutVolatile: SlotHint {
    var hint = self
    hint.volatileKeys = nil
    return hint
  }
}
