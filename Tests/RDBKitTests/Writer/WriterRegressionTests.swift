import RDBKit
import Testing

/// Writer bugs found by the property tests, each reduced to one key.
@Suite struct WriterRegressionTests {
  /// RDB 1 and 2 store expiries as signed 32-bit seconds (`EXPIRETIME`), which end in January
  /// 2038. A later expiry cannot be held: it must be declared lost, not silently turned into
  /// 2038-01-19T03:14:07Z.
  @Test(arguments: [1, 2])
  func expiryAfter2038InSecondsFormatsIsNotSilentlyClamped(_ version: Int) throws {
    let engine = TargetEngine.format(RDBVersion(magic: .redis, number: version))
    let expiresAt: Int64 = 4_102_444_800_000  // 2100-01-01
    let key = GeneratedKey(
      database: 0, name: utf8("k"), expiresAt: expiresAt, value: .string(utf8("v")))
    let result = try WriterOutput.write(WriterOutput.handFed(engine)) { writer in
      try writer.header(engine.version)
      try key.feed(into: &writer)
    }
    var collector = GeneratedKeyCollector()
    try RDBParser().parse(result.bytes, into: &collector)
    let readBack = collector.keys.first?.expiresAt
    #expect(
      readBack == expiresAt || !result.writer.losses.isEmpty,
      "expiry \(expiresAt) read back as \(readBack.map(String.init) ?? "none") with no loss declared"
    )
  }
}
