import Foundation

/// The generated RDB inputs of the benchmarks, each written once into a temporary directory
/// (`$TMPDIR/rdbkit-bench-v<generator>/`) and reused by later runs and benchmark processes.
///
/// The data are a pure function of the case: a fixed-seed generator, no clock. The files are
/// written by RDBKit's `RDBWriter` (through ``InputWriter``) for Redis 7.2 (RDB 11), so each
/// value is in the encoding such a server would hold it in.
public enum BenchmarkInput: Sendable, Hashable {
  /// Strings of 100 B – 10 KB (log-uniform), half random bytes, half LZF-compressed text;
  /// 20 % with an expiry; about `megabytes` MiB of values.
  case strings(megabytes: Int)
  /// `keys` string keys `k:<n>` with short values, half of them integers.
  case tiny(keys: Int)
  /// `keys` small aggregates, a quarter each: listpack hashes (2–20 fields), listpack sets or
  /// intsets (2–20 members), listpack sorted sets (2–20 members), quicklist lists (2–50).
  case aggregates(keys: Int)
  /// `keys` large values, a quarter each: hash tables of `elements` fields, skiplist sorted
  /// sets of `elements` members, hash table sets of `elements` members, quicklists of
  /// `elements` elements (8 KiB nodes).
  case big(keys: Int, elements: Int)
  /// `keys` streams of `entries` entries (3 fields each, 100 per node, one group).
  case streams(keys: Int, entries: Int)
  /// `keys` keys shaped like `make compare`'s aggregates.rdb: one in eight a hash table or
  /// skiplist of 129–4,096 entries (most near 129), the rest small aggregates as in
  /// ``aggregates(keys:)``; hash values of 1–60 bytes, a third text over 20 bytes (which the
  /// writer LZF-compresses in a hash table).
  case aggregateHeavy(keys: Int)
  /// `keys` tiny strings shaped like `make compare`'s ttltiny.rdb: 40 % `sess:<n>` holding 16–32
  /// hex digits, 40 % `cnt:<n>` holding an integer, 20 % `tok:<n>` holding a 4–12 byte token;
  /// one in ten with an expiry.
  case tinyWithTTL(keys: Int)

  /// Bump when the bytes a case produces change, so that cached files are rebuilt.
  /// (3: written by RDBKit's RDBWriter instead of a writer of the benchmarks' own.)
  /// (4: the aggregate-heavy and tiny-with-TTL cases; the others' bytes are unchanged.)
  public static let generatorVersion = 4

  /// A short name, used for the cached file.
  public var name: String {
    switch self {
    case .strings(let megabytes): "strings-\(megabytes)MiB"
    case .tiny(let keys): "tiny-\(keys)"
    case .aggregates(let keys): "aggregates-\(keys)"
    case .big(let keys, let elements): "big-\(keys)x\(elements)"
    case .streams(let keys, let entries): "streams-\(keys)x\(entries)"
    case .aggregateHeavy(let keys): "aggregate-heavy-\(keys)"
    case .tinyWithTTL(let keys): "tiny-ttl-\(keys)"
    }
  }

  /// The number of keys the file holds.
  public var keyCount: Int {
    switch self {
    case .strings: Self.stringPlan(megabytes: stringMegabytes).count
    case .tiny(let keys), .aggregates(let keys), .big(let keys, _), .streams(let keys, _),
      .aggregateHeavy(let keys), .tinyWithTTL(let keys):
      keys
    }
  }

  private var stringMegabytes: Int {
    if case .strings(let megabytes) = self { return megabytes }
    return 0
  }

  /// The path of the file, written first if it is not there yet (into a temporary sibling,
  /// renamed into place when complete, so that a concurrent or interrupted run never leaves
  /// half a file under the final name).
  public func path() throws -> String {
    let directory = URL(fileURLWithPath: NSTemporaryDirectory())
      .appendingPathComponent("rdbkit-bench-v\(Self.generatorVersion)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let file = directory.appendingPathComponent("\(name).rdb")
    if FileManager.default.fileExists(atPath: file.path) { return file.path }
    let partial = directory.appendingPathComponent("\(name).rdb.tmp-\(getpid())")
    do {
      try InputWriter.write(to: partial.path, target: InputWriter.redis72) { writer in
        try writeKeys(into: &writer)
      }
    } catch {
      unlink(partial.path)
      throw error
    }
    guard rename(partial.path, file.path) == 0 else {
      unlink(partial.path)
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
    }
    return file.path
  }

  /// Value lengths for `.strings`: log-uniform in 100 B – 10 KB until `megabytes` MiB.
  static func stringPlan(megabytes: Int) -> [Int] {
    var random = SplitMix(seed: 42)
    var lengths: [Int] = []
    var total = 0
    while total < megabytes << 20 {
      let unit = Double(random.next() >> 11) / Double(1 << 53)
      let length = Int(100 * pow(100, unit))
      lengths.append(length)
      total += length
    }
    return lengths
  }
}
