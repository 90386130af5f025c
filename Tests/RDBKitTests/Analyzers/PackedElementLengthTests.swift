import Foundation
import Testing

@testable import RDBKit

/// The largest element of packed values measured in place (``RDBHandler/needsPackedElementLengths``,
/// what `memory` asks) against the element events of a walk of every element: the same
/// reports, whole, on every fixture, mapped, piped and fully decoded, and on values made to
/// tell the rules apart (integers as decimal text, scores not counted, deleted stream entries
/// not counted).
@Suite struct PackedElementLengthTests {
  @Test(arguments: Fixture.all) func measuredAgreeWithWalks(fixture: Fixture) throws {
    var walked = MemoryEstimator(consumer: KeyMemoryCollector())
    try RDBParser().parse(path: fixture.rdb.path, into: &walked)
    let expected = walked.consumer.reports

    var mapped = MemoryEstimator(consumer: MeasuredReports())
    try RDBParser().parse(path: fixture.rdb.path, into: &mapped)
    #expect(mapped.consumer.reports == expected)

    var piped = MemoryEstimator(consumer: MeasuredReports())
    try RDBParser().parse(
      input: ChunkedInput(try fixture.bytes(), seed: 7), leavingStringsToChecksum: true,
      leavingPackedValuesToChecksum: true, into: &piped)
    #expect(piped.consumer.reports == expected)

    var decoded = MemoryEstimator(consumer: MeasuredReports())
    try RDBParser(decodesEverything: true).parse(path: fixture.rdb.path, into: &decoded)
    #expect(decoded.consumer.reports == expected)
  }

  /// Hand-made values: a hash whose longest element is an integer value, a sorted set whose
  /// scores are longer than its members, a list node of negative integers, a set listpack.
  @Test func measuredValues() throws {
    var image = RDBImageBuilder(version: 11)
    image.key(type: 16, "hash")
    image.string(
      listpack([.string(utf8("ab")), .int64(-1_234_567_890_123), .string(utf8("c")), .uint7(7)]))
    image.key(type: 17, "zset")
    image.string(
      listpack([
        .string(utf8("m")), .string(utf8("1.2345678901")), .uint7(12), .int64(99_999_999_999),
      ]))
    image.key(type: 18, "list")
    image.length(2)
    image.length(2)
    image.string(listpack([.int13(-4000), .uint7(3)]))
    image.length(2)
    image.string(listpack([.string(utf8("xy")), .int16(-32000)]))
    image.key(type: 20, "set")
    image.string(listpack([.int32(123_456_789), .string(utf8("abcdefghijk"))]))
    let bytes = image.finished()

    var walked = MemoryEstimator(consumer: KeyMemoryCollector())
    try RDBParser().parse(bytes, into: &walked)
    var measured = MemoryEstimator(consumer: MeasuredReports())
    try RDBParser().parse(bytes, into: &measured)
    #expect(measured.consumer.reports == walked.consumer.reports)
    #expect(measured.consumer.reports.map(\.largestElementLength) == [14, 2, 6, 11])
  }
}

/// Reports collected by an estimator that measures packed values in place.
private struct MeasuredReports: KeyMemoryConsumer {
  static var readsEveryPackedElement: Bool { false }
  var reports: [KeyMemoryReport] = []
  mutating func consume(_ report: KeyMemoryReport) throws(RDBError) { reports.append(report) }
}
