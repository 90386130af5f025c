/// What each input holds: its database, its keys and their values, in file order.
extension BenchmarkInput {
  /// Writes the input's database 0 and its keys into `writer`; the values come from a
  /// generator seeded with the input's name, in the same order for every run.
  func writeKeys(into writer: inout InputWriter) throws {
    var random = SplitMix(seed: 0x5EED_0000 &+ UInt64(name.utf8.reduce(0) { $0 &* 31 &+ Int($1) }))
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
