import Testing

@testable import RDBKit

/// ``DuplicateKeyScan`` and ``DuplicateKeys`` fed key by key: which occurrence each policy
/// keeps, and that a shared fingerprint alone never leaves a key out.
@Suite struct DuplicateKeysTests {
  /// Keys as (database, name), in input order: `b` twice in database 0, `a` in 0 and 1.
  static let sequence: [(Int, String)] = [(0, "a"), (0, "b"), (1, "a"), (0, "c"), (0, "b")]

  static func info(_ database: Int) -> KeyInfo { KeyInfo(database: database, type: .string) }

  /// The positions of `sequence` a check keeps.
  static func kept(_ check: inout DuplicateKeys) throws -> [Int] {
    try sequence.indices.filter { index in
      let (database, name) = sequence[index]
      return try check.keeps(Array(name.utf8).span.bytes, info: info(database))
    }
  }

  /// Runs a scan's passes over `sequence` and returns its check for the writing pass.
  static func scanned(_ policy: DuplicateKeyPolicy, options: RDBWriter.Options) throws
    -> DuplicateKeys
  {
    var scan = DuplicateKeyScan(policy: policy, options: options)
    func pass() throws {
      for (database, name) in sequence {
        #expect(try scan.beginKey(Array(name.utf8).span.bytes, info: info(database)) == .skip)
      }
    }
    try pass()
    if scan.needsConfirmation {
      scan.beginConfirmation()
      try pass()
    }
    return scan.duplicates
  }

  @Test(arguments: [
    (DuplicateKeyPolicy.first, false, [0, 1, 2, 3]),
    (.last, false, [0, 2, 3, 4]),
    (.first, true, [0, 1, 3]),
    (.last, true, [2, 3, 4]),
  ])
  func eachPolicyKeepsItsOccurrence(
    _ policy: DuplicateKeyPolicy, singleDatabase: Bool, expected: [Int]
  ) throws {
    var options = RDBWriter.Options(target: nil)
    options.singleDatabase = singleDatabase
    var planned = try Self.scanned(policy, options: options)
    #expect(try Self.kept(&planned) == expected)
    #expect(planned.losses.entries[.duplicateKeys]?.keys == Self.sequence.count - expected.count)
    if policy != .last {
      var exact = DuplicateKeys(exact: policy, options: options)
      #expect(try Self.kept(&exact) == expected)
    }
  }

  @Test func errorNamesTheSecondOccurrence() throws {
    var check = try Self.scanned(.error, options: RDBWriter.Options(target: nil))
    #expect(
      throws: RDBError(
        .invalidValue(
          "key \"b\" (input database 0) is already in output database 0, from an earlier "
            + "input or database"), at: 0, key: "b")
    ) {
      _ = try Self.kept(&check)
    }
  }

  /// Every key a suspect, as if all fingerprints collided: the exact names decide, so
  /// distinct names all stay.
  @Test func aSharedFingerprintAloneLeavesNothingOut() throws {
    let options = RDBWriter.Options(target: nil)
    let table = KeyFingerprints()
    var suspects = KeyFingerprints()
    for (database, name) in Self.sequence {
      suspects.insert(table.fingerprint(Array(name.utf8).span.bytes, database: database))
    }
    var check = DuplicateKeys(
      suspects: suspects, hasher: table.hasher, policy: .error, options: options)
    let distinct = [(0, "a"), (1, "a"), (0, "b"), (0, "c")]
    for (database, name) in distinct {
      #expect(try check.keeps(Array(name.utf8).span.bytes, info: Self.info(database)))
    }
    #expect(check.losses.isEmpty)
  }

  @Test func fingerprintsGrowAndFindRepeats() {
    var table = KeyFingerprints(capacity: 4)
    let names = (0..<10_000).map { Array("key:\($0)".utf8) }
    var repeats = 0
    for name in names where table.insert(table.fingerprint(name.span.bytes, database: 0)) {
      repeats += 1
    }
    #expect(repeats == 0)
    #expect(table.count == names.count)
    #expect(names.allSatisfy { table.contains(table.fingerprint($0.span.bytes, database: 0)) })
    #expect(!table.contains(table.fingerprint(Array("key:10000".utf8).span.bytes, database: 0)))
    for name in names.prefix(100) {
      let again = table.insert(table.fingerprint(name.span.bytes, database: 0))
      let otherDatabase = table.insert(table.fingerprint(name.span.bytes, database: 1))
      #expect(again)
      #expect(!otherDatabase)
    }
  }
}

/// ``KeyNameTable`` and ``PositionBits``, the exact part of the check.
@Suite struct KeyNameTableTests {
  /// Every name given the same fingerprint: the table still tells them apart by their
  /// bytes and database, and finds each again with its value.
  @Test func namesWithOneFingerprintStayApart() {
    var table = KeyNameTable()
    let names = (0..<300).map { Array("k\($0)".utf8) } + [[], [0, 255], Array("k1".utf8) + [0]]
    for (value, name) in names.enumerated() {
      #expect(table.update(name.span.bytes, database: 0, fingerprint: 7, value: value) == nil)
      #expect(table.update(name.span.bytes, database: 1, fingerprint: 7, value: -value) == nil)
    }
    #expect(table.count == names.count * 2)
    for (value, name) in names.enumerated() {
      #expect(table.update(name.span.bytes, database: 0, fingerprint: 7, value: 0) == value)
      #expect(table.update(name.span.bytes, database: 1, fingerprint: 7, value: 0) == -value)
    }
    #expect(table.count == names.count * 2)
  }

  @Test func namesGrowTheTableAndKeepTheLatestValue() {
    var table = KeyNameTable()
    let hasher = SeededHash()
    let names = (0..<20_000).map { Array("user:\($0)".utf8) }
    for round in 0..<2 {
      for (position, name) in names.enumerated() {
        let fingerprint = KeyFingerprints.fingerprint(name.span.bytes, database: 0, hasher: hasher)
        let earlier = table.update(
          name.span.bytes, database: 0, fingerprint: fingerprint, value: position + round)
        #expect(earlier == (round == 0 ? nil : position))
      }
    }
    #expect(table.count == names.count)
  }

  @Test func positionBitsHoldWhatWasAdded() {
    var bits = PositionBits()
    let added: Set = [0, 63, 64, 1_000, 99_999]
    for position in added { bits.insert(position) }
    #expect((0..<100_100).filter { bits.contains($0) } == added.sorted())
  }
}
