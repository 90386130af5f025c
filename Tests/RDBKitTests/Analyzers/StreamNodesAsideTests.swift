import Foundation
import Testing

@testable import RDBKit

/// Stream nodes measured on a second core (``MemoryEstimator/measuresOnSecondCore``): their
/// walk (entry order, live entries against the stored length, header counts) goes with them,
/// and the reports, warnings and errors are those of the parsing thread's own walk.
@Suite(.serialized) struct StreamNodesAsideTests {
  /// Hundreds of streams of many nodes, compressed and raw, with deleted entries, entries with
  /// the master's fields and their own, nodes whose first element is no small integer, and
  /// the three stream warnings: the same reports (element counts and longest elements
  /// included) and warnings.
  @Test func streamsAgree() throws {
    let bytes = Self.image(streams: 400)
    let (own, expected) = try Self.estimate(bytes, aside: false)
    let (aside, summary) = try Self.estimate(bytes, aside: true)
    #expect(aside.consumer.reports.count == own.consumer.reports.count)
    #expect(aside.consumer.reports == own.consumer.reports)
    #expect(summary.warnings == expected.warnings)
    #expect(summary.warnings.count > 20)
    #expect(aside.aside.blobsTaken > 2000)
    // Each stream's end clears the flag that spares the worker's lock for its nodes.
    #expect(!aside.aside.inStreamNodes)
  }

  /// Stream nodes damaged byte by byte (a byte changed, with and without a checksum, or the
  /// file cut inside a node): the same error (offset, key, text) and the same rows before
  /// it, or the same reports and warnings when the change is one the walk accepts.
  @Test(arguments: [true, false]) func damagedNodesFailAlike(checksum: Bool) throws {
    let bytes = Self.image(streams: 60, checksum: checksum, compressEvery: 2)
    var cases: [[UInt8]] = []
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func random(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    // Inside the streams of the middle of the file: nodes, raw and compressed.
    let span = bytes.count / 3..<(2 * bytes.count / 3)
    for _ in 0..<120 {
      var copy = bytes
      let at = span.lowerBound + random(span.count)
      copy[at] ^= UInt8(1 + random(255))
      cases.append(copy)
    }
    for _ in 0..<10 { cases.append(Array(bytes[..<(span.lowerBound + random(span.count))])) }
    var failures = 0
    for damaged in cases {
      var own = MemoryEstimator(consumer: MeasuredStreamRows())
      var ownError: RDBError?
      var ownSummary: ParseSummary?
      do { ownSummary = try RDBParser().parse(damaged, into: &own) } catch { ownError = error }
      var aside = MemoryEstimator(consumer: MeasuredStreamRows())
      aside.measuresOnSecondCore = true
      var asideError: RDBError?
      var asideSummary: ParseSummary?
      do { asideSummary = try RDBParser().parse(damaged, into: &aside) } catch {
        asideError = error
      }
      #expect(asideError == ownError)
      #expect(asideError?.description == ownError?.description)
      #expect(aside.consumer.reports == own.consumer.reports)
      #expect(asideSummary?.warnings == ownSummary?.warnings)
      if ownError != nil { failures += 1 }
    }
    #expect(failures > 40)
  }

  static func estimate(_ bytes: [UInt8], aside: Bool) throws -> (
    MemoryEstimator<MeasuredStreamRows>, ParseSummary
  ) {
    var estimator = MemoryEstimator(consumer: MeasuredStreamRows())
    estimator.measuresOnSecondCore = aside
    let summary = try RDBParser().parse(bytes, into: &estimator)
    return (estimator, summary)
  }

  /// An RDB 10 image of `streams` streams (type 19, with a consumer group each) between
  /// strings and small hashes. Stream `n` has `n % 7 + 1` nodes of up to `entries` entries;
  /// every `compressEvery`-th node is LZF-compressed. Every 13th stream has a node whose
  /// entries go back in ID order, every 17th a stored length other than its live entries,
  /// every 19th a node whose header miscounts, every 23rd a node whose live count is a
  /// 64-bit integer (its count not shown by a compressed node's first bytes), every 29th a
  /// node whose last entry's ID is past the next node's first.
  static func image(
    streams: Int, entries: Int = 40, checksum: Bool = true, compressEvery: Int = 3,
    nodes: (Int) -> Int = { $0 % 7 + 1 }, stringsBetween: Int = 1
  ) -> [UInt8] {
    var image = RDBImageBuilder(version: 10)
    let compressor = LZFCompressor()
    func blob(_ bytes: [UInt8], compressed: Bool) {
      let packed =
        compressed
        ? unsafe bytes.withUnsafeBytes { unsafe compressor.compress($0).map(Array.init) } : nil
      guard let packed else { return image.string(bytes) }
      image.byte(0xC3)
      image.length(UInt64(packed.count))
      image.length(UInt64(bytes.count))
      image.raw(packed)
    }
    var nodeNumber = 0
    for index in 0..<streams {
      for string in 0..<stringsBetween {
        image.key(type: 0, string == 0 ? "before:\(index)" : "before:\(index):\(string)")
        image.string(String(repeating: "s", count: (index + string) % 30))
      }
      image.key(type: 19, "stream:\(index)")
      let nodeCount = nodes(index)
      image.length(UInt64(nodeCount))
      var live: UInt64 = 0
      var lastMs: UInt64 = 0
      for node in 0..<nodeCount {
        let masterMs = UInt64(1_000_000 + index * 10_000 + node * 1000)
        var nodeEntries: [StreamNodeEntry] = []
        let count = (index + node) % entries + 1
        for entry in 0..<count {
          let deleted = (entry + index) % 5 == 4
          let same = entry % 3 != 1
          var msDelta = Int64(entry)
          // Out of order: inside the last node, or across a node's end.
          if index % 13 == 5, node == nodeCount - 1, entry == count - 1, count > 1 { msDelta = 0 }
          if index % 29 == 9, node == 0, entry == count - 1, nodeCount > 1 { msDelta = 5000 }
          let value = String(repeating: "v", count: (entry * 7 + index) % 90)
          let fields = same ? [("f1", value), ("f2", "x\(entry)")] : [("own\(entry % 4)", value)]
          nodeEntries.append(
            StreamNodeEntry(
              msDelta: msDelta, seqDelta: 0, fields: fields, deleted: deleted, sameFields: same))
          if !deleted { live += 1 }
          lastMs = masterMs + UInt64(entry)
        }
        var listpack = StreamImage.node(
          masterFields: ["f1", "f2"], entries: nodeEntries,
          count: index % 19 == 7 && node == 0 ? 0xFFF0 : nil)
        if index % 23 == 11, node == 0 {
          // The live count as a 64-bit integer.
          let liveHere = Int64(nodeEntries.filter { !$0.deleted }.count)
          listpack = Self.withWideLiveCount(listpack, liveHere)
        }
        image.string(
          RDBImageBuilder.bigEndian(masterMs) + RDBImageBuilder.bigEndian(UInt64(0)))
        blob(listpack, compressed: nodeNumber % compressEvery == 0)
        nodeNumber += 1
      }
      image.length(index % 17 == 3 ? live + 2 : live)
      image.length(lastMs)
      image.length(0)
      // RDB 10 (type 19): first ID, max deleted ID, entries added.
      image.length(1_000_000)
      image.length(0)
      image.length(0)
      image.length(0)
      image.length(live)
      image.length(1)
      image.string("group")
      image.length(lastMs)
      image.length(0)
      image.length(UInt64(live))
      image.length(0)
      image.length(0)
      image.key(type: 16, "hash:\(index)")
      blob(
        listpack([.string(utf8("field")), .string(utf8("value-\(index)"))]),
        compressed: false)
    }
    return image.finished(checksum: checksum)
  }

  /// `node` (a stream listpack of small counts) with its first element, the live count,
  /// written as a 64-bit integer.
  static func withWideLiveCount(_ node: [UInt8], _ live: Int64) -> [UInt8] {
    var elements = Array(node[6..<(node.count - 1)])
    // The first element is a 7-bit integer (1 byte) and its backlen (1 byte).
    elements.removeFirst(2)
    let wide = ListpackElement.int64(live).encoded
    let body = wide + listpackBacklen(wide.count) + elements
    let total = 6 + body.count + 1
    return RDBImageBuilder.littleEndian(UInt32(total)) + Array(node[4..<6]) + body + [0xFF]
  }
}

/// Reports of an estimator that measures packed values (as `rdbtool memory` does), in order.
struct MeasuredStreamRows: KeyMemoryConsumer {
  static var readsEveryPackedElement: Bool { false }
  var reports: [KeyMemoryReport] = []
  mutating func consume(_ report: KeyMemoryReport) throws(RDBError) { reports.append(report) }
}

// With the other test that slows the worker down (``PackedBlobWorker/delayForTests``, a static
// the tests share), in a serialized suite: run beside it, the other's end set the delay back to
// 0 under this one, whose worker then kept up and never made the parse wait.
extension PackedBlobAsideTests {
  /// A worker far slower than the parse while it reads on, over a mapped file of streams of
  /// about 20 MiB: the parse walks nodes itself once the queue is full (the worker carries the
  /// stream's walk over their summaries), waits at its 1 MiB steps, no node is read from a
  /// released page, and the reports and warnings are the same.
  @Test func slowWorkerOnStreams() throws {
    let bytes = StreamNodesAsideTests.image(streams: 1500, entries: 120)
    #expect(bytes.count > 16 << 20)
    let path = try TemporaryImage.write(bytes, prefix: "stream-aside").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    var own = MemoryEstimator(consumer: MeasuredStreamRows())
    let expected = try RDBParser().parse(path: path, into: &own)
    PackedBlobWorker.delayForTests = 2000
    defer { PackedBlobWorker.delayForTests = 0 }
    var aside = MemoryEstimator(consumer: MeasuredStreamRows())
    aside.measuresOnSecondCore = true
    let summary = try RDBParser().parse(path: path, into: &aside)
    #expect(aside.consumer.reports == own.consumer.reports)
    #expect(summary.warnings == expected.warnings)
    let hold = try #require(aside.aside.hold)
    #expect(hold.waits > 0)
    #expect(hold.released > 4 << 20)
    #expect(hold.readsBehindRelease == 0)
    #expect(aside.aside.blobsTaken > PackedBlobWorker.queueLimit * 4)
  }
}

extension PackedBlobAsideTests {
  /// Streams of more nodes than are staged before they are queued on the worker
  /// (``MemoryEstimator/stagedNodeLimit``), some spanning more than
  /// ``MemoryEstimator/stagedSpanLimit`` bytes, over a mapped file whose pages are released:
  /// the same reports and warnings, nothing left staged, and no node read from a released page.
  @Test func stagedNodesAgree() throws {
    let bytes = StreamNodesAsideTests.image(
      streams: 60, entries: 120, compressEvery: 4, nodes: { $0 % 3 == 0 ? 120 : 15 + $0 % 4 })
    #expect(bytes.count > 8 << 20)
    let path = try TemporaryImage.write(bytes, prefix: "stream-staged").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    var own = MemoryEstimator(consumer: MeasuredStreamRows())
    let expected = try RDBParser().parse(path: path, into: &own)
    var aside = MemoryEstimator(consumer: MeasuredStreamRows())
    aside.measuresOnSecondCore = true
    let summary = try RDBParser().parse(path: path, into: &aside)
    #expect(aside.consumer.reports.count == own.consumer.reports.count)
    #expect(aside.consumer.reports == own.consumer.reports)
    #expect(summary.warnings == expected.warnings)
    #expect(aside.aside.staged.isEmpty)
    let hold = try #require(aside.aside.hold)
    #expect(hold.released > 0)
    #expect(hold.readsBehindRelease == 0)
  }
}

extension PackedBlobAsideTests {
  /// Hundreds of string keys behind each stream, held while a slowed worker measures its
  /// nodes, for a consumer that keeps no report (as `rdbtool memory`'s writer): the passed
  /// reports' name buffers serve the keys that follow, more than
  /// ``MemoryEstimator/collectedReportCount`` at a time, and each row still names its own key.
  @Test func heldReportsLendTheirNames() throws {
    let bytes = StreamNodesAsideTests.image(
      streams: 20, nodes: { 40 + $0 % 3 }, stringsBetween: 300)
    var own = MemoryEstimator(consumer: MeasuredStreamRows())
    _ = try RDBParser().parse(bytes, into: &own)
    PackedBlobWorker.delayForTests = 50
    defer { PackedBlobWorker.delayForTests = 0 }
    var aside = MemoryEstimator(consumer: RowsByValue())
    aside.measuresOnSecondCore = true
    _ = try RDBParser().parse(bytes, into: &aside)
    #expect(aside.consumer.rows.count > 6000)
    #expect(aside.consumer.rows == own.consumer.reports.map(RowsByValue.row))
    #expect(aside.aside.spareNames.count > MemoryEstimator<RowsByValue>.collectedReportCount)
  }
}

/// Rows of an estimator that measures packed values, each copied out of its report, which is
/// not kept.
struct RowsByValue: KeyMemoryConsumer {
  struct Row: Equatable {
    var key: [UInt8]
    var size: Int
    var elements: Int
    var largest: Int
  }

  static var readsEveryPackedElement: Bool { false }
  var rows: [Row] = []

  static func row(_ report: KeyMemoryReport) -> Row {
    Row(
      key: report.key, size: report.sizeInBytes, elements: report.elementCount,
      largest: report.largestElementLength)
  }

  mutating func consume(_ report: KeyMemoryReport) throws(RDBError) {
    rows.append(Self.row(report))
  }
}
