import Foundation
import SystemPackage
import Testing

@testable import RDBKit

/// `dump --format jsonl` with a ``JSONLinesBatcher`` writes what one parse writes: every
/// fixture, in every byte-string style, with batches of one record or of many, with records
/// decoded alone as large ones; and a damaged file's text (the batcher's, then a parse from
/// where it says to resume) and error are one parse's.
@Suite struct JSONLinesBatcherTests {
  /// What `body` writes through a background OutputBuffer into a temporary file.
  private func written(_ body: (OutputBuffer) throws -> Void) throws -> [UInt8] {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("batcher-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let descriptor = try FileDescriptor.open(
      FilePath(path), .writeOnly, options: [.create, .truncate], permissions: .ownerReadWrite)
    do {
      let output = OutputBuffer(descriptor: descriptor, writesInBackground: true)
      try body(output)
      try? output.flush()
    }
    try descriptor.close()
    return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
  }

  /// What `body` writes through a background OutputBuffer into a pipe whose reader takes
  /// 4 KiB at a time and pauses after each read, so that the output's thread is mostly in
  /// `write` while batches are formatted and handed to it.
  private func writtenThroughSlowPipe(_ body: (OutputBuffer) throws -> Void) throws -> [UInt8] {
    var ends: [Int32] = [0, 0]
    #expect(pipe(&ends) == 0)
    let reader = SlowPipeReader(ends[0])
    do {
      let output = OutputBuffer(
        descriptor: FileDescriptor(rawValue: ends[1]), writesInBackground: true)
      try body(output)
      try? output.flush()
    }
    close(ends[1])
    return reader.finish()
  }

  /// One parse's text of `bytes` and its error, if it fails.
  private func oneParse(_ bytes: [UInt8], style: ByteStringStyle) throws -> (
    text: [UInt8], error: String?
  ) {
    var message: String?
    let text = try written { output in
      var writer = JSONLinesWriter(output: output, style: style)
      do throws(RDBError) {
        try RDBParser().parse(bytes, into: &writer)
      } catch {
        message = error.description
      }
    }
    return (text, message)
  }

  /// `original`, then, at `places` places spread evenly over it, a copy with that byte flipped
  /// and a copy cut there.
  private func withDamage(_ original: [UInt8], places: Int) -> [[UInt8]] {
    let step = original.count / places
    var inputs = [original]
    for position in stride(from: step / 2, to: original.count, by: step) {
      var flipped = original
      flipped[position] ^= 0x5A
      inputs += [flipped, Array(original.prefix(position))]
    }
    return inputs
  }

  /// The text and error of a dump as `rdbtool dump` runs it with a batcher of these sizes
  /// (every key batched unless `smallestRecord` says otherwise), into a file or a pipe read
  /// slowly.
  private func batched(
    _ bytes: [UInt8], style: ByteStringStyle, batchBytes: Int, largeRecord: Int,
    largestHandedRecord: Int, smallestRecord: Int = 0, thirdSlotBytes: Int = 4 << 20,
    throughSlowPipe: Bool = false
  ) throws -> (text: [UInt8], error: String?) {
    var message: String?
    let write = throughSlowPipe ? writtenThroughSlowPipe : written
    let text = try write { output in
      try bytes.withUnsafeBytes { buffer in
        let base = try #require(buffer.baseAddress)
        let batcher = try #require(
          unsafe JSONLinesBatcher(
            output: output, style: style, base: base, batchBytes: batchBytes,
            largeRecord: largeRecord, largestHandedRecord: largestHandedRecord,
            smallestRecord: smallestRecord, sampleKeys: 1, thirdSlotBytes: thirdSlotBytes))
        var writer = JSONLinesWriter(output: output, style: style)
        writer.batch(with: batcher)
        var failure: RDBError?
        do throws(RDBError) {
          try RDBParser().parse(bytes, into: &writer)
        } catch {
          failure = error
        }
        batcher.settle()
        writer.batch(with: nil)
        if let resumeOffset = batcher.resumeOffset {
          var again = JSONLinesWriter(output: output, style: style)
          again.resumeOffset = resumeOffset
          do throws(RDBError) {
            try RDBParser().parse(bytes, into: &again)
          } catch {
            message = error.description
          }
        } else {
          message = failure?.description
        }
      }
    }
    return (text, message)
  }

  @Test(arguments: Fixture.all, [ByteStringStyle.utf8, .base64, .text])
  func sameTextAsOneParse(_ fixture: Fixture, style: ByteStringStyle) throws {
    let bytes = try fixture.bytes()
    let expected = try oneParse(bytes, style: style)
    // Large records decoded by the parse (handed up to the large size: never), or handed
    // over as batches of their own.
    for (batchBytes, largeRecord, handed) in [
      (1, 1 << 20, 1 << 20), (4096, 1 << 20, 1 << 20), (1 << 18, 1 << 19, 1 << 22),
      (1, 64, 64), (1, 64, 1 << 20), (4096, 256, 1024),
    ] {
      let got = try batched(
        bytes, style: style, batchBytes: batchBytes, largeRecord: largeRecord,
        largestHandedRecord: handed)
      #expect(
        got.text == expected.text,
        "batches of \(batchBytes), large \(largeRecord), handed up to \(handed)")
      #expect(got.error == expected.error)
    }
  }

  /// An RDB 11 image of string keys: for each of `sizes`, a key whose value is that many
  /// bytes (letters, quotes and newlines, so that its text must be escaped), without a
  /// checksum.
  private func stringImage(_ sizes: [Int]) -> [UInt8] {
    var image = Array("REDIS0011".utf8)
    for (index, size) in sizes.enumerated() {
      image.append(0)
      let key = Array("key:\(index)".utf8)
      image.append(UInt8(key.count))
      image += key
      image.append(0x80)
      withUnsafeBytes(of: UInt32(size).bigEndian) { image += $0 }
      for offset in 0..<size {
        let byte: UInt8
        if offset % 97 == 0 {
          byte = UInt8(ascii: "\"")
        } else if offset % 89 == 0 {
          byte = 10
        } else {
          byte = UInt8(65 + offset % 26)
        }
        image.append(byte)
      }
    }
    image.append(0xFF)
    image += repeatElement(0, count: 8)
    return image
  }

  /// Records large enough to be batches of their own, between small ones and after each
  /// other, written from the batch's text (over 64 KiB: lent to the background writer, not
  /// copied): the text is one parse's, in order.
  @Test func largeRecordsHandedOverKeepTheirOrder() throws {
    let sizes = [100, 300_000, 200_000, 50, 70_000, 400_000, 10, 20, 150_000, 90_000, 5, 600_000]
    let bytes = stringImage(sizes)
    let expected = try oneParse(bytes, style: .utf8)
    #expect(expected.error == nil)
    for (batchBytes, largeRecord, handed) in [
      (1 << 18, 1 << 16, 1 << 19), (1 << 18, 1 << 16, 1 << 20), (4096, 1024, 1 << 20),
      (1 << 18, 1 << 16, 1 << 16),
    ] {
      let got = try batched(
        bytes, style: .utf8, batchBytes: batchBytes, largeRecord: largeRecord,
        largestHandedRecord: handed)
      #expect(got.text == expected.text, "large \(largeRecord), handed up to \(handed)")
      #expect(got.error == nil)
    }
  }

  /// Flipped bytes and cuts through two fixtures' keys: what is written and the error are one
  /// parse's, whether the damage stops a batch, the step over a copied value, a record decoded
  /// alone or the parse between keys.
  @Test(arguments: [
    Fixture.named("redis-7.2.6", "compact-off"), Fixture.named("valkey-7.2.7", "lru"),
  ])
  func damageIsReportedAsOneParseReportsIt(_ fixture: Fixture) throws {
    let original = try fixture.bytes()
    let step = max(1, original.count / 40)
    for position in stride(from: 20, to: original.count, by: step) {
      var flipped = original
      flipped[position] ^= 0x5A
      let cut = Array(original.prefix(position))
      for damaged in [flipped, cut] {
        let expected = try oneParse(damaged, style: .utf8)
        for (batchBytes, largeRecord, handed) in [
          (1, 1 << 20, 1 << 20), (4096, 256, 256), (1, 64, 1 << 20),
        ] {
          let got = try batched(
            damaged, style: .utf8, batchBytes: batchBytes, largeRecord: largeRecord,
            largestHandedRecord: handed)
          #expect(got.text == expected.text, "byte \(position), batches of \(batchBytes)")
          #expect(got.error == expected.error, "byte \(position), batches of \(batchBytes)")
        }
      }
    }
  }

  /// A run of streams between small keys, each over the large size: each ends its batch,
  /// copied even when both slots are out, and the parse formats a batch the thread has not
  /// started into its slot. The text is one parse's, in order; cut or with a byte flipped at
  /// 12 places, the text and the error are one parse's too, wherever the damage falls (a
  /// batch the thread formats or one the parse does).
  @Test func runOfStreamsTakenInTurn() throws {
    for input in withDamage(StreamNodesAsideTests.image(streams: 60), places: 12) {
      let expected = try oneParse(input, style: .utf8)
      for (batchBytes, largeRecord) in [(1, 256), (4096, 256), (1 << 18, 512)] {
        let got = try batched(
          input, style: .utf8, batchBytes: batchBytes, largeRecord: largeRecord,
          largestHandedRecord: 1 << 20)
        #expect(got.text == expected.text, "\(input.count) bytes, batches of \(batchBytes)")
        #expect(got.error == expected.error, "\(input.count) bytes, batches of \(batchBytes)")
      }
    }
  }

  /// Many batches written into a pipe read slowly, so that the output's thread is still
  /// writing one batch's text when the next is formatted: the text and the error are one
  /// parse's, whole and in order (streams in turn, large records of their own and batches of
  /// small keys; cut or with a byte flipped, so that a failed batch stops the writing).
  @Test func batchesWrittenInTurnThroughASlowPipe() throws {
    let streams = withDamage(StreamNodesAsideTests.image(streams: 60), places: 3)
    let strings = stringImage([100, 300_000, 200_000, 50, 70_000, 400_000, 10, 20, 150_000])
    for input in streams + withDamage(strings, places: 3) {
      let expected = try oneParse(input, style: .utf8)
      for (batchBytes, largeRecord) in [(1, 256), (4096, 1024), (1 << 18, 1 << 16)] {
        let got = try batched(
          input, style: .utf8, batchBytes: batchBytes, largeRecord: largeRecord,
          largestHandedRecord: 1 << 20, throughSlowPipe: true)
        #expect(got.text == expected.text, "\(input.count) bytes, batches of \(batchBytes)")
        #expect(got.error == expected.error, "\(input.count) bytes, batches of \(batchBytes)")
      }
    }
  }

  /// The third batch out only while the batches out hold at most `thirdSlotBytes` of records:
  /// with a bound below most records, a large record is decoded by the parse or waits for
  /// room, and a batch waits for more than one batch out to be written. The text is one
  /// parse's, whole and in order, and cut or with a byte flipped, so are the text and the error.
  @Test func thirdBatchOnlyWithinItsBound() throws {
    let streams = withDamage(StreamNodesAsideTests.image(streams: 30), places: 3)
    let strings = stringImage([100, 3_000, 20_000, 50, 7_000, 40_000, 10, 20, 15_000, 9_000])
    for input in streams + withDamage(strings, places: 3) {
      let expected = try oneParse(input, style: .utf8)
      for thirdSlotBytes in [0, 5_000, 60_000] {
        let got = try batched(
          input, style: .utf8, batchBytes: 1, largeRecord: 256, largestHandedRecord: 1 << 20,
          thirdSlotBytes: thirdSlotBytes, throughSlowPipe: true)
        #expect(got.text == expected.text, "\(input.count) bytes, bound \(thirdSlotBytes)")
        #expect(got.error == expected.error, "\(input.count) bytes, bound \(thirdSlotBytes)")
      }
    }
  }

  /// Streams among keys too small to batch (the first record of each 64 KiB stretch decides:
  /// a stream, or a string of a few bytes) are copied while batches are out, and go in turn
  /// or, when they do not, are decoded alone by the parse: the text is one parse's, and cut
  /// or with a byte flipped, so are the text and the error.
  @Test func streamsAmongSmallKeysCopiedWhileBatchesAreOut() throws {
    let original = StreamNodesAsideTests.image(streams: 80, entries: 200, stringsBetween: 3)
    for input in withDamage(original, places: 10) {
      let expected = try oneParse(input, style: .utf8)
      for (batchBytes, largeRecord) in [(1, 256), (4096, 1 << 20), (1 << 18, 512)] {
        let got = try batched(
          input, style: .utf8, batchBytes: batchBytes, largeRecord: largeRecord,
          largestHandedRecord: 1 << 20, smallestRecord: 100)
        #expect(got.text == expected.text, "\(input.count) bytes, batches of \(batchBytes)")
        #expect(got.error == expected.error, "\(input.count) bytes, batches of \(batchBytes)")
      }
    }
  }
}

/// Reads a pipe to its end on a thread of its own, 4 KiB at a time with a pause after each
/// read: a slow reader, which keeps a writer waiting.
private final class SlowPipeReader: @unchecked Sendable {
  private let descriptor: Int32
  private let ended = DispatchSemaphore(value: 0)
  private var bytes: [UInt8] = []

  init(_ descriptor: Int32) {
    self.descriptor = descriptor
    Thread { [self] in
      var chunk = [UInt8](repeating: 0, count: 4096)
      while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count <= 0 { break }
        bytes += chunk.prefix(count)
        usleep(20)
      }
      ended.signal()
    }.start()
  }

  /// Waits for the end of the pipe (its write end closed) and returns what was read.
  func finish() -> [UInt8] {
    ended.wait()
    close(descriptor)
    return bytes
  }
}
