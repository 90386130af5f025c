import Foundation
import Testing

@testable import RDBKit

/// Packed values measured on a second core (``MemoryEstimator/measuresOnSecondCore``) against
/// the same estimate measured by the parsing thread: the same reports in the same order, the
/// same warnings, and for a damaged blob the same error with the reports before its key only.
@Suite(.serialized) struct PackedBlobAsideTests {
  @Test(arguments: Fixture.all) func asideAgreesOnFixtures(fixture: Fixture) throws {
    var own = MemoryEstimator(consumer: MeasuredRows())
    let expected = try RDBParser().parse(path: fixture.rdb.path, into: &own)

    var aside = MemoryEstimator(consumer: MeasuredRows())
    aside.measuresOnSecondCore = true
    let summary = try RDBParser().parse(path: fixture.rdb.path, into: &aside)
    #expect(aside.consumer.reports == own.consumer.reports)
    #expect(summary.warnings == expected.warnings)
  }

  /// Thousands of keys, so that blobs go over in several batches and reports wait behind
  /// them: compressed and raw listpacks, quicklists of many nodes, strings between them, and
  /// sorted sets whose scores warn.
  @Test func manyValuesInOrder() throws {
    let bytes = Self.image(keys: 3000)
    var own = MemoryEstimator(consumer: MeasuredRows())
    let expected = try RDBParser().parse(bytes, into: &own)
    var aside = MemoryEstimator(consumer: MeasuredRows())
    aside.measuresOnSecondCore = true
    let summary = try RDBParser().parse(bytes, into: &aside)
    #expect(aside.consumer.reports.count == own.consumer.reports.count)
    #expect(aside.consumer.reports == own.consumer.reports)
    #expect(summary.warnings == expected.warnings)
    #expect(!summary.warnings.isEmpty)
    #expect(aside.aside.blobsTaken > 1000)
  }

  /// A compressed blob damaged inside (its listpack walk fails): the same error, and the rows
  /// of the keys before it only, with and without a checksum.
  @Test(arguments: [true, false]) func damagedBlobStopsAtItsKey(checksum: Bool) throws {
    let bytes = Self.image(keys: 2000, damagedKey: 1232, checksum: checksum)
    var own = MemoryEstimator(consumer: MeasuredRows())
    var ownError: RDBError?
    do { try RDBParser().parse(bytes, into: &own) } catch { ownError = error }
    var aside = MemoryEstimator(consumer: MeasuredRows())
    aside.measuresOnSecondCore = true
    var asideError: RDBError?
    do { try RDBParser().parse(bytes, into: &aside) } catch { asideError = error }
    let error = try #require(ownError)
    #expect(asideError == error)
    #expect(aside.consumer.reports == own.consumer.reports)
    #expect(own.consumer.reports.count > 100)
    #expect(aside.aside.blobsTaken > 0)
  }

  /// A worker far slower than the parse, over a mapped file of 20 MiB with hash tables of
  /// 5 MiB between the packed values (stretches where no blob is handed over): the parse
  /// waits for the worker at its 1 MiB steps (``ReleaseHold``), no blob is read from a page
  /// already released (it would be faulted back in and stay), and the reports are the same.
  @Test func slowWorkerKeepsItsPagesHeld() throws {
    let bytes = Self.image(keys: 24_000, hashTableEvery: 8000)
    #expect(bytes.count > 16 << 20)
    let path = try TemporaryImage.write(bytes, prefix: "aside").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    var own = MemoryEstimator(consumer: MeasuredRows())
    try RDBParser().parse(path: path, into: &own)
    PackedBlobWorker.delayForTests = 5000
    defer { PackedBlobWorker.delayForTests = 0 }
    var aside = MemoryEstimator(consumer: MeasuredRows())
    aside.measuresOnSecondCore = true
    try RDBParser().parse(path: path, into: &aside)
    #expect(aside.consumer.reports == own.consumer.reports)
    let hold = try #require(aside.aside.hold)
    #expect(hold.waits > 0)
    #expect(hold.released > 4 << 20)
    #expect(hold.readsBehindRelease == 0)
    #expect(aside.aside.blobsTaken > 100)
  }

  /// An RDB 10 image (Redis 7.0) of `keys` keys in turn: a hash listpack (compressed when its
  /// values repeat), a string, a quicklist of several listpack nodes, a sorted-set listpack
  /// whose score is not a number (a warning) every 97th key.
  /// Every `hashTableEvery`-th key is instead a hash table of 150,000 fields (about 5 MiB).
  static func image(
    keys: Int, damagedKey: Int? = nil, checksum: Bool = true, hashTableEvery: Int? = nil
  ) -> [UInt8] {
    var image = RDBImageBuilder(version: 10)
    let compressor = LZFCompressor()
    func blob(_ bytes: [UInt8], into image: inout RDBImageBuilder) {
      let compressed = unsafe bytes.withUnsafeBytes {
        unsafe compressor.compress($0).map(Array.init)
      }
      guard let compressed else { return image.string(bytes) }
      image.byte(0xC3)
      image.length(UInt64(compressed.count))
      image.length(UInt64(bytes.count))
      image.raw(compressed)
    }
    for index in 0..<keys {
      if let every = hashTableEvery, index % every == every - 1 {
        image.key(type: 4, "table:\(index)")
        image.length(150_000)
        for field in 0..<150_000 {
          image.string("field:\(field)")
          image.string("value-\(index)-\(field)-" + String(repeating: "x", count: field % 9))
        }
        continue
      }
      switch index % 4 {
      case 0:
        image.key(type: 16, "hash:\(index)")
        let repeated = index % 8 == 0
        var elements: [ListpackElement] = []
        for field in 0..<(index % 13 + 1) {
          elements.append(.string(utf8("field:\(field)")))
          let text = repeated ? String(repeating: "v", count: field * 7 + 30) : "v\(index)-\(field)"
          elements.append(.string(utf8(text)))
        }
        var packed = listpack(elements)
        if index == damagedKey {
          // The first field's encoding byte is none a listpack has.
          packed[6] = 0xF5
        }
        blob(packed, into: &image)
      case 1:
        image.key(type: 0, "string:\(index)")
        image.string(String(repeating: "s", count: index % 50))
      case 2:
        image.key(type: 18, "list:\(index)")
        let nodes = index % 5 + 1
        image.length(UInt64(nodes))
        for node in 0..<nodes {
          image.length(2)
          let elements = (0..<(node + 3)).map { _ in
            ListpackElement.string(utf8(String(repeating: "e", count: node * 11 + index % 40)))
          }
          blob(listpack(elements), into: &image)
        }
      default:
        image.key(type: 17, "zset:\(index)")
        let score = index % 97 == 3 ? "not a score" : "\(index).5"
        blob(
          listpack([
            .string(utf8("member:\(index)")), .string(utf8(score)),
            .string(utf8(String(repeating: "m", count: 40))), .uint7(5),
          ]), into: &image)
      }
    }
    return image.finished(checksum: checksum)
  }
}

/// Reports of an estimator that measures packed values (as `rdbtool memory` does), in order.
private struct MeasuredRows: KeyMemoryConsumer {
  static var readsEveryPackedElement: Bool { false }
  var reports: [KeyMemoryReport] = []
  mutating func consume(_ report: KeyMemoryReport) throws(RDBError) { reports.append(report) }
}
