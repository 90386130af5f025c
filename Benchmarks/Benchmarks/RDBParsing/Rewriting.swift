import Benchmark
import RDBBenchSupport
import RDBKit

// `rdbtool rewrite` without the file: RDBParser → KeyFilter → RDBWriter → /dev/null, so the
// figures are the parse and the encoding alone (the CLI also writes the file, fsyncs it and
// parses it again before renaming it; `make compare` times all of that).

/// Keeps every key of the inputs, but is a filter all the same (`--exclude-match 'nomatch:*'`):
/// the writer leaves out the size hints, as the CLI does when keys are filtered.
let excludeNothing: KeySelection = {
  var selection = KeySelection()
  selection.excludedGlobs = [GlobPattern("nomatch:*")]
  return selection
}()

/// Redis 6.2 (RDB 9): listpacks become ziplists, listpack sets hash tables or intsets, type-21
/// streams type 15 (losing what type 15 cannot hold, which the benchmark ignores).
let redis62: TargetEngine = {
  guard let engine = TargetEngine.named("redis-6.2") else {
    preconditionFailure("RDBKit has no redis-6.2 target")
  }
  return engine
}()

/// Rewrites `file` for `target` (nil: the input's own version) through the `excludeNothing`
/// filter, as `rdbtool rewrite [--target NAME] --exclude-match 'nomatch:*'` does.
func rewrite(_ file: borrowing MappedFile, target: TargetEngine?) throws {
  var options = RDBWriter.Options(target: target)
  options.writesSizeHints = false
  let writer = RDBWriter(output: OutputBuffer(descriptor: devNull), options: options)
  var filter = KeyFilter(writer, selection: excludeNothing)
  try RDBParser().parse(file, into: &filter)
  try filter.next.finish()
  blackHole(filter.next.keysWritten)
}

/// The rewrite benchmarks: each input kept at its version (RDB 11), and each rewritten for
/// Redis 6.2 (RDB 9).
func rewriteBenchmarks() {
  let sameVersion: @Sendable (borrowing MappedFile) throws -> Void = {
    try rewrite($0, target: nil)
  }
  let toRDB9: @Sendable (borrowing MappedFile) throws -> Void = {
    try rewrite($0, target: redis62)
  }
  let cases: [(String, BenchmarkInput, Int)] = [
    ("strings 128MiB", stringInput, 8),
    ("tiny 2M keys", tinyLarge, 8),
    ("aggregates 400k listpack", aggregateInput, 8),
    ("big 8x250k hashtable-skiplist-set-quicklist", bigInput, 8),
    ("streams 50x5000", streamInput, 20),
  ]
  for (name, input, iterations) in cases {
    parseBenchmark(
      "rewrite \(name)", input, maxIterations: iterations, thresholds: rewriteThresholds,
      sameVersion)
  }
  for (name, input, iterations) in cases {
    parseBenchmark(
      "rewrite to RDB 9 \(name)", input, maxIterations: iterations,
      thresholds: rewriteThresholds, toRDB9)
  }
}

/// The writer allocates per key where a value must be ordered or checked before it is
/// written (a sorted set's order, a set's integer test), so its malloc count is held to
/// +10 % rather than to the parser's flat +50.
var rewriteThresholds: [BenchmarkMetric: BenchmarkThresholds] {
  [
    .mallocCountTotal: .init(relative: [.p90: 10]),
    .peakMemoryResident: .init(relative: [.p90: 25]),
    megabytesPerSecond: .init(relative: [.p50: 15]),
  ]
}
