import Foundation
import Testing

@testable import RDBKit

/// Element counts of packed blobs (``ValueBlob/elementCount``): from the header, from a walk
/// when the header says 0xFFFF, from the first literal run of a compressed blob left to the
/// checksum; and `memory`'s figures counted from headers (as `stats` counts them) equal to
/// those of a walk of every element, on every fixture, mapped and piped.
@Suite struct PackedElementCountTests {
  @Test func headerCounts() {
    let hash = listpack([.string(utf8("a")), .uint7(1), .string(utf8("b")), .uint7(2)])
    #expect(Self.count(hash, .listpack, group: 2) == 2)
    #expect(Self.count(hash, .listpack, group: 1) == 4)
    let unknown = listpack([.string(utf8("a")), .uint7(1)], count: 0xFFFF)
    #expect(Self.count(unknown, .listpack, group: 2) == nil)
    #expect(Self.count(ziplist([.string(utf8("x")), .immediate(3)]), .ziplist, group: 1) == 2)
    #expect(Self.count(ziplist([.string(utf8("x"))], count: 0xFFFF), .ziplist, group: 1) == nil)
    #expect(Self.count(intset(width: 2, [1, 2, 3]), .intset, group: 1) == 3)
    #expect(Self.count(zipmap([(utf8("f"), utf8("v"))]), .zipmap, group: 2) == 1)
    #expect(Self.count(zipmap([(utf8("f"), utf8("v"))], count: 254), .zipmap, group: 2) == nil)
    #expect(Self.count([], .plainNode, group: 1) == 1)
    #expect(Self.count(Array(hash.prefix(5)), .listpack, group: 2) == nil)
    // A stream node: its first element counts the live entries.
    let lives: [(ListpackElement, Int?)] = [
      (.uint7(5), 5), (.int13(300), 300), (.int16(5000), 5000), (.int24(70_000), 70_000),
      (.int32(9_000_000), 9_000_000), (.int13(-1), nil), (.int16(-2), nil),
      (.string(utf8("5")), nil),
    ]
    for (element, live) in lives {
      #expect(Self.count(listpack([element, .uint7(0)]), .listpack, group: 0) == live)
    }
  }

  /// A hash listpack and a list node whose headers say 0xFFFF are walked for their counts.
  @Test func unknownCountIsWalked() throws {
    let pairs: [ListpackElement] = (0..<3).flatMap { [.string(utf8("f\($0)")), .uint7(UInt8($0))] }
    var image = RDBImageBuilder(version: 11)
    image.key(type: 16, "h")
    image.string(listpack(pairs, count: 0xFFFF))
    image.key(type: 18, "l")
    image.length(1)
    image.length(2)
    image.string(listpack([.uint7(1), .uint7(2), .uint7(3), .uint7(4)], count: 0xFFFF))
    var counts = BlobCounts()
    try RDBParser().parse(image.finished(), into: &counts)
    #expect(counts.counts == [3, 4])
  }

  /// A compressed blob whose header shows its count is left to the checksum with that count;
  /// one whose header says 0xFFFF is decoded and walked.
  @Test(arguments: [false, true]) func compressedBlob(unknownCount: Bool) throws {
    let members = (0..<40).map { ListpackElement.string(utf8("member-\($0 % 4)-padding")) }
    let blob = listpack(members, count: unknownCount ? 0xFFFF : 40)
    let compressor = LZFCompressor()
    let compressed = try #require(
      withExtendedLifetime(compressor) {
        blob.withUnsafeBytes { compressor.compress($0).map(Array.init) }
      })
    var image = RDBImageBuilder(version: 11)
    image.key(type: 18, "l")
    image.length(1)
    image.length(2)
    image.raw(
      [0xC3] + RDBImageBuilder.length(UInt64(compressed.count))
        + RDBImageBuilder.length(UInt64(blob.count)) + compressed)
    let file = try TemporaryImage.write(image.finished(), prefix: "counts")
    defer { try? FileManager.default.removeItem(at: file) }
    var counts = BlobCounts()
    let summary = try RDBParser().parse(path: file.path, into: &counts)
    #expect(counts.counts == [40])
    #expect(summary.uncheckedPackedValues == (unknownCount ? 0 : 1))
  }

  /// Every fixture: sizes and element counts from headers (blobs left to the checksum where
  /// the file allows, over a mapped file and a pipe) equal those of a walk of every element.
  @Test(arguments: Fixture.all) func headersAgreeWithWalks(fixture: Fixture) throws {
    var walked = MemoryEstimator(consumer: KeyMemoryCollector())
    try RDBParser().parse(path: fixture.rdb.path, into: &walked)
    let expected = walked.consumer.reports.map { Figures($0) }

    var mapped = MemoryEstimator(consumer: HeaderCountedReports())
    try RDBParser().parse(path: fixture.rdb.path, into: &mapped)
    #expect(mapped.consumer.figures == expected)

    var piped = MemoryEstimator(consumer: HeaderCountedReports())
    try RDBParser().parse(
      input: ChunkedInput(try fixture.bytes(), seed: 7), leavingStringsToChecksum: true,
      leavingPackedValuesToChecksum: true, into: &piped)
    #expect(piped.consumer.figures == expected)

    var decoded = MemoryEstimator(consumer: HeaderCountedReports())
    try RDBParser(decodesEverything: true).parse(path: fixture.rdb.path, into: &decoded)
    #expect(decoded.consumer.figures == expected)
  }

  /// The default fixtures hold compressed blobs that are left to the checksum.
  @Test func fixturesLeaveBlobs() throws {
    var left = 0
    for fixture in Fixture.all {
      var estimator = MemoryEstimator(consumer: HeaderCountedReports())
      left += try RDBParser().parse(path: fixture.rdb.path, into: &estimator).uncheckedPackedValues
    }
    #expect(left > 0)
  }

  private static func count(_ bytes: [UInt8], _ kind: ValueBlob.Kind, group: Int) -> Int? {
    bytes.withUnsafeBytes { PackedHeader.elementCount($0, kind, group: group) }
  }
}

/// What `stats` reads of a report.
private struct Figures: Equatable, CustomStringConvertible {
  var key: [UInt8]
  var size: Int
  var elements: Int
  var encoding: Encoding

  init(_ report: KeyMemoryReport) {
    key = report.key
    size = report.sizeInBytes
    elements = report.elementCount
    encoding = report.encoding
  }

  var description: String {
    "\(String(decoding: key, as: UTF8.self)): \(size) B, \(elements) elements, \(encoding)"
  }
}

/// Reports collected by an estimator that counts packed values from their headers.
private struct HeaderCountedReports: KeyMemoryConsumer {
  static var needsLargestElementLength: Bool { false }
  var figures: [Figures] = []
  mutating func consume(_ report: KeyMemoryReport) throws(RDBError) {
    figures.append(Figures(report))
  }
}

/// Each blob's element count, for a handler that asks for them.
private struct BlobCounts: RDBHandler {
  static var needsStringValues: Bool { false }
  static var needsPackedElements: Bool { false }
  static var needsPackedElementCounts: Bool { true }
  var counts: [Int?] = []
  mutating func valueBlob(_ blob: ValueBlob) throws(RDBError) { counts.append(blob.elementCount) }
}
