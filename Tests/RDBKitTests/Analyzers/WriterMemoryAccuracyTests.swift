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
    guard let server = try RedisServer.seeded(name) else { return }
    defer { server.stop() }
    let client = try server.client()

    var estimator = MemoryEstimator(consumer: KeyMemoryCollector(), allocator: .system)
    try RDBParser().parse(path: server.dumpPath, into: &estimator)
    let reports = estimator.consumer.reports
    let samples = try LoadedMemoryAccuracyTests.samples(reports, client: client)
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
    for figures in LoadedMemoryAccuracyTests.figuresByType(samples) {
      print(
        String(
          format: "writer memory | %@ | %-22@ | keys %4d | median %5.2f %% | p95 %5.2f %%",
          name as NSString, figures.type as NSString, figures.count, figures.median, figures.p95))
    }
    LoadedMemoryAccuracyTests.printWorst(samples, label: name, count: 12, above: 0.01)
  }
}
