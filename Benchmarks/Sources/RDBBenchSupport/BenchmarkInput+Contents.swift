import Foundation

/// What each input holds: its database, its keys and their values, in file order.
extension BenchmarkInput {
  /// Writes the input's database 0 and its keys into `writer`; the values come from a
  /// generator seeded with the input's name, in the same order for every run.
  func writeKeys(into writer: inout InputWriter) throws {
    // The name's hash as its bits: it is negative for some names (aggregate-heavy, tiny-ttl),
    // which UInt64(_:) refused with a trap.
    let hash = name.utf8.reduce(0) { $0 &* 31 &+ Int($1) }
    var random = SplitMix(seed: 0x5EED_0000 &+ UInt64(bitPattern: Int64(hash)))
    let pools = Pools.shared
    switch self {
    case .strings(let megabytes):
      let plan = Self.stringPlan(megabytes: megabytes)
      try writer.beginDatabase(0, keys: plan.count, expires: plan.count / 5)
      for (index, length) in plan.enumerated() {
        let expiry = index % 5 == 0 ? 4_102_444_800_000 + Int64(index) : nil
        // Random bytes do not compress: the writer tries LZF and stores them raw.
        let value = index % 2 == 0 ? pools.random(length, &random) : pools.text(length, &random)
        try writer.string(Array("s:\(index)".utf8), value: value, expiresAt: expiry)
      }

    case .tiny(let keys):
      try writer.beginDatabase(0, keys: keys, expires: 0)
      for index in 0..<keys {
        let value =
          index % 2 == 0
          ? Array(String(random.next() % 1_000_000).utf8)
          : Array("v\(random.next() % 100_000_000)".utf8)
        try writer.string(Array("k:\(index)".utf8), value: value)
      }

    case .aggregates(let keys):
      try writer.beginDatabase(0, keys: keys, expires: 0)
      for index in 0..<keys {
        try writeSmallAggregate(index, into: &writer, &random)
      }

    case .big(let keys, let elements):
      try writer.beginDatabase(0, keys: keys, expires: 0)
      for index in 0..<keys {
        switch index % 4 {
        case 0:
          try writer.hash(
            Array("bighash:\(index)".utf8),
            fields: (0..<elements).map { (Array("field:\($0)".utf8), pools.member(&random)) })
        case 1:
          try writer.sortedSet(
            Array("bigzset:\(index)".utf8),
            members: (0..<elements).map {
              (Array("member:\($0)".utf8), Double(random.next() % 1_000_000) / 7)
            })
        case 2:
          try writer.set(
            Array("bigset:\(index)".utf8),
            members: (0..<elements).map { Array("member:\($0)".utf8) })
        default:
          try writer.list(
            Array("biglist:\(index)".utf8),
            elements: (0..<elements).map { _ in pools.member(&random) })
        }
      }

    case .aggregateHeavy(let keys):
      try writer.beginDatabase(0, keys: keys, expires: keys / 5)
      for index in 0..<keys {
        let expiry: Int64? = index % 5 == 2 ? 4_102_444_800_000 + Int64(index) : nil
        if index % 8 == 3 {
          try writeLargeTable(index, expiresAt: expiry, into: &writer, &random)
        } else {
          try writeSmallAggregate(index, into: &writer, &random)
        }
      }

    case .tinyWithTTL(let keys):
      let hex = Array("0123456789abcdef".utf8)
      let token = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
      try writer.beginDatabase(0, keys: keys, expires: keys / 10)
      for index in 0..<keys {
        let draw = random.next() % 10
        let name: String
        let value: [UInt8]
        if draw < 4 {
          name = "sess:\(index)"
          value = (0..<(16 + Int(random.next() % 17))).map { _ in hex[Int(random.next() % 16)] }
        } else if draw < 8 {
          name = "cnt:\(index)"
          value = Array(String(random.next() % 1_000_000_000).utf8)
        } else {
          name = "tok:\(index)"
          value = (0..<(4 + Int(random.next() % 9))).map { _ in token[Int(random.next() % 64)] }
        }
        let expiry: Int64? = index % 10 == 7 ? 4_102_444_800_000 + Int64(index) : nil
        try writer.string(Array(name.utf8), value: value, expiresAt: expiry)
      }

    case .streams(let keys, let entries):
      let fields = [Array("sensor".utf8), Array("value".utf8), Array("note".utf8)]
      try writer.beginDatabase(0, keys: keys, expires: 0)
      for index in 0..<keys {
        try writer.stream(Array("stream:\(index)".utf8), entryCount: entries, fields: fields) {
          entry, field in
          switch field {
          case 0: Array("s\(entry % 50)".utf8)
          case 1: Array(String(entry &* 7919 % 100_000).utf8)
          default: Array("reading number \(entry)".utf8)
          }
        }
      }
    }
  }

  /// Key `index` of `.aggregateHeavy` that is large: a hash table (odd `index / 8`) or a
  /// skiplist of 129–4,096 entries, drawn from a Pareto tail (alpha 1.5).
  private func writeLargeTable(
    _ index: Int, expiresAt: Int64?, into writer: inout InputWriter, _ random: inout SplitMix
  ) throws {
    let pools = Pools.shared
    let unit = Double(random.next() >> 11) / Double(1 << 53)
    let count = min(4096, Int(129 / pow(1 - unit, 1 / 1.5)))
    if (index / 8) % 2 == 1 {
      try writer.hash(
        Array("bighash:\(index)".utf8),
        fields: (0..<count).map { field in
          let kind = random.next() % 3
          let value =
            kind == 0
            ? pools.text(21 + Int(random.next() % 40), &random)
            : kind == 1 ? Array(String(random.next() % 1_000_000_000).utf8) : pools.member(&random)
          return (Array("f\(field)".utf8), value)
        }, expiresAt: expiresAt)
    } else {
      try writer.sortedSet(
        Array("bigzset:\(index)".utf8),
        members: (0..<count).map {
          (Array("member:\($0):\(index)".utf8), Double(random.next() % 2_000_000) / 3 - 300_000)
        }, expiresAt: expiresAt)
    }
  }

  /// Key `index` of `.aggregates`: a listpack hash, a listpack set or an intset, a listpack
  /// sorted set or a one-node quicklist, by `index % 4`.
  private func writeSmallAggregate(
    _ index: Int, into writer: inout InputWriter, _ random: inout SplitMix
  ) throws {
    let pools = Pools.shared
    let count = 2 + Int(random.next() % 19)
    switch index % 4 {
    case 0:
      try writer.hash(
        Array("hash:\(index)".utf8),
        fields: (0..<count).map { (Array("f\($0)".utf8), pools.member(&random)) })
    case 1:
      // Every eighth key holds small integers only: the writer makes it an intset.
      let members =
        index % 8 == 1
        ? (0..<count).map { Array(String($0 * 7 + 1).utf8) }
        : (0..<count).map { Array("m\($0):\(index)".utf8) }
      try writer.set(Array("set:\(index)".utf8), members: members)
    case 2:
      try writer.sortedSet(
        Array("zset:\(index)".utf8),
        members: (0..<count).map { (Array("m\($0)".utf8), Double(random.next() % 100_000)) })
    default:
      let elements = 2 + Int(random.next() % 49)
      try writer.list(
        Array("list:\(index)".utf8), elements: (0..<elements).map { _ in pools.member(&random) })
    }
  }
}
