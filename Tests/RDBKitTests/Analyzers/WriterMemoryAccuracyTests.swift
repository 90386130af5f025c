import Foundation
import RDBKit
import Testing

/// The memory estimate of the newest servers' own dumps against what they answer: each server
/// builds the seeded round-trip dataset (every type and encoding, field TTLs, vector sets of
/// each quantisation, streams with groups and idempotent producers where it has them) and the
/// large collections of ``LoadedMemoryAccuracyTests/datasetCommands()``, saves, and answers
/// `MEMORY USAGE key SAMPLES 0` for every key; the estimate from its file, with the model the
/// file names and Debian's jemalloc, must be within 1 % at the median and 3 % at p95 per server,
/// as ``MemoryAccuracyTests`` holds the fixtures (each type's figures are printed; with three
/// keys of a type, one per database, a type's median follows the random hash seed). Valkey 8.1,
/// which has no fixtures, is measured only here.
@Suite(.serialized) struct WriterMemoryAccuracyTests {
  static let servers = ["redis-8.0", "redis-8.6", "valkey-8.1", "valkey-9.1"]

  @Test(arguments: servers)
  func estimatesMatchTheWritingServer(_ name: String) throws {
    guard let binary = ServerCatalog.server(name) else {
      print("skipped \(name): \(ServerCatalog.missingReason(name) ?? "not available")")
      return
    }
    let server = try RedisServer(binary: binary)
    defer { server.stop() }
    let client = try server.client()
    var random = SplitMix64(seed: EveryServerRoundTripTests.seed)
    var commands = RedisRoundTripTests.dataset(&random)
    commands += EveryServerRoundTripTests.extras(for: binary, &random)
    let replies = try client.pipeline(commands)
    let errors = replies.filter { if case .error = $0 { true } else { false } }
    try #require(errors.isEmpty, "\(name) setup errors: \(errors.prefix(3))")
    #expect(try client.call("SAVE") == .simple("OK"))

    var estimator = MemoryEstimator(consumer: KeyMemoryCollector(), allocator: .system)
    try RDBParser().parse(path: server.dumpPath, into: &estimator)
    var samples: [LoadedMemoryAccuracyTests.Sample] = []
    let reports = estimator.consumer.reports
    for database in Set(reports.map(\.database)).sorted() {
      _ = try client.call("SELECT", "\(database)")
      let inDatabase = reports.filter { $0.database == database }
      let answers = try client.pipeline(
        inDatabase.map {
          [
            Array("MEMORY".utf8), Array("USAGE".utf8), $0.key, Array("SAMPLES".utf8),
            Array("0".utf8),
          ]
        })
      for (report, answer) in zip(inDatabase, answers) {
        guard case .integer(let actual) = answer else { continue }
        samples.append(
          .init(
            type: "\(report.typeName)/\(report.encoding)",
            key: String(decoding: report.key, as: UTF8.self), estimate: report.sizeInBytes,
            actual: Int(actual)))
      }
    }
    #expect(samples.count == reports.count, "\(name): \(samples.count) of \(reports.count) keys")
    #expect(samples.count >= 90, "\(name): only \(samples.count) keys")
    let all = samples.map(\.error).sorted()
    let median = MemoryAccuracyTests.percentile(all, 0.5) * 100
    let p95 = MemoryAccuracyTests.percentile(all, 0.95) * 100
    print(
      String(
        format: "writer memory | %@ | keys %4d | median %5.2f %% | p95 %5.2f %%", name as NSString,
        samples.count, median, p95))
    #expect(median <= 1, "\(name): median \(median) %")
    #expect(p95 <= 3, "\(name): p95 \(p95) %")
    for type in Set(samples.map(\.type)).sorted() {
      let errors = samples.filter { $0.type == type }.map(\.error).sorted()
      let median = MemoryAccuracyTests.percentile(errors, 0.5) * 100
      let p95 = MemoryAccuracyTests.percentile(errors, 0.95) * 100
      print(
        String(
          format: "writer memory | %@ | %-22@ | keys %4d | median %5.2f %% | p95 %5.2f %%",
          name as NSString, type as NSString, errors.count, median, p95))
    }
    for sample in samples.sorted(by: { $0.error > $1.error }).prefix(12) where sample.error > 0.01 {
      print(
        "  worst | \(name) | \(sample.type) | \(sample.key) | estimate \(sample.estimate), "
          + "server \(sample.actual)")
    }
  }
}
