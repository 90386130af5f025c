import Foundation
import RDBKit
import SystemPackage
import Testing

/// The seeded round trip on every server the catalog has: each fills a fresh server with
/// ``RedisRoundTripTests/dataset(_:)`` plus what that server adds (hash field TTLs from Redis
/// 7.4 and Valkey 9, on Redis 8 also by `HSETEX` and `HGETEX`; vector sets of each
/// quantisation and one made with `REDUCE` from Redis 8;
/// streams with idempotent producers from Redis 8.6), saves, and every key the parser reads
/// from the dump is compared with what the live server answers: type, expiry, `OBJECT
/// ENCODING`, value, and each field's TTL (for 6.2, which lacks `PEXPIRETIME`, key expiries
/// within 1 s). Then `dump --format resp` of the dump recreates it in a second server of the
/// same version (a vector set made with `REDUCE` by `RESTORE`, its vectors byte for byte). `RDBKIT_SEED` picks another seed.
@Suite("Seeded round trip on every server")
struct EveryServerRoundTripTests {
  static let seed: UInt64 =
    ProcessInfo.processInfo.environment["RDBKIT_SEED"].flatMap { UInt64($0) } ?? 0x5EED_0011

  @Test(arguments: ServerCatalog.names)
  func everyKeyMatchesTheServer(name: String) throws {
    guard let server = try RedisServer.seeded(name) else { return }
    defer { server.stop() }
    let client = try server.client()
    let binary = server.binary

    var collector = RecordCollector()
    let summary = try RDBParser().parse(path: server.dumpPath, into: &collector)
    #expect(summary.version == binary.writes)
    let held = try ServerContents.readAll(from: client)
    #expect(collector.keys.count == held.count, "\(name): parsed \(collector.keys.count) keys")
    var byName: [String: CollectedKey] = [:]
    for key in held { byName["\(key.database)/\(key.keyHex)"] = key }
    var problems: [String] = []
    for key in collector.keys {
      let label =
        "\(name) \(key.database)/\(String(decoding: RedisRoundTripTests.unhex(key.keyHex), as: UTF8.self))"
      guard let theirs = byName["\(key.database)/\(key.keyHex)"] else {
        problems.append("\(label): not on the server")
        continue
      }
      problems += try Self.differences(
        key, theirs, label: label, client: client,
        expiryTolerance: binary.writes.number < 10 ? 1000 : 0)
    }
    #expect(
      problems.isEmpty,
      "\(problems.count) differences:\n\(problems.prefix(20).joined(separator: "\n"))")
    Self.expectExtrasParsed(collector.keys, binary: binary)
    try Self.expectRESPRecreates(
      dump: server.dumpURL, held: held, parsed: collector.keys, binary: binary,
      expiryTolerance: binary.writes.number < 10 ? 1000 : 0)
  }

  /// `dump --format resp` of the dump, piped into a fresh server of the same version, gives
  /// back what the first server held: every key as ``ServerContents`` reads it (vectors
  /// within float rounding, as `VADD` normalizes and quantizes again), and the idempotent
  /// producers as that server saves them.
  static func expectRESPRecreates(
    dump: URL, held: [CollectedKey], parsed: [CollectedKey], binary: ServerBinary,
    expiryTolerance: Int64
  ) throws {
    let second = try RedisServer(binary: binary)
    defer { second.stop() }
    let resp = second.directory.appendingPathComponent("load.resp").path
    let descriptor = try FileDescriptor.open(
      FilePath(resp), .writeOnly, options: [.create, .truncate], permissions: .ownerReadWrite)
    var writer = RESPWriter(output: OutputBuffer(descriptor: descriptor))
    _ = try RDBParser().parse(path: dump.path, into: &writer)
    try writer.finish()
    try descriptor.close()
    // A set made with REDUCE is restored from its serialized value, projection and all.
    let projected = held.filter { $0.vectorSet?.info.projectionInputDimension != nil }
    #expect(writer.skippedModuleValues == 0, "\(binary.name)")
    #expect(try RESPWriterTests.pipe(resp, intoPort: second.port) == 0, "\(binary.name)")

    let client = try second.client()
    let recreated = try ServerContents.readAll(from: client)
    #expect(recreated.count == held.count, "\(binary.name): \(recreated.count) keys recreated")
    var byName: [String: CollectedKey] = [:]
    for key in recreated { byName["\(key.database)/\(key.keyHex)"] = key }
    var problems: [String] = []
    func vectors(_ key: CollectedKey?) -> [String] {
      (key?.vectorSet?.elements ?? []).map { $0.nameHex + ":" + $0.vectorHex }.sorted()
    }
    for original in projected
    where vectors(original) != vectors(byName["\(original.database)/\(original.keyHex)"]) {
      problems.append("\(binary.name) resp \(original.keyHex): projected vectors differ")
    }
    for original in held {
      let label = "\(binary.name) resp \(original.database)/\(original.keyHex)"
      guard let copy = byName["\(original.database)/\(original.keyHex)"] else {
        problems.append("\(label): not recreated")
        continue
      }
      if let set = original.vectorSet, let other = copy.vectorSet {
        problems += vectorSetDifferences(set, other, label: label)
      } else if ExpectedComparison.valueText(original) != ExpectedComparison.valueText(copy) {
        problems.append("\(label) value differs")
      }
      if (original.expiresAt == nil) != (copy.expiresAt == nil)
        || abs((original.expiresAt ?? 0) - (copy.expiresAt ?? 0)) > expiryTolerance
      {
        problems.append("\(label) expiry \(original.expiresAt ?? -1) / \(copy.expiresAt ?? -1)")
      }
    }
    #expect(
      problems.isEmpty,
      "\(problems.count) differences:\n\(problems.prefix(20).joined(separator: "\n"))")

    #expect(try client.call("SAVE") == .simple("OK"))
    var saved = RecordCollector()
    _ = try RDBParser().parse(path: second.dumpPath, into: &saved)
    func producers(_ keys: [CollectedKey]) -> [String] {
      keys.compactMap { key in
        key.stream?.idempotency.map { idempotency in
          let settings = "\(idempotency.settings.duration)/\(idempotency.settings.maxSize)"
          return "\(key.keyHex) \(settings) "
            + idempotency.producers.map { producer in
              producer.pidHex + ":" + producer.entries.map { "\($0.iidHex)@\($0.id)" }.joined()
            }.sorted().joined(separator: ";")
        }
      }.sorted()
    }
    #expect(producers(saved.keys) == producers(parsed), "\(binary.name)")
  }

  /// Header, names and attributes exactly; int8 and binary vectors byte for byte; float
  /// vectors and each vector's scale within float rounding (binary sets' norms are not kept).
  static func vectorSetDifferences(
    _ ours: CollectedVectorSet, _ theirs: CollectedVectorSet, label: String
  ) -> [String] {
    guard ours.info == theirs.info else { return ["\(label) header \(ours.info) / \(theirs.info)"] }
    var problems: [String] = []
    let byName = Dictionary(
      theirs.elements.map { ($0.nameHex, $0) }, uniquingKeysWith: { a, _ in a })
    func close(_ a: Float, _ b: Float) -> Bool { abs(a - b) <= 1e-4 * max(1, abs(a)) }
    for element in ours.elements {
      guard let other = byName[element.nameHex] else {
        problems.append("\(label) element \(element.nameHex) missing")
        continue
      }
      if element.attributesHex != other.attributesHex {
        problems.append("\(label) \(element.nameHex) attributes")
      }
      switch ours.info.quantization {
      case .f32:
        let (a, b) = (floats(element.vectorHex), floats(other.vectorHex))
        if a.count != b.count || zip(a, b).contains(where: { !close($0, $1) }) {
          problems.append("\(label) \(element.nameHex) vector \(a) / \(b)")
        }
      case .int8, .binary:
        if element.vectorHex != other.vectorHex {
          problems.append(
            "\(label) \(element.nameHex) vector \(element.vectorHex) / \(other.vectorHex)")
        }
      }
      // What VEMB returns is q · range / 127 · l2 (int8) or v · l2 (f32): a server that
      // normalizes and quantizes the vector again may split the scale another way.
      let scale = element.l2 * (element.range ?? 1)
      let otherScale = other.l2 * (other.range ?? 1)
      if ours.info.quantization != .binary, !close(scale, otherScale) {
        problems.append("\(label) \(element.nameHex) scale \(scale) / \(otherScale)")
      }
    }
    return problems
  }

  /// Little-endian floats from hex.
  static func floats(_ hexText: String) -> [Float] {
    let bytes = RedisRoundTripTests.unhex(hexText)
    return stride(from: 0, to: bytes.count - 3, by: 4).map { index in
      Float(bitPattern: (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[index + $1]) << (8 * $1) })
    }
  }

  static func differences(
    _ ours: CollectedKey, _ theirs: CollectedKey, label: String, client: RESPClient,
    expiryTolerance: Int64
  ) throws -> [String] {
    var problems: [String] = []
    if ours.type != theirs.type { problems.append("\(label) type \(ours.type) / \(theirs.type)") }
    // Without PEXPIRETIME (6.2) the server's expiry is PTTL + TIME, a few ms off.
    if (ours.expiresAt == nil) != (theirs.expiresAt == nil)
      || abs((ours.expiresAt ?? 0) - (theirs.expiresAt ?? 0)) > expiryTolerance
    {
      problems.append("\(label) expiry \(ours.expiresAt ?? -1) / \(theirs.expiresAt ?? -1)")
    }
    let name = RedisRoundTripTests.unhex(ours.keyHex)
    try client.call("SELECT", "\(ours.database)")
    let encoding =
      try client.callBytes([Array("OBJECT".utf8), Array("ENCODING".utf8), name]).text ?? "?"
    if !ExpectedComparison.encodingMatches(ours: ours.encoding, server: encoding, key: ours) {
      problems.append("\(label) encoding \(ours.encoding) / \(encoding)")
    }
    var comparable = ours
    comparable.stream?.idempotency = nil  // the server side is read without it
    let (mine, served) = (
      ExpectedComparison.valueText(comparable), ExpectedComparison.valueText(theirs)
    )
    if mine != served {
      problems.append("\(label) value \(mine.prefix(200)) / \(served.prefix(200))")
    }
    if ours.type == "hash", !ours.fieldExpiries.isEmpty || ours.encoding == "hashtable" {
      problems += try fieldTTLDifferences(ours, name: name, label: label, client: client)
    }
    return problems
  }

  /// Each field's TTL from `HPEXPIRETIME` (-1: none) against the parsed one, on servers
  /// that have the command.
  static func fieldTTLDifferences(
    _ ours: CollectedKey, name: [UInt8], label: String, client: RESPClient
  ) throws -> [String] {
    let fields = ours.pairs.map { RedisRoundTripTests.unhex($0.0) }
    let reply = try client.callBytes(
      [Array("HPEXPIRETIME".utf8), name, Array("FIELDS".utf8), Array("\(fields.count)".utf8)]
        + fields)
    if case .error = reply {
      return ours.fieldExpiries.isEmpty ? [] : ["\(label): no HPEXPIRETIME"]
    }
    var problems: [String] = []
    for (index, answer) in reply.elements.enumerated() {
      let field = ours.pairs[index].0
      let parsed = ours.fieldExpiries[field] ?? -1
      if answer.integer != parsed {
        problems.append("\(label) field \(field) TTL \(parsed) / \(answer.integer ?? -99)")
      }
    }
    return problems
  }

  /// Commands for what `binary` has beyond the base dataset, in database 0.
  static func extras(for binary: ServerBinary, _ random: inout SplitMix64) -> [[[UInt8]]] {
    func words(_ parts: String...) -> [[UInt8]] { parts.map { Array($0.utf8) } }
    let redis8 = binary.engine == .redis && binary.writes.number >= 12
    let fieldTTLs = redis8 || binary.engine == .valkey && binary.writes.magic == .valkey
    var commands: [[[UInt8]]] = [words("SELECT", "0")]
    let future = 4_102_444_800_000 + Int(random.below(1_000_000))
    if fieldTTLs {
      commands.append(words("HSET", "hfe:small", "a", "1", "b", "2", "c", "three", "d", "4"))
      commands.append(words("HPEXPIREAT", "hfe:small", "\(future)", "FIELDS", "2", "a", "c"))
      var big = words("HSET", "hfe:big")
      for index in 0..<300 { big += words("f\(index)", "v\(random.below(100_000))") }
      commands.append(big)
      var expiring = words("HPEXPIREAT", "hfe:big", "\(future + 7)", "FIELDS", "40")
      for index in 0..<40 { expiring += words("f\(index * 7)") }
      commands.append(expiring)
    }
    if redis8 {
      // Redis 8's commands that set field TTLs: HSETEX, and HGETEX that changes them.
      commands.append(
        words(
          "HSETEX", "hfe:hsetex", "PXAT", "\(future + 11)", "FIELDS", "3", "x", "1", "y", "2", "z",
          "3"))
      commands.append(words("HGETEX", "hfe:hsetex", "PERSIST", "FIELDS", "1", "x"))
      commands.append(
        words("HGETEX", "hfe:hsetex", "PXAT", "\(future + 13)", "FIELDS", "1", "z"))
      for (key, option) in [("vset:q8", "Q8"), ("vset:noquant", "NOQUANT"), ("vset:bin", "BIN")] {
        for element in 0..<25 {
          let vector = (0..<6).map { _ in String(Double(random.below(2000)) / 1000 - 1) }
          var command = words("VADD", key, "VALUES", "6") + vector.map { Array($0.utf8) }
          command += words("e\(element)", option)
          if element % 5 == 0 { command += words("SETATTR", "{\"n\":\(element)}") }
          commands.append(command)
        }
      }
      for element in 0..<5 {
        let vector = (0..<6).map { _ in String(Double(random.below(2000)) / 1000 - 1) }
        commands.append(
          words("VADD", "vset:reduce", "REDUCE", "3", "VALUES", "6") + vector.map { Array($0.utf8) }
            + words("r\(element)"))
      }
    }
    if binary.writes.number >= 13, binary.engine == .redis {
      commands.append(words("XADD", "stream:idmp", "*", "n", "first"))
      commands.append(
        words("XCFGSET", "stream:idmp", "IDMP-DURATION", "86400", "IDMP-MAXSIZE", "5"))
      for index in 1...8 {
        commands.append(
          words(
            "XADD", "stream:idmp", "IDMP", "producer-\(index % 2)", "iid-\(index)", "*", "n",
            "\(random.below(1000))"))
      }
    }
    return commands
  }

  /// The extras are in the parse with the forms they were made in.
  static func expectExtrasParsed(_ keys: [CollectedKey], binary: ServerBinary) {
    func key(_ name: String) -> CollectedKey? {
      keys.first { $0.database == 0 && $0.keyHex == hex(Array(name.utf8).span.bytes) }
    }
    let redis8 = binary.engine == .redis && binary.writes.number >= 12
    if redis8 || binary.writes.magic == .valkey {
      #expect(key("hfe:small")?.fieldExpiries.count == 2, "\(binary.name)")
      #expect(key("hfe:big")?.fieldExpiries.count == 40, "\(binary.name)")
    }
    if redis8 {
      #expect(key("hfe:hsetex")?.fieldExpiries.count == 2, "\(binary.name)")
      let quantisations = ["vset:q8", "vset:noquant", "vset:bin"].compactMap {
        key($0)?.vectorSet?.info.quantization.rawValue
      }
      #expect(Set(quantisations).count == 3, "\(binary.name): \(quantisations)")
      #expect(key("vset:reduce")?.vectorSet?.info.projectionInputDimension == 6)
    }
    if binary.engine == .redis, binary.writes.number >= 13 {
      // Two producers; each keeps its last iids, at most 5 in all per producer.
      let producers = key("stream:idmp")?.stream?.idempotency?.producers ?? []
      #expect(producers.count == 2, "\(binary.name)")
      #expect(producers.map(\.entries.count).reduce(0, +) == 8, "\(binary.name)")
    }
  }
}
