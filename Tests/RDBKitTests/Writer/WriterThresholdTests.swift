import RDBKit
import Testing

/// Each target's encoding thresholds crossed exactly: values at and one over every limit of
/// its ``EncodingLimits`` get the encodings a server of that version builds, read back intact,
/// and declare no loss.
@Suite struct WriterThresholdTests {
  /// Short member `index` of a set, sorted set or hash (never an integer).
  static func member(_ index: Int) -> [UInt8] { utf8("m\(index)") }

  /// A key of each kind at and one over each limit of `engine`.
  static func keys(for engine: TargetEngine) -> [GeneratedKey] {
    let limits = engine.limits
    // The letters of the long texts; their content does not matter.
    var random = SplitMix64(seed: 1)
    var keys: [GeneratedKey] = []
    func add(_ name: String, _ value: GeneratedValue) {
      keys.append(GeneratedKey(database: 0, name: utf8(name), value: value))
    }
    for count in [limits.intsetEntries, limits.intsetEntries + 1] {
      add("intset:\(count)", .set((0..<count).map { utf8(String($0 * 1000 - 7)) }))
    }
    for count in [limits.setListpackEntries, limits.setListpackEntries + 1] where count > 1 {
      add("set:\(count)", .set((0..<count).map(member)))
    }
    for length in [limits.setListpackValue, limits.setListpackValue + 1] {
      add("set-value:\(length)", .set([member(0), RandomDataSet.text(length: length, &random)]))
    }
    for count in [limits.sortedSetEntries, limits.sortedSetEntries + 1] {
      add(
        "zset:\(count)",
        .sortedSet((0..<count).map { ScoredMember(member: member($0), score: Double($0) / 4) }))
    }
    for length in [limits.sortedSetValue, limits.sortedSetValue + 1] {
      let long = RandomDataSet.text(length: length, &random)
      add("zset-value:\(length)", .sortedSet([ScoredMember(member: long, score: 1)]))
    }
    for count in [limits.hashEntries, limits.hashEntries + 1] {
      add(
        "hash:\(count)", .hash((0..<count).map { HashField(field: member($0), value: utf8("v")) }))
    }
    for length in [limits.hashValue, limits.hashValue + 1] {
      let long = RandomDataSet.text(length: length, &random)
      add("hash-value:\(length)", .hash([HashField(field: utf8("f"), value: long)]))
      add("hash-field:\(length)", .hash([HashField(field: long, value: utf8("v"))]))
    }
    for count in [limits.listZiplistEntries, limits.listZiplistEntries + 1] {
      add("list:\(count)", .list((0..<count).map(member)))
    }
    for length in [limits.listZiplistValue, limits.listZiplistValue + 1, 8192, 8193] {
      add("list-value:\(length)", .list([member(0), RandomDataSet.text(length: length, &random)]))
    }
    return keys
  }

  @Test(arguments: WriterPropertyTests.targets)
  func everyLimitIsCrossedExactly(_ engine: TargetEngine) throws {
    let keys = Self.keys(for: engine)
    let problems = try WriterPropertyTests.problems(keys, engine: engine)
    #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
  }

  /// The examples of the feature's description, by name.
  @Test func namedExamples() throws {
    func encoding(_ value: GeneratedValue, _ target: String) throws -> String? {
      let engine = try #require(TargetEngine.named(target))
      let key = GeneratedKey(database: 0, name: utf8("k"), value: value)
      let result = try WriterOutput.write(WriterOutput.handFed(engine)) { writer in
        try writer.header(engine.version)
        try key.feed(into: &writer)
      }
      var collector = GeneratedKeyCollector()
      try RDBParser().parse(result.bytes, into: &collector)
      return collector.encodings.first
    }
    let set128 = GeneratedValue.set((0..<128).map(Self.member))
    let set129 = GeneratedValue.set((0..<129).map(Self.member))
    let hash512 = GeneratedValue.hash(
      (0..<512).map { HashField(field: Self.member($0), value: [0x76]) })
    let hash513 = GeneratedValue.hash(
      (0..<513).map { HashField(field: Self.member($0), value: [0x76]) })
    let intset512 = GeneratedValue.set((0..<512).map { utf8(String($0)) })
    let intset513 = GeneratedValue.set((0..<513).map { utf8(String($0)) })
    #expect(try encoding(set128, "redis-7.2") == "listpack")
    #expect(try encoding(set129, "redis-7.2") == "hashtable")
    #expect(try encoding(set128, "redis-7.0") == "hashtable")
    #expect(try encoding(hash512, "redis-7.0") == "listpack")
    #expect(try encoding(hash513, "redis-7.0") == "hashtable")
    #expect(try encoding(hash512, "redis-6.2") == "ziplist")
    #expect(try encoding(intset512, "redis-6.2") == "intset")
    #expect(try encoding(intset513, "redis-6.2") == "hashtable")
    #expect(try encoding(intset513, "valkey-8.0") == "hashtable")
  }
}
