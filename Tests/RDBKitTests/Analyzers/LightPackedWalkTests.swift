import Foundation
import Testing

@testable import RDBKit

/// Compressed packed values that `memory` walks for their lengths only
/// (``Decoder/measuresBlobsLightly(_:)``): a mapped file with a CRC-64 has their repeated
/// fields and members left to the checksum, as `verify` leaves their bytes, and only there.
/// A repeat behind a valid checksum passes as it passes `verify`; without a checksum (a zero
/// trailer) it is found as before; under a checksum that no longer matches, the error names it,
/// its offset and its key, as `verify` names it.
@Suite struct LightPackedWalkTests {
  /// Same reports as the walk that checks every repeat (``RDBParser/decodesEverything``), the
  /// compressed blobs counted as left to the checksum.
  @Test func sameReportsAsTheCheckingWalk() throws {
    let image = Self.image(repeating: false)
    var light = MemoryEstimator(consumer: Rows())
    let summary = try RDBParser().parse(image.bytes, into: &light)
    var checked = MemoryEstimator(consumer: Rows())
    let full = try RDBParser(decodesEverything: true).parse(image.bytes, into: &checked)
    #expect(light.consumer.reports == checked.consumer.reports)
    #expect(light.consumer.reports.map(\.largestElementLength) == [5, 35, 39, 40, 3])
    #expect(summary.uncheckedPackedValues == 3)
    #expect(full.uncheckedPackedValues == 0)
  }

  @Test func repeatBehindAValidChecksumPassesAsInVerify() throws {
    let image = Self.image(repeating: true)
    var light = MemoryEstimator(consumer: Rows())
    let summary = try RDBParser().parse(image.bytes, into: &light)
    #expect(light.consumer.reports.count == 5)
    #expect(summary.checksum != .notChecked)
    var counter = KeyCountAnalyzer()
    let verified = try RDBParser().parse(image.bytes, into: &counter)
    #expect(verified.uncheckedPackedValues > 0)

    var checked = MemoryEstimator(consumer: Rows())
    #expect(throws: Self.repeated(at: image.blobOffset)) {
      try RDBParser(decodesEverything: true).parse(image.bytes, into: &checked)
    }
  }

  /// A zero trailer (`rdbchecksum no`), known before the first key: every repeat is looked for.
  @Test func repeatWithoutAChecksumIsFound() throws {
    let image = Self.image(repeating: true, checksum: false)
    var estimator = MemoryEstimator(consumer: Rows())
    #expect(throws: Self.repeated(at: image.blobOffset)) {
      try RDBParser().parse(image.bytes, into: &estimator)
    }
    #expect(estimator.consumer.reports.count == 1)
  }

  /// The repeat written over a file whose trailer is the CRC-64 of the file without it: the
  /// walk passes it, the checksum does not match, and the error is the repeat's, as `verify`
  /// (which leaves the blob to the checksum) names it; the rows went on to the end.
  @Test func repeatUnderTheOldChecksumIsNamed() throws {
    let intact = Self.image(repeating: false)
    var damaged = Self.image(repeating: true).bytes
    damaged.replaceSubrange(
      (damaged.count - 8)..., with: intact.bytes[(intact.bytes.count - 8)...])
    var estimator = MemoryEstimator(consumer: Rows())
    #expect(throws: Self.repeated(at: intact.blobOffset)) {
      try RDBParser().parse(damaged, into: &estimator)
    }
    #expect(estimator.consumer.reports.count == 5)
    var counter = KeyCountAnalyzer()
    #expect(throws: Self.repeated(at: intact.blobOffset)) {
      try RDBParser().parse(damaged, into: &counter)
    }
  }

  /// A zero trailer followed by more bytes: the file's last 8 bytes are not zero, so the blobs
  /// are walked lightly, and the trailer read at the end says nothing was checked; the
  /// repeat is then looked for, and named, as `verify` reads such a file again.
  @Test func repeatBeforeAZeroTrailerAndTrailingBytesIsFound() throws {
    let image = Self.image(repeating: true, checksum: false).bytes + Array("trailing".utf8)
    var estimator = MemoryEstimator(consumer: Rows())
    #expect(throws: Self.repeated(at: Self.image(repeating: true).blobOffset)) {
      try RDBParser().parse(image, into: &estimator)
    }
    let intact = Self.image(repeating: false, checksum: false).bytes + Array("trailing".utf8)
    var passing = MemoryEstimator(consumer: Rows())
    let summary = try RDBParser().parse(intact, into: &passing)
    #expect(summary.checksum == .notChecked)
    #expect(passing.consumer.reports.count == 5)
  }

  /// Each walked compressed blob that breaks its listpack (a field without a value): the
  /// walk names it itself, with or without a checksum.
  @Test(arguments: [true, false]) func brokenBlobIsNamed(checksum: Bool) throws {
    let image = Self.image(repeating: false, oddHash: true, checksum: checksum)
    var estimator = MemoryEstimator(consumer: Rows())
    let expected = RDBError(
      .corruptStructure(structure: "listpack", reason: "odd number of elements for pairs"),
      at: image.blobOffset, key: "h")
    #expect(throws: expected) { try RDBParser().parse(image.bytes, into: &estimator) }
    #expect(estimator.consumer.reports.count == 1)
  }

  static func repeated(at offset: Int) -> RDBError {
    RDBError(
      .corruptStructure(structure: "listpack", reason: "a field or member appears twice"),
      at: offset, key: "h")
  }

  /// An RDB 10 image (Redis 7.0): a string `s`, a hash listpack `h` (LZF-compressed, its field
  /// `f1` twice when `repeating`, a field short of a value when `oddHash`), a set listpack
  /// `set` and a sorted-set listpack `z` (both compressed), then a string `t`. Returns the
  /// image and the offset of `h`'s blob.
  static func image(repeating: Bool, oddHash: Bool = false, checksum: Bool = true) -> (
    bytes: [UInt8], blobOffset: Int
  ) {
    var image = RDBImageBuilder(version: 10)
    image.aux("redis-ver", "7.0.15")
    image.key(type: 0, "s")
    image.string("plain")
    image.key(type: 16, "h")
    let blobOffset = image.offset
    var fields: [ListpackElement] = []
    for index in 0..<6 {
      let name = repeating && index == 3 ? "f1" : "f\(index)"
      fields += [.string(utf8(name)), .string(utf8(String(repeating: "v", count: 30 + index)))]
    }
    if oddHash { fields.removeLast() }
    compressed(listpack(fields), into: &image)
    image.key(type: 20, "set")
    compressed(
      listpack((0..<8).map { .string(utf8("member-\($0)-" + String(repeating: "m", count: 30))) }),
      into: &image)
    image.key(type: 17, "z")
    compressed(
      listpack([
        .string(utf8(String(repeating: "z", count: 40))), .string(utf8("1.5")),
        .string(utf8(String(repeating: "y", count: 39))), .int64(123_456_789_012),
      ]), into: &image)
    image.key(type: 0, "t")
    image.string("end")
    return (image.finished(checksum: checksum), blobOffset)
  }

  /// `bytes` as an LZF-compressed RDB string.
  private static func compressed(_ bytes: [UInt8], into image: inout RDBImageBuilder) {
    let compressor = LZFCompressor()
    let packed = unsafe bytes.withUnsafeBytes { unsafe compressor.compress($0).map(Array.init) }
    guard let packed else { preconditionFailure("the listpack did not compress") }
    image.byte(0xC3)
    image.length(UInt64(packed.count))
    image.length(UInt64(bytes.count))
    image.raw(packed)
  }
}

/// Reports of an estimator that measures packed values (as `rdbtool memory` does), in order.
private struct Rows: KeyMemoryConsumer {
  static var readsEveryPackedElement: Bool { false }
  var reports: [KeyMemoryReport] = []
  mutating func consume(_ report: KeyMemoryReport) throws(RDBError) { reports.append(report) }
}
