import Foundation

/// The generated RDB inputs of the benchmarks, each written once into a temporary directory
/// (`$TMPDIR/rdbkit-bench-v<generator>/`) and reused by later runs and benchmark processes.
///
/// The data are a pure function of the case: a fixed-seed generator, no clock.
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
  /// `elements` elements.
  case big(keys: Int, elements: Int)
  /// `keys` streams of `entries` entries (3 fields each, 100 per node, one group).
  case streams(keys: Int, entries: Int)

  /// Bump when the bytes a case produces change, so that cached files are rebuilt.
  public static let generatorVersion = 2

  /// A short name, used for the cached file.
  public var name: String {
    switch self {
    case .strings(let megabytes): "strings-\(megabytes)MiB"
    case .tiny(let keys): "tiny-\(keys)"
    case .aggregates(let keys): "aggregates-\(keys)"
    case .big(let keys, let elements): "big-\(keys)x\(elements)"
    case .streams(let keys, let entries): "streams-\(keys)x\(entries)"
    }
  }

  /// The number of keys the file holds.
  public var keyCount: Int {
    switch self {
    case .strings: Self.stringPlan(megabytes: stringMegabytes).count
    case .tiny(let keys), .aggregates(let keys), .big(let keys, _), .streams(let keys, _): keys
    }
  }

  private var stringMegabytes: Int {
    if case .strings(let megabytes) = self { return megabytes }
    return 0
  }

  /// The path of the file, written first if it is not there yet.
  public func path() throws -> String {
    let directory = URL(fileURLWithPath: NSTemporaryDirectory())
      .appendingPathComponent("rdbkit-bench-v\(Self.generatorVersion)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let file = directory.appendingPathComponent("\(name).rdb")
    if FileManager.default.fileExists(atPath: file.path) { return file.path }
    let image = makeImage()
    let partial = directory.appendingPathComponent("\(name).rdb.tmp-\(getpid())")
    try Data(image).write(to: partial)
    guard rename(partial.path, file.path) == 0 else {
      unlink(partial.path)
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
    }
    return file.path
  }

  /// The RDB image, built in memory.
  public func makeImage() -> [UInt8] {
    var random = SplitMix(seed: 0x5EED_0000 &+ UInt64(name.utf8.reduce(0) { $0 &* 31 &+ Int($1) }))
    switch self {
    case .strings(let megabytes):
      let plan = Self.stringPlan(megabytes: megabytes)
      let pools = Pools.shared
      var writer = RDBImageWriter(reserving: megabytes << 20 + plan.count * 32)
      writer.beginDatabase(0, keys: plan.count, expires: plan.count / 5)
      for (index, length) in plan.enumerated() {
        if index % 5 == 0 { writer.expiry(milliseconds: 4_102_444_800_000 + Int64(index)) }
        let key = Array("s:\(index)".utf8)
        if index % 2 == 0 {
          writer.stringKey(key, value: pools.random(length, &random))
        } else {
          writer.compressedStringKey(key, value: pools.text(length, &random))
        }
      }
      return writer.finish()

    case .tiny(let keys):
      var writer = RDBImageWriter(reserving: keys * 20)
      writer.beginDatabase(0, keys: keys, expires: 0)
      for index in 0..<keys {
        let value = index % 2 == 0
          ? Array(String(random.next() % 1_000_000).utf8)
          : Array("v\(random.next() % 100_000_000)".utf8)
        writer.stringKey(Array("k:\(index)".utf8), value: value)
      }
      return writer.finish()

    case .aggregates(let keys):
      let pools = Pools.shared
      var writer = RDBImageWriter(reserving: keys * 200)
      writer.beginDatabase(0, keys: keys, expires: 0)
      for index in 0..<keys {
        let count = 2 + Int(random.next() % 19)
        switch index % 4 {
        case 0:
          writer.listpackHashKey(
            Array("hash:\(index)".utf8),
            fields: (0..<count).map { (Array("f\($0)".utf8), pools.member(&random)) })
        case 1:
          if index % 8 == 1 {
            writer.intsetKey(Array("set:\(index)".utf8), members: (0..<count).map { Int64($0 * 7 + 1) })
          } else {
            writer.listpackSetKey(Array("set:\(index)".utf8), members: (0..<count).map { Array("m\($0):\(index)".utf8) })
          }
        case 2:
          writer.listpackSortedSetKey(
            Array("zset:\(index)".utf8),
            members: (0..<count).map { (Array("m\($0)".utf8), Int64(random.next() % 100_000)) })
        default:
          let elements = 2 + Int(random.next() % 49)
          writer.quicklistKey(Array("list:\(index)".utf8), elements: (0..<elements).map { _ in pools.member(&random) })
        }
      }
      return writer.finish()

    case .big(let keys, let elements):
      let pools = Pools.shared
      var writer = RDBImageWriter(reserving: keys * elements * 40)
      writer.beginDatabase(0, keys: keys, expires: 0)
      for index in 0..<keys {
        switch index % 4 {
        case 0:
          writer.hashTableKey(
            Array("bighash:\(index)".utf8),
            fields: (0..<elements).map { (Array("field:\($0)".utf8), pools.member(&random)) })
        case 1:
          writer.sortedSetKey(
            Array("bigzset:\(index)".utf8),
            members: (0..<elements).map { (Array("member:\($0)".utf8), Double(random.next() % 1_000_000) / 7) })
        case 2:
          writer.setKey(Array("bigset:\(index)".utf8), members: (0..<elements).map { Array("member:\($0)".utf8) })
        default:
          writer.quicklistKey(Array("biglist:\(index)".utf8), elements: (0..<elements).map { _ in pools.member(&random) })
        }
      }
      return writer.finish()

    case .streams(let keys, let entries):
      let fields = [Array("sensor".utf8), Array("value".utf8), Array("note".utf8)]
      var writer = RDBImageWriter(reserving: keys * entries * 40)
      writer.beginDatabase(0, keys: keys, expires: 0)
      for index in 0..<keys {
        writer.streamKey(Array("stream:\(index)".utf8), entryCount: entries, fields: fields) { entry, field in
          switch field {
          case 0: Array("s\(entry % 50)".utf8)
          case 1: Array(String(entry &* 7919 % 100_000).utf8)
          default: Array("reading number \(entry)".utf8)
          }
        }
      }
      return writer.finish()
    }
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

/// SplitMix64: a small, fast, seedable generator.
public struct SplitMix: RandomNumberGenerator, Sendable {
  private var state: UInt64
  public init(seed: UInt64) { state = seed }
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// 4 MiB of random bytes and 4 MiB of word-like text to slice values from.
final class Pools: Sendable {
  static let shared = Pools()
  static let size = 4 << 20
  let randomPool: [UInt8]
  let textPool: [UInt8]

  private init() {
    var random = SplitMix(seed: 7)
    var bytes = [UInt8](repeating: 0, count: Self.size)
    for index in stride(from: 0, to: Self.size, by: 8) {
      let word = random.next()
      for offset in 0..<8 { bytes[index + offset] = UInt8((word >> UInt64(8 * offset)) & 0xFF) }
    }
    randomPool = bytes
    let letters = Array("abcdefghijklmnopqrstuvwxyz".utf8)
    let words: [[UInt8]] = (0..<400).map { _ in
      (0..<(2 + Int(random.next() % 8))).map { _ in letters[Int(random.next() % 26)] }
    }
    var text: [UInt8] = []
    text.reserveCapacity(Self.size + 16)
    while text.count < Self.size {
      text += words[Int(random.next() % 400)]
      text.append(random.next() % 12 == 0 ? UInt8(ascii: ".") : UInt8(ascii: " "))
    }
    textPool = Array(text[0..<Self.size])
  }

  func random(_ length: Int, _ generator: inout SplitMix) -> [UInt8] {
    let start = Int(generator.next() % UInt64(Self.size - length))
    return Array(randomPool[start..<start + length])
  }

  func text(_ length: Int, _ generator: inout SplitMix) -> [UInt8] {
    let start = Int(generator.next() % UInt64(Self.size - length))
    return Array(textPool[start..<start + length])
  }

  /// A short member or field value: an integer, a word run, or random bytes (4–24 B).
  func member(_ generator: inout SplitMix) -> [UInt8] {
    let kind = generator.next() % 10
    if kind < 3 { return Array(String(generator.next() % 1_000_000_000).utf8) }
    let length = 4 + Int(generator.next() % 21)
    return kind < 7 ? text(length, &generator) : random(length, &generator)
  }
}
