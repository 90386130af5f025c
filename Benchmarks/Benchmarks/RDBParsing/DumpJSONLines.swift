import Benchmark
import RDBBenchSupport
import RDBKit
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

// `rdbtool dump --format jsonl` of a mapped file without the CLI: RDBParser → KeyFilter (the
// CLI's default selection: empty keys left out) → JSONLinesWriter batching with a
// JSONLinesBatcher (keys of some size formatted on a second thread) → /dev/null. Each iteration
// is held to issue 14's bound on dump's peak resident memory, on every input shape.

/// Issue 14's bound on the memory a dump adds at its peak: 64 MiB plus the largest element,
/// here the largest string of `strings` (10 KB; every other input's elements are smaller).
let dumpPeakLimit = (64 << 20) + 10_000

/// A dump whose resident memory grew past ``dumpPeakLimit``.
struct DumpPeakOverLimit: Error, CustomStringConvertible {
  var grown: Int
  var description: String {
    "peak resident memory grew by \(grown >> 20) MiB, over the limit of \(dumpPeakLimit >> 20) MiB"
  }
}

/// The process's resident memory as /proc/self/status gives it (Linux).
enum ResidentMemory {
  /// Starts a new peak (`VmHWM`) at the current resident size: writes 5 to
  /// /proc/self/clear_refs.
  static func restartPeak() throws {
    let descriptor = try FileDescriptor.open("/proc/self/clear_refs", .writeOnly)
    defer { try? descriptor.close() }
    _ = try descriptor.writeAll("5".utf8)
  }

  /// The bytes of `field` (`VmRSS`, now; `VmHWM`, the peak since ``restartPeak()``).
  static func bytes(_ field: String) throws -> Int {
    let descriptor = try FileDescriptor.open("/proc/self/status", .readOnly)
    defer { try? descriptor.close() }
    let text = try [UInt8](unsafeUninitializedCapacity: 8192) { buffer, count in
      count = try descriptor.read(into: UnsafeMutableRawBufferPointer(buffer))
    }
    for line in String(decoding: text, as: UTF8.self).split(separator: "\n")
    where line.hasPrefix(field + ":") {
      let number = line.dropFirst(field.count + 1).filter(\.isNumber)
      if let kilobytes = Int(number) { return kilobytes << 10 }
    }
    throw Errno.noData
  }
}

/// Dumps `file` as `rdbtool dump --format jsonl FILE -o /dev/null` does (``JSONLinesBatcher``,
/// as for a mapped file) and throws ``DumpPeakOverLimit`` when the process's resident memory grew
/// past ``dumpPeakLimit`` meanwhile.
func dumpJSONLines(_ file: borrowing MappedFile) throws {
  try ResidentMemory.restartPeak()
  let before = try ResidentMemory.bytes("VmRSS")
  let output = OutputBuffer(descriptor: devNull, writesInBackground: true)
  var selection = KeySelection()
  selection.skipsEmptyKeys = true
  var filter = KeyFilter(JSONLinesWriter(output: output, style: .utf8), selection: selection)
  guard let base = unsafe file.withUnsafeBytes({ $0.baseAddress }),
    let batcher = unsafe JSONLinesBatcher(output: output, style: .utf8, base: base)
  else { throw Errno.resourceTemporarilyUnavailable }
  filter.next.batch(with: batcher)
  try RDBParser().parse(file, into: &filter)
  batcher.settle()
  filter.next.batch(with: nil)
  try filter.next.finish()
  let grown = try ResidentMemory.bytes("VmHWM") - before
  guard grown <= dumpPeakLimit else { throw DumpPeakOverLimit(grown: grown) }
}

/// The dump benchmarks' thresholds: peak RSS +25 % and MB/s −15 % against the baseline, as
/// the parses; mallocs +10 %, as the rewrites (batches are copied and formatted where the
/// threads' timing puts them).
var dumpThresholds: [BenchmarkMetric: BenchmarkThresholds] {
  [
    .mallocCountTotal: .init(relative: [.p90: 10]),
    .peakMemoryResident: .init(relative: [.p90: 25]),
    megabytesPerSecond: .init(relative: [.p50: 15]),
  ]
}

/// `dump jsonl` on every input shape.
func dumpBenchmarks() {
  let cases: [(String, BenchmarkInput, Int)] = [
    ("strings 128MiB", stringInput, 8),
    ("tiny 2M keys", tinyLarge, 8),
    ("aggregates 400k listpack", aggregateInput, 8),
    ("big 8x250k hashtable-skiplist-set-quicklist", bigInput, 8),
    ("streams 50x5000", streamInput, 20),
    ("aggregate-heavy 100k", aggregateHeavyInput, 8),
    ("tiny-ttl 1M keys", tinyTTLInput, 8),
  ]
  for (name, input, iterations) in cases {
    parseBenchmark(
      "dump jsonl \(name)", input, maxIterations: iterations, thresholds: dumpThresholds,
      dumpJSONLines)
  }
}
