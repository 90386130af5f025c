import RDBKit

/// Random data sets for the writer's property test: keys of every type in every size class
/// that decides an encoding (counts and element lengths on each side of the listpack, ziplist
/// and intset thresholds of every target), integers at every encoding boundary, empty and
/// binary strings, elements over 8 KiB (PLAIN quicklist nodes), hash field TTLs, special
/// sorted-set scores, and streams with groups, consumers and pending entries.
struct RandomDataSet {
  var keys: [GeneratedKey] = []

  /// Integers at the boundaries of the listpack, ziplist, intset and RDB string forms.
  static let boundaryIntegers: [Int64] = [
    0, 1, 12, 13, 127, 128, -1, -128, -129, 4095, 4096, -4096, -4097, 32767, 32768, -32768,
    -32769, 8_388_607, 8_388_608, -8_388_608, -8_388_609, 2_147_483_647, 2_147_483_648,
    -2_147_483_648, -2_147_483_649, .max, .min,
  ]

  /// Counts on each side of the thresholds (128 and 512 entries, the first length forms).
  static let counts = [63, 64, 100, 127, 128, 129, 511, 512, 513]

  /// Element lengths on each side of the 64-byte value limit and the 8 KiB node size.
  static let lengths = [0, 1, 5, 20, 21, 63, 64, 65, 200, 4096, 8191, 8192, 8193, 9000]

  /// Scores a sorted set must carry exactly, whatever its encoding.
  static let scores: [Double] = [
    .infinity, -.infinity, -0.0, 0.0, 1e-300, -1e-300, 1, -1, 3, 0.1, 1.5, -2.25, 1e15,
    9_007_199_254_740_992, 9_007_199_254_740_994, 1e300, .leastNonzeroMagnitude,
    .greatestFiniteMagnitude,
  ]

  /// A data set of 3 to 8 keys in databases 0, 1 and 9, names unique per database.
  static func make(_ random: inout SplitMix64) -> RandomDataSet {
    var set = RandomDataSet()
    let count = 3 + random.below(6)
    for index in 0..<count {
      let database = [0, 0, 0, 1, 9][random.below(5)]
      var key = GeneratedKey(
        database: database, name: utf8("key:\(index)"), value: value(&random))
      if random.below(4) == 0 { key.expiresAt = expiry(&random) }
      switch random.below(8) {
      case 0: key.idleSeconds = random.next() % 1_000_000
      case 1: key.frequency = UInt8(truncatingIfNeeded: random.next())
      default: break
      }
      set.keys.append(key)
    }
    set.keys.sort { $0.database < $1.database }
    return set
  }

  /// An expiry in Unix ms: before and after 2038, whole seconds or not.
  static func expiry(_ random: inout SplitMix64) -> Int64 {
    let base: Int64 = random.below(2) == 0 ? 1_700_000_000_000 : 4_102_444_800_000
    let milliseconds = Int64(random.below(1_000_000_000))
    return random.below(2) == 0 ? base + milliseconds / 1000 * 1000 : base + milliseconds
  }

  static func value(_ random: inout SplitMix64) -> GeneratedValue {
    switch random.below(6) {
    case 0: return .string(element(&random))
    case 1:
      // Long elements only in short lists, so that a data set stays small.
      let length = count(&random)
      return .list((0..<length).map { _ in element(&random, long: length <= 16) })
    case 2: return .set(members(&random))
    case 3:
      return .sortedSet(
        members(&random).map { ScoredMember(member: $0, score: score(&random)) })
    case 4: return .hash(fields(&random))
    default: return .stream(RandomStream.make(&random))
    }
  }

  /// A count: mostly under 8 (empty included), sometimes up to 40, one in 20 from ``counts``
  /// (``WriterThresholdTests`` crosses each target's thresholds exactly).
  static func count(_ random: inout SplitMix64) -> Int {
    switch random.below(20) {
    case 0: return counts[random.below(counts.count)]
    case 1, 2, 3: return 8 + random.below(33)
    default: return random.below(8)
    }
  }

  /// Distinct members: all integers (an intset candidate) or mixed elements.
  static func members(_ random: inout SplitMix64) -> [[UInt8]] {
    let wanted = count(&random)
    let integers = random.below(3) == 0
    var seen: Set<[UInt8]> = []
    var members: [[UInt8]] = []
    for attempt in 0..<(wanted * 2 + 4) where members.count < wanted {
      var member = integers ? integer(&random) : element(&random, long: false)
      if !seen.insert(member).inserted {
        member = integers ? utf8(String(attempt * 7919 + 100_000)) : member + utf8("#\(attempt)")
        guard seen.insert(member).inserted else { continue }
      }
      members.append(member)
    }
    return members
  }

  /// Distinct fields with values; some fields get a TTL.
  static func fields(_ random: inout SplitMix64) -> [HashField] {
    let withTTLs = random.below(3) == 0
    let names = members(&random)
    return names.map { name in
      let expiresAt =
        withTTLs && random.below(2) == 0
        ? 1_800_000_000_000 + Int64(random.below(1 << 30)) : nil
      let value = element(&random, long: names.count <= 16)
      return HashField(field: name, value: value, expiresAt: expiresAt)
    }
  }

  static func score(_ random: inout SplitMix64) -> Double {
    switch random.below(3) {
    case 0: return scores[random.below(scores.count)]
    case 1: return Double(Int(random.below(2001)) - 1000)
    default:
      return Double(bitPattern: random.next() & 0x7FEF_FFFF_FFFF_FFFF)
        * (random.below(2) == 0 ? 1 : -1)
    }
  }

  /// A boundary integer, a random one, or a neighbour of a boundary, as text.
  static func integer(_ random: inout SplitMix64) -> [UInt8] {
    switch random.below(3) {
    case 0: return utf8(String(boundaryIntegers[random.below(boundaryIntegers.count)]))
    case 1: return utf8(String(Int64(bitPattern: random.next())))
    default: return utf8(String(Int(random.below(20_000)) - 10_000))
    }
  }

  /// One element: an integer, short text, empty, binary, non-canonical digits, or a length
  /// from ``lengths`` (`long` false keeps it at most 65 bytes, as members often are).
  static func element(_ random: inout SplitMix64, long: Bool = true) -> [UInt8] {
    switch random.below(long ? 8 : 7) {
    case 0: return integer(&random)
    case 1: return []
    case 2:
      return (0..<(1 + random.below(12))).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    case 3: return utf8(["007", "-0", "+1", " 1", "1.0", "0x1F"][random.below(6)])
    case 4: return text(length: [63, 64, 65][random.below(3)], &random)
    case 7: return text(length: lengths[random.below(lengths.count)], &random)
    default: return text(length: 1 + random.below(10), &random)
    }
  }

  /// `length` bytes of lowercase text: a run of 7 letters repeated (a plain loop, which a
  /// debug build runs much faster than `map` over a range).
  static func text(length: Int, _ random: inout SplitMix64) -> [UInt8] {
    let start = UInt8(0x61 + random.below(26))
    var bytes = [UInt8](repeating: start, count: length)
    var index = 0
    while index < length {
      bytes[index] = start &+ UInt8(index % 7)
      index += 1
    }
    return bytes
  }
}
