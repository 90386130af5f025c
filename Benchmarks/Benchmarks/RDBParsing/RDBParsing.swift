import Benchmark
import RDBBenchSupport
import RDBKit
import SystemPackage

// Parser throughput, allocations per key and peak memory on generated RDB files (see
// BenchmarkInput), plus JSON-lines output, memory estimation, rewrites and CRC-64 alone.
//
// Besides the standard metrics, every parse reports two custom ones per iteration:
// "MB/s" (10^6 bytes of the file per second) and "Mkeys/s" (10^6 keys per second,
// reported ×1000 so that it is an integer: 30000 means 30 M keys/s).
//
// `verify/tiny` runs at two sizes: their .mallocCountTotal must be equal (zero allocations per key).

let parseMetrics: [BenchmarkMetric] = [
  .wallClock, .cpuUser, .mallocCountTotal, .peakMemoryResident,
  megabytesPerSecond, kiloKeysPerSecond,
]
let megabytesPerSecond = BenchmarkMetric.custom(
  "MB/s", polarity: .prefersLarger, useScalingFactor: false)
let kiloKeysPerSecond = BenchmarkMetric.custom(
  "Mkeys/s x1000", polarity: .prefersLarger, useScalingFactor: false)

/// `duration` in seconds.
func seconds(_ duration: Duration) -> Double {
  Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// The parse benchmarks' thresholds: no more mallocs per parse (+50 absolute), peak RSS +25 %,
/// MB/s −15 %.
var parseThresholds: [BenchmarkMetric: BenchmarkThresholds] {
  [
    .mallocCountTotal: .init(absolute: [.p90: 50]),
    .peakMemoryResident: .init(relative: [.p90: 25]),
    megabytesPerSecond: .init(relative: [.p50: 15]),
  ]
}

/// One benchmark that parses `input` with the handler `run` makes, timing each iteration itself
/// for the MB/s and keys/s metrics.
func parseBenchmark(
  _ name: String, _ input: BenchmarkInput, maxIterations: Int = 8,
  thresholds: [BenchmarkMetric: BenchmarkThresholds] = parseThresholds,
  _ run: @escaping @Sendable (borrowing MappedFile) throws -> Void
) {
  nonisolated(unsafe) var path = ""
  Benchmark(
    name,
    configuration: .init(
      metrics: parseMetrics, warmupIterations: 1, maxDuration: .seconds(4),
      maxIterations: maxIterations, thresholds: thresholds),
    closure: { benchmark in
      let clock = ContinuousClock()
      let start = clock.now
      do {
        let file = try MappedFile(path: FilePath(path))
        let bytes = file.count
        try run(file)
        let elapsed = seconds(clock.now - start)
        benchmark.measurement(megabytesPerSecond, Int(Double(bytes) / 1e6 / elapsed))
        benchmark.measurement(kiloKeysPerSecond, Int(Double(input.keyCount) / 1e3 / elapsed))
      } catch {
        benchmark.error("\(name): \(error)")
      }
    },
    setup: { path = try input.path() })
}

/// Opens /dev/null for writing, once per process.
let devNull: FileDescriptor = {
  do {
    return try FileDescriptor.open("/dev/null", .writeOnly)
  } catch {
    fatalError("cannot open /dev/null: \(error)")
  }
}()

let stringInput = BenchmarkInput.strings(megabytes: 128)
let tinySmall = BenchmarkInput.tiny(keys: 250_000)
let tinyLarge = BenchmarkInput.tiny(keys: 2_000_000)
let aggregateInput = BenchmarkInput.aggregates(keys: 400_000)
let bigInput = BenchmarkInput.big(keys: 8, elements: 250_000)
let streamInput = BenchmarkInput.streams(keys: 50, entries: 5_000)
let aggregateHeavyInput = BenchmarkInput.aggregateHeavy(keys: 100_000)
let tinyTTLInput = BenchmarkInput.tinyWithTTL(keys: 1_000_000)

func verify(_ file: borrowing MappedFile) throws {
  var handler = KeyCountAnalyzer()
  try RDBParser().parse(file, into: &handler)
  blackHole(handler.total.keys)
}

func jsonLines(_ file: borrowing MappedFile) throws {
  var writer = JSONLinesWriter(output: OutputBuffer(descriptor: devNull))
  try RDBParser().parse(file, into: &writer)
  try writer.finish()
}

func memoryTop(_ file: borrowing MappedFile) throws {
  var estimator = MemoryEstimator(consumer: TopKeys(limit: 10))
  try RDBParser().parse(file, into: &estimator)
  blackHole(estimator.consumer.largestFirst().count)
}

func stats(_ file: borrowing MappedFile) throws {
  var estimator = MemoryEstimator(consumer: StatsAnalyzer())
  try RDBParser().parse(file, into: &estimator)
  blackHole(estimator.consumer.total.keys)
}

let benchmarks: @Sendable () -> Void = {
  // verify: a full parse with KeyCountAnalyzer, what `rdbtool verify` does.
  parseBenchmark("verify strings 128MiB", stringInput, verify)
  parseBenchmark("verify tiny 250k keys", tinySmall, maxIterations: 20, verify)
  parseBenchmark("verify tiny 2M keys", tinyLarge, verify)
  parseBenchmark("verify aggregates 400k listpack", aggregateInput, verify)
  parseBenchmark("verify big 8x250k hashtable-skiplist-set-quicklist", bigInput, verify)
  parseBenchmark("verify streams 50x5000", streamInput, maxIterations: 20, verify)
  parseBenchmark("verify aggregate-heavy 100k", aggregateHeavyInput, verify)
  parseBenchmark("verify tiny-ttl 1M keys", tinyTTLInput, verify)

  // dump --format jsonl to /dev/null.
  parseBenchmark("jsonl strings 128MiB", stringInput, jsonLines)
  parseBenchmark("jsonl tiny 2M keys", tinyLarge, jsonLines)
  parseBenchmark("jsonl aggregates 400k listpack", aggregateInput, jsonLines)
  parseBenchmark("jsonl aggregate-heavy 100k", aggregateHeavyInput, jsonLines)
  parseBenchmark("jsonl tiny-ttl 1M keys", tinyTTLInput, jsonLines)

  // dump --format jsonl as the CLI runs it on a mapped file, its peak memory bounded
  // (DumpJSONLines.swift).
  dumpBenchmarks()

  // memory (top 10) and stats.
  parseBenchmark("memory strings 128MiB", stringInput, memoryTop)
  parseBenchmark("memory tiny 250k keys", tinySmall, maxIterations: 20, memoryTop)
  parseBenchmark("memory tiny 2M keys", tinyLarge, memoryTop)
  parseBenchmark("memory aggregates 400k listpack", aggregateInput, memoryTop)
  parseBenchmark("stats tiny 2M keys", tinyLarge, stats)
  parseBenchmark("stats aggregates 400k listpack", aggregateInput, stats)
  parseBenchmark("memory aggregate-heavy 100k", aggregateHeavyInput, memoryTop)
  parseBenchmark("stats aggregate-heavy 100k", aggregateHeavyInput, stats)
  parseBenchmark("memory tiny-ttl 1M keys", tinyTTLInput, memoryTop)
  parseBenchmark("stats tiny-ttl 1M keys", tinyTTLInput, stats)

  // rewrite: the same version through a filter, and to RDB 9 (Rewriting.swift).
  rewriteBenchmarks()

  // CRC-64 alone over 64 MiB.
  nonisolated(unsafe) var crcBuffer: [UInt8] = []
  Benchmark(
    "CRC64.update 64MiB",
    configuration: .init(
      metrics: [.wallClock, .cpuUser, .mallocCountTotal, megabytesPerSecond],
      warmupIterations: 2, maxDuration: .seconds(3), maxIterations: 30,
      thresholds: [megabytesPerSecond: .init(relative: [.p50: 15])]),
    closure: { benchmark in
      let clock = ContinuousClock()
      let start = clock.now
      let crc = CRC64.update(0, crcBuffer.span.bytes)
      let elapsed = seconds(clock.now - start)
      blackHole(crc)
      benchmark.measurement(megabytesPerSecond, Int(Double(crcBuffer.count) / 1e6 / elapsed))
    },
    setup: {
      var random = SplitMix(seed: 64)
      crcBuffer = (0..<(64 << 20)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    })
}
