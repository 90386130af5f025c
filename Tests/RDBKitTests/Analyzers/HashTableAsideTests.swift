import Foundation
import Testing

@testable import RDBKit

/// Hashes stored as hash tables taken aside whole (``RDBHandler/takesHashTableAside(count:releaseHold:)``):
/// the worker walks, checks and prices them as the parser reads them, so the reports, and for
/// a repeated field or damaged string the error (kind, byte, key) and the reports before it,
/// are those of the estimate made on the parsing thread.
@Suite struct HashTableAsideTests {
  /// The estimate made on the parsing thread and the one made with the worker, of `bytes`.
  static func both(_ bytes: [UInt8]) -> (
    own: [KeyMemoryReport], ownError: RDBError?, aside: [KeyMemoryReport], asideError: RDBError?,
    taken: Int
  ) {
    var own = MemoryEstimator(consumer: HashTableRows())
    var ownError: RDBError?
    do { try RDBParser().parse(bytes, into: &own) } catch { ownError = error }
    var aside = MemoryEstimator(consumer: HashTableRows())
    aside.measuresOnSecondCore = true
    var asideError: RDBError?
    do { try RDBParser().parse(bytes, into: &aside) } catch { asideError = error }
    return (
      own.consumer.reports, ownError, aside.consumer.reports, asideError, aside.aside.blobsTaken
    )
  }

  /// A field or value: raw, integer-encoded, LZF-compressed, or with a 14- or 32-bit length
  /// header.
  static func element(_ index: Int) -> [UInt8] {
    // Every index its own text: 0-127 as one byte, 1,000-32,767 as two, from 100,000 as four.
    switch index % 7 {
    case 0 where index < 128: return [0xC0, UInt8(index)]
    case 1 where index < 31_000: return [0xC1] + RDBImageBuilder.littleEndian(Int16(1000 + index))
    case 0, 1, 2: return [0xC2] + RDBImageBuilder.littleEndian(Int32(100_000 + index))
    case 3:
      let text = Array("abcdefghijklmnopqrstuvwxyz\(index)".utf8)
      let literal: [UInt8] = [UInt8(text.count - 1)] + text
      return [0xC3] + RDBImageBuilder.length(UInt64(literal.count))
        + RDBImageBuilder.length(UInt64(text.count)) + literal
    case 4:
      let text = Array((String(repeating: "l", count: 70) + "\(index)").utf8)
      return [0x40, UInt8(text.count)] + text
    case 5:
      let text = Array("w\(index)".utf8)
      return [0x80, 0, 0, 0, UInt8(text.count)] + text
    default:
      return RDBImageBuilder.length(UInt64(("f\(index)").utf8.count)) + Array("f\(index)".utf8)
    }
  }

  /// An RDB 10 image of hash tables of `sizes` fields, each field and value in one of the
  /// forms of ``element(_:)`` (or each value `valueLength` bytes of text), with a string key
  /// between them; `fields` may replace the fields of the table at its index, and one value
  /// may be a damaged LZF string.
  static func image(
    _ sizes: [Int], fields: [Int: [[UInt8]]] = [:], damagedValue: (table: Int, index: Int)? = nil,
    valueLength: Int? = nil, checksum: Bool = true
  ) -> [UInt8] {
    var image = RDBImageBuilder(version: 10)
    for (table, size) in sizes.enumerated() {
      image.key(type: 0, "s:\(table)")
      image.string("between")
      image.key(type: 4, "h:\(table)")
      let own = fields[table] ?? (0..<size).map { element($0 * 3 + table) }
      image.length(UInt64(own.count))
      for (index, field) in own.enumerated() {
        image.raw(field)
        if let damagedValue, damagedValue.table == table, damagedValue.index == index {
          image.raw([0xC3, 2, 10, 0x20, 0x00])
          continue
        }
        if let valueLength {
          image.raw([0x40 | UInt8(valueLength >> 8), UInt8(valueLength & 0xFF)])
          image.raw(Array(repeating: UInt8(ascii: "v"), count: valueLength))
          continue
        }
        image.raw(element(index * 5 + 1))
      }
    }
    return image.finished(checksum: checksum)
  }

  /// Tables of every size around the limits (the fewest taken aside, the table's 16,384
  /// elements, parts of 1 MiB) give the same reports.
  @Test func reportsAgree() throws {
    let bytes = Self.image([3, 15, 16, 17, 200, 3000, 16_384, 16_385, 60_000])
    let result = Self.both(bytes)
    #expect(result.ownError == nil)
    #expect(result.asideError == nil)
    #expect(result.aside.count == 18)
    #expect(result.aside == result.own)
    #expect(result.taken >= 6)
  }

  /// A repeated field, in the table or past its limits, in the first part or a later one:
  /// the same error at the same byte, with the same key, and the same reports before it.
  @Test(arguments: [(200, 150, 7), (16_384, 16_383, 2), (16_385, 16_384, 9), (60_000, 50_000, 3)])
  func repeatIsNamedAsTheParserNamesIt(size: Int, position: Int, earlier: Int) throws {
    var fields = (0..<size).map { Self.element($0 * 3 + 1) }
    fields[position] = fields[earlier]
    for checksum in [true, false] {
      let bytes = Self.image([20, size, 30], fields: [1: fields], checksum: checksum)
      let result = Self.both(bytes)
      let error = try #require(result.ownError)
      #expect(error.key == "h:1")
      #expect(result.asideError == error)
      #expect(result.aside == result.own)
    }
  }

  /// A table of no more fields than the repeat check's table takes, in parts: its fields'
  /// hashes are compared at its end, and a repeat then named by a second, exact walk from its
  /// first part. A repeat within a part or across two, alone or before a damaged value (which
  /// the hashes' walk meets first), at either end: the parser's error and reports.
  @Test(arguments: [
    (5, 11_000, nil), (11_999, 0, nil), (40, 300, nil), (5, 11_000, 11_500), (40, 300, 20),
    (40, 300, 11_000),
  ])
  func repeatInPartsIsNamedAsTheParserNamesIt(earlier: Int, position: Int, damaged: Int?) throws {
    let size = 12_000
    var fields = (0..<size).map { Self.element($0 * 3 + 1) }
    fields[position] = fields[earlier]
    let bytes = Self.image(
      [20, size, 30], fields: [1: fields], damagedValue: damaged.map { (1, $0) },
      valueLength: 100)
    // The table spans more than one part.
    #expect(bytes.count > Decoder.hashTablePartLength + Decoder.hashTablePartLength / 4)
    let result = Self.both(bytes)
    let error = try #require(result.ownError)
    #expect(error.key == "h:1")
    #expect(result.asideError == error)
    #expect(result.aside == result.own)
    #expect(result.taken >= 1)
  }

  /// Tables in parts that the hashes' check passes give the parser's reports.
  @Test func tablesInPartsAgree() throws {
    let bytes = Self.image([12_000, 16_384, 20], valueLength: 100)
    let result = Self.both(bytes)
    #expect(result.ownError == nil)
    #expect(result.asideError == nil)
    #expect(result.aside == result.own)
    #expect(result.taken >= 2)
  }

  /// A damaged LZF value (a back reference before its start), in the first part or a later
  /// one: the same error as the parser's.
  @Test(arguments: [30, 59_000]) func damagedValueIsNamedAsTheParserNamesIt(at index: Int) throws {
    let bytes = Self.image([40, 60_000, 40], damagedValue: (1, index))
    let result = Self.both(bytes)
    let error = try #require(result.ownError)
    #expect(error.key == "h:1")
    #expect(result.asideError == error)
    #expect(result.aside == result.own)
  }
}

/// Hash tables of plain strings only, stepped over in one loop (`ByteSource.skipPlainStrings`),
/// go over in parts no longer than two of the CRC's 1 MiB steps: the loop stops at each step,
/// also between a field and its value, so that a part is handed over while its first pages are
/// held back from release (``ReleaseHold``). One part of a whole 4.5 MiB table outran the
/// release lag, and the worker read pages already released.
@Suite struct HashTablePartTests {
  @Test func plainTableGoesInParts() throws {
    var image = RDBImageBuilder(version: 10)
    image.key(type: 4, "table")
    image.length(150_000)
    for field in 0..<150_000 {
      image.string("field:\(field)")
      image.string("value-\(field)-" + String(repeating: "x", count: field % 9))
    }
    let bytes = image.finished()
    var parts = HashTableParts()
    try RDBParser().parse(bytes, into: &parts)
    #expect(parts.lengths.count >= 3)
    #expect(parts.lengths.dropLast().allSatisfy { $0 <= 2 * Decoder.hashTablePartLength + 64 })
    #expect(parts.continues == parts.lengths.indices.map { $0 < parts.lengths.count - 1 })
    #expect(parts.lengths.reduce(0, +) > 4 << 20)
  }
}

/// A handler that takes every hash table aside and keeps the length of each part handed over,
/// and whether more of its table follows.
private struct HashTableParts: RDBHandler {
  static var measuresPackedBlobsAside: Bool { true }
  var lengths: [Int] = []
  var continues: [Bool] = []
  mutating func takesHashTableAside(count: UInt64, releaseHold: ReleaseHold?)
    throws(RDBError) -> Bool
  { true }
  mutating func packedBlobAside(_ blob: PackedBlobAside) throws(RDBError) {
    lengths.append(blob.bytes.count)
    continues.append(blob.continuesHashTable)
  }
}

/// Reports of an estimator that measures packed values (as `rdbtool memory` does), in order.
private struct HashTableRows: KeyMemoryConsumer {
  static var readsEveryPackedElement: Bool { false }
  var reports: [KeyMemoryReport] = []
  mutating func consume(_ report: KeyMemoryReport) throws(RDBError) { reports.append(report) }
}
