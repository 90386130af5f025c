import Foundation
import RDBKit
import SystemPackage
import Testing

/// `rewrite` between every pair of the newest servers, each way: a server of each (Redis 8.0
/// and 8.6, Valkey 8.1 and 9.1) builds the seeded round-trip dataset with everything it adds
/// (field TTLs by `HPEXPIREAT`, `HSETEX` and `HGETEX`, vector sets of each quantisation with
/// attributes, streams with idempotent producers), saves, and its file is rewritten for each of
/// the four; a fresh server of the target loads it and must hold every key the source held
/// (type, value, expiry, each field's TTL, vector sets element by element) except exactly what
/// the loss report names. Between two Redis 8.6 servers the IDMP producers come back too.
/// And `dump --format resp --target redis-8.0` takes Redis 8.6's vector sets into Redis 8.0.2.
@Suite("Seeded rewrite between the newest servers")
struct NewestServerRewriteTests {
  static let servers = ["redis-8.0", "redis-8.6", "valkey-8.1", "valkey-9.1"]

  @Test(arguments: servers)
  func everyTargetLoadsWhatTheSourceHeld(source name: String) throws {
    guard let server = try RedisServer.seeded(name) else { return }
    defer { server.stop() }
    let client = try server.client()
    let held = try ServerContents.readAll(from: client)
    #expect(held.count >= 90, "\(name) holds \(held.count) keys")
    var parsed = RecordCollector()
    try RDBParser().parse(path: server.dumpPath, into: &parsed)

    for targetName in Self.servers {
      guard let targetBinary = ServerCatalog.server(targetName) else {
        print("skipped \(name) -> \(targetName): \(ServerCatalog.missingReason(targetName) ?? "")")
        continue
      }
      let target = try #require(TargetEngine.named(targetName))
      let output = server.directory.appendingPathComponent("as-\(targetName).rdb")
      let losses = try RewriteServerTests.rewrite(server.dumpURL, to: target, into: output)
      let problems = try Self.compare(
        held: held, parsed: parsed.keys, rewritten: output, losses: losses,
        label: "\(name) -> \(targetName)", binary: targetBinary)
      #expect(
        problems.isEmpty,
        "\(problems.count) differences:\n\(problems.prefix(20).joined(separator: "\n"))")
    }
  }

  /// `dump --format resp --target redis-8.0` of a Redis 8.6 file, piped into Redis 8.0.2,
  /// recreates its vector sets: `VADD` for each element, and `RESTORE` with the nodes in the
  /// version 8.0.2 reads for the set made with `REDUCE`, whose vectors come back byte for byte.
  @Test func vectorSetsOfRedis86LoadIntoRedis80ByRESP() throws {
    guard let newer = ServerCatalog.server("redis-8.6"),
      let older = ServerCatalog.server("redis-8.0")
    else {
      print(
        "skipped: \(ServerCatalog.missingReason("redis-8.6") ?? ServerCatalog.missingReason("redis-8.0") ?? "")"
      )
      return
    }
    let source = try RedisServer(binary: newer)
    defer { source.stop() }
    var random = SplitMix64(seed: EveryServerRoundTripTests.seed)
    let commands = EveryServerRoundTripTests.extras(for: newer, &random)
    _ = try source.client().pipeline(commands)
    #expect(try source.client().call("SAVE") == .simple("OK"))
    let held = try ServerContents.readAll(from: source.client()).filter { $0.vectorSet != nil }
    #expect(held.count == 4)

    let target = try RedisServer(binary: older)
    defer { target.stop() }
    let resp = target.directory.appendingPathComponent("load.resp").path
    let descriptor = try FileDescriptor.open(
      FilePath(resp), .writeOnly, options: [.create, .truncate], permissions: .ownerReadWrite)
    var writer = RESPWriter(
      output: OutputBuffer(descriptor: descriptor),
      target: RESPTarget(try #require(TargetEngine.named("redis-8.0"))))
    try RDBParser().parse(path: source.dumpPath, into: &writer)
    try writer.finish()
    try descriptor.close()
    #expect(try RESPWriterTests.pipe(resp, intoPort: target.port) == 0)
    let loaded = try ServerContents.readAll(from: target.client())
    var problems: [String] = []
    for original in held {
      guard let copy = loaded.first(where: { $0.keyHex == original.keyHex })?.vectorSet,
        let set = original.vectorSet
      else {
        problems.append("\(original.keyHex) not recreated")
        continue
      }
      problems += EveryServerRoundTripTests.vectorSetDifferences(set, copy, label: original.keyHex)
      if set.info.projectionInputDimension != nil {
        let vectors = { (set: CollectedVectorSet) in
          set.elements.map { $0.nameHex + ":" + $0.vectorHex }.sorted()
        }
        if vectors(set) != vectors(copy) { problems.append("\(original.keyHex) vectors differ") }
      }
    }
    #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
  }

  /// What a server of `binary`, started on `rewritten`, holds that differs from `held` (the
  /// source server's keys) beyond the declared losses.
  static func compare(
    held: [CollectedKey], parsed: [CollectedKey], rewritten: URL, losses: LossReport,
    label: String, binary: ServerBinary
  ) throws -> [String] {
    let target = try RedisServer(binary: binary, preloadedRDB: rewritten)
    defer { target.stop() }
    let client = try target.client()
    let loaded = try ServerContents.readAll(from: client)
    let dropsVectorSets = losses.entries[.vectorSets] != nil
    let keepsFieldTTLs = losses.entries[.fieldTTLs] == nil
    let expected = held.filter { !(dropsVectorSets && $0.vectorSet != nil) }
    var problems: [String] = []
    if loaded.count != expected.count {
      problems.append("\(label): \(loaded.count) keys loaded, \(expected.count) expected")
    }
    if held.contains(where: { $0.vectorSet != nil }), dropsVectorSets != (binary.engine == .valkey)
    {
      problems.append("\(label): vector sets declared lost: \(dropsVectorSets)")
    }
    var byName: [String: CollectedKey] = [:]
    for key in loaded { byName["\(key.database)/\(key.keyHex)"] = key }
    var parsedByName: [String: CollectedKey] = [:]
    for key in parsed { parsedByName["\(key.database)/\(key.keyHex)"] = key }
    for original in expected {
      let name = "\(original.database)/\(original.keyHex)"
      let keyLabel = "\(label) \(name)"
      guard let copy = byName[name] else {
        problems.append("\(keyLabel): not loaded")
        continue
      }
      if original.type != copy.type {
        problems.append("\(keyLabel) type \(original.type) / \(copy.type)")
      }
      if original.expiresAt != copy.expiresAt {
        problems.append("\(keyLabel) expiry \(original.expiresAt ?? -1) / \(copy.expiresAt ?? -1)")
      }
      if let set = original.vectorSet, let other = copy.vectorSet {
        problems += EveryServerRoundTripTests.vectorSetDifferences(set, other, label: keyLabel)
      } else if ExpectedComparison.valueText(original) != ExpectedComparison.valueText(copy) {
        problems.append("\(keyLabel) value differs")
      }
      if let source = parsedByName[name], source.type == "hash", !source.fieldExpiries.isEmpty {
        if keepsFieldTTLs {
          try client.call("SELECT", "\(original.database)")
          problems += try EveryServerRoundTripTests.fieldTTLDifferences(
            source, name: RedisRoundTripTests.unhex(original.keyHex), label: keyLabel,
            client: client)
        } else if binary.engine == .redis || binary.writes.magic == .valkey {
          problems.append("\(keyLabel): field TTLs declared lost for a server that has them")
        }
      }
    }
    problems += try idempotencyDifferences(
      parsed: parsed, client: client, target: target, losses: losses, label: label)
    return problems
  }

  /// The IDMP producers the target saves against the source's, when the target keeps them;
  /// their loss declared exactly when it does not.
  static func idempotencyDifferences(
    parsed: [CollectedKey], client: RESPClient, target: RedisServer, losses: LossReport,
    label: String
  ) throws -> [String] {
    let recorded = parsed.filter { !($0.stream?.idempotency?.producers.isEmpty ?? true) }
    guard !recorded.isEmpty else { return [] }
    let keeps = target.binary.engine == .redis && target.binary.writes.number >= 13
    if !keeps {
      return losses.entries[.streamIdempotency] == nil
        ? ["\(label): IDMP producers not declared lost"] : []
    }
    #expect(try client.call("SAVE") == .simple("OK"))
    var saved = RecordCollector()
    try RDBParser().parse(path: target.dumpPath, into: &saved)
    func producers(_ keys: [CollectedKey]) -> [String] {
      keys.compactMap { key in
        guard let idempotency = key.stream?.idempotency, !idempotency.producers.isEmpty else {
          return nil
        }
        let settings = idempotency.settings
        return "\(key.keyHex) \(settings.duration)/\(settings.maxSize) "
          + idempotency.producers.map { producer in
            producer.pidHex + ":" + producer.entries.map { "\($0.iidHex)@\($0.id)" }.joined()
          }.sorted().joined(separator: ";")
      }.sorted()
    }
    let (ours, theirs) = (producers(parsed), producers(saved.keys))
    return ours == theirs ? [] : ["\(label): IDMP producers \(ours) / \(theirs)"]
  }
}
