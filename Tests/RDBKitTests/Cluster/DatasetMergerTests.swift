import RDBKit
import Testing

/// ``DatasetMerger``: several inputs become one dataset, with the AUX fields of the first
/// and each function library once.
@Suite struct DatasetMergerTests {
  static let library = code("shared", "f", 1)
  static let changed = code("shared", "f", 2)
  static let other = code("other", "g", 3)

  /// A Lua library `name` registering `function` that returns `result`.
  static func code(_ name: String, _ function: String, _ result: Int) -> [UInt8] {
    Array(
      "#!lua name=\(name)\nredis.register_function('\(function)', function() return \(result) end)"
        .utf8)
  }

  /// Feeds one input's file-level records: a header, one AUX field and `functions`.
  static func feed(
    _ merger: inout DatasetMerger<RecordCollector>, aux: String, functions: [[UInt8]]
  ) throws {
    try merger.header(RDBVersion(magic: .redis, number: 10))
    try merger.aux(key: Array("redis-ver".utf8).span.bytes, value: Array(aux.utf8).span.bytes)
    for code in functions { try merger.function(code: code.span.bytes) }
  }

  @Test func firstAuxAndEachLibraryOnce() throws {
    var merger = DatasetMerger(RecordCollector())
    try Self.feed(&merger, aux: "7.0.15", functions: [Self.library])
    try Self.feed(&merger, aux: "7.2.6", functions: [Self.library, Self.other])
    try Self.feed(&merger, aux: "7.4.1", functions: [Self.other, Self.library])
    #expect(merger.inputCount == 3)
    #expect(merger.next.aux.map(\.1) == ["7.0.15"])
    let written = [Self.library, Self.other].map { String(decoding: $0, as: UTF8.self) }
    #expect(merger.next.functions == written)
  }

  @Test func aLibraryWithOtherCodeIsAnError() throws {
    var merger = DatasetMerger(RecordCollector())
    try Self.feed(&merger, aux: "7.0.15", functions: [Self.library])
    #expect(
      throws: RDBError(
        .invalidValue("function library \"shared\" differs from the one an earlier input has"),
        at: 0)
    ) {
      try Self.feed(&merger, aux: "7.0.15", functions: [Self.changed])
    }
  }
}
