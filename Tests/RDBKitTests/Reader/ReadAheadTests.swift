import Foundation
import RDBKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A pipe is read by a thread of its own into 1 MiB chunks with 256 KiB of room in front, and
/// the parser reads the chunks in place: records that cross a chunk, that are longer than the
/// room or than a chunk, and a stream that fails or stops early must all read as the mapped
/// file does, and the thread must be gone when the parse returns.
@Suite struct ReadAheadTests {
  /// An RDB whose strings straddle the chunk and room sizes.
  static func image() -> [UInt8] {
    var image = RDBImageBuilder(version: 11)
    var random = SplitMix64(seed: 0xAEAD)
    let sizes = [7, 200_000, (256 << 10) + 1, 300_000, (1 << 20) - 3, 1 << 20, (3 << 20) + 5, 40]
    for index in 0..<10 {
      image.key(type: 0, "k\(index)")
      image.string(
        (0..<sizes[index % sizes.count]).map { _ in UInt8(truncatingIfNeeded: random.next()) })
    }
    return image.finished()
  }

  /// Parses `bytes` written into a pipe, in writes of random sizes up to `maximumWrite`, by
  /// another thread, through ``RDBParser/parse(path:leavingToChecksum:into:)`` on
  /// `/dev/fd/N`; `closes` false leaves the write end open after the bytes.
  static func parsePiped(
    _ bytes: [UInt8], maximumWrite: Int, seed: UInt64, closes: Bool = true
  ) -> (outcome: ParseOutcome, trailing: Int?, writer: PipeWriter) {
    let writer = PipeWriter(bytes, maximumWrite: maximumWrite, seed: seed, closes: closes)
    var collector = RecordCollector()
    let outcome: ParseOutcome
    var trailing: Int?
    do {
      let summary = try RDBParser().parse(path: "/dev/fd/\(writer.readEnd)", into: &collector)
      trailing = summary.trailingBytes
      outcome = .success(
        records: ParseOutcome.fingerprint(collector), summary: "\(summary)",
        checksum: summary.checksum)
    } catch let error as RDBError {
      outcome = .failure(error)
    } catch {
      Issue.record("not an RDBError: \(error)")
      outcome = .failure(RDBError(.readFailed("\(error)"), at: -1))
    }
    return (outcome, trailing, writer)
  }

  @Test(arguments: [4096, 70_000, 2 << 20])
  func aPipeReadsAsTheMappedFile(maximumWrite: Int) throws {
    let bytes = Self.image()
    let mapped = ParseOutcome.mapped(bytes)
    #expect(mapped.error == nil)
    for trailing in [0, 3 << 20] {
      let file = bytes + [UInt8](repeating: 0x5A, count: trailing)
      let (piped, trailingBytes, writer) = Self.parsePiped(
        file, maximumWrite: maximumWrite, seed: 3)
      writer.finish()
      #expect(trailingBytes == trailing)
      if case .success(let records, _, let checksum) = piped,
        case .success(let expected, _, let stored) = mapped
      {
        #expect(records == expected)
        #expect(checksum == stored)
      } else {
        Issue.record("\(piped) against \(mapped)")
      }
    }
  }

  /// Cut anywhere (in a record that crosses a chunk, in the room, at a chunk's end) or with a
  /// flipped byte, a pipe fails as a stream read without a thread does (a mapped file names
  /// a length past its end before it reads, a stream when the bytes run out).
  @Test func aDamagedPipeFailsAsTheMappedFile() throws {
    let bytes = Self.image()
    let cuts = [9, 300_000, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, (5 << 20) + 17, bytes.count - 1]
    for cut in cuts {
      let file = Array(bytes[..<cut])
      let streamed = ParseOutcome.streamed(file, seed: 1, maximumChunk: 65_536)
      let (piped, _, writer) = Self.parsePiped(file, maximumWrite: 65_536, seed: UInt64(cut))
      writer.finish()
      #expect(piped.error != nil && piped.error == streamed.error, "cut at \(cut): \(piped)")
    }
    var flipped = bytes
    flipped[(2 << 20) + 9] ^= 0x20
    let (piped, _, writer) = Self.parsePiped(flipped, maximumWrite: 65_536, seed: 5)
    writer.finish()
    #expect(
      piped.error != nil
        && piped.error == ParseOutcome.streamed(flipped, seed: 1, maximumChunk: 65_536).error)
  }

  /// The CRC-64 the reading thread computes, looked up where the parse asks for it (a slide
  /// that kept the end of a chunk, the trailer at any place in a chunk, bytes appended after
  /// the RDB), is the one a stream read without a thread computes: a byte flipped anywhere
  /// fails both alike (a checksum mismatch names both CRCs), and an intact file passes.
  @Test(arguments: [700, 70_000])
  func aPipesChecksumIsTheStreamsChecksum(maximumWrite: Int) throws {
    var image = RDBImageBuilder(version: 11)
    var random = SplitMix64(seed: 0xC4C)
    for index in 0..<160 {
      image.key(type: 0, "key:\(index)")
      image.string(
        (0..<random.below(40_000)).map { _ in UInt8(truncatingIfNeeded: random.next()) })
    }
    let bytes = image.finished()
    for (round, trailing) in [0, 5, 20_000].enumerated() {
      let intact = bytes + [UInt8](repeating: 0x33, count: trailing)
      for flip in [nil, 20 + random.below(bytes.count - 40), (1 << 20) + 3, bytes.count - 12] {
        var file = intact
        if let flip { file[flip] ^= 0x01 }
        let streamed = ParseOutcome.streamed(file, seed: 2, maximumChunk: 65_536)
        let (piped, _, writer) = Self.parsePiped(
          file, maximumWrite: maximumWrite, seed: UInt64(round))
        writer.finish()
        if flip == nil {
          if case .success(let records, let summary, _) = piped,
            case .success(let expected, let expectedSummary, _) = streamed
          {
            #expect(records == expected && summary == expectedSummary)
          } else {
            Issue.record("\(piped) against \(streamed)")
          }
        } else {
          #expect(piped.error != nil && piped.error == streamed.error, "flip at \(flip!)")
        }
      }
    }
  }

  /// A parse that fails at once, while the writer keeps the pipe open and has megabytes left,
  /// returns (the thread waiting for input is woken and stopped), and no more than the
  /// chunks the thread had room for were read from the pipe.
  @Test func aFailedParseStopsReadingThePipe() throws {
    var bytes = Self.image()
    bytes[0] = UInt8(ascii: "X")
    let (piped, _, writer) = Self.parsePiped(bytes, maximumWrite: 65_536, seed: 8, closes: false)
    #expect(piped.error?.kind.name == .badMagic)
    // The parse has returned: the rest of the pipe is the test's to read.
    let left = writer.drainReadEnd()
    writer.finish()
    #expect(left > 0 && left >= bytes.count - (5 << 20), "\(left) of \(bytes.count) left")
  }
}

/// Writes bytes into a pipe from a thread of its own, in writes of random sizes.
final class PipeWriter: @unchecked Sendable {
  let readEnd: Int32
  private let writeEnd: Int32
  private let closes: Bool
  private let done = DispatchSemaphore(value: 0)
  private var written = 0

  init(_ bytes: [UInt8], maximumWrite: Int, seed: UInt64, closes: Bool) {
    var ends: [Int32] = [0, 0]
    precondition(pipe(&ends) == 0)
    readEnd = ends[0]
    writeEnd = ends[1]
    self.closes = closes
    let thread = Thread { [self] in
      var random = SplitMix64(seed: seed)
      bytes.withUnsafeBytes { buffer in
        guard let base = buffer.baseAddress else { return }
        while written < buffer.count {
          let count = min(buffer.count - written, 1 + random.below(maximumWrite))
          let result = write(writeEnd, base + written, count)
          if result <= 0 { break }
          written += result
        }
      }
      if closes { close(writeEnd) }
      done.signal()
    }
    thread.start()
  }

  /// Reads whatever is left in the pipe until every byte is written, and counts it; for a
  /// writer that keeps the pipe open.
  func drainReadEnd() -> Int {
    var count = 0
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    let flags = fcntl(readEnd, F_GETFL)
    _ = fcntl(readEnd, F_SETFL, flags | O_NONBLOCK)
    var idle = 0
    while idle < 200 {
      let got = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
      if got > 0 {
        count += got
        idle = 0
      } else {
        idle += 1
        usleep(5000)
      }
    }
    return count
  }

  /// Reads what the parse left (to the end of the input, when the writer closes its end),
  /// waits for the writer (at most 60 s) and closes the pipe.
  func finish() {
    if closes {
      var buffer = [UInt8](repeating: 0, count: 1 << 16)
      while buffer.withUnsafeMutableBytes({ read(readEnd, $0.baseAddress, $0.count) }) > 0 {}
    }
    _ = done.wait(timeout: .now() + 60)
    close(readEnd)
    if !closes { close(writeEnd) }
  }
}
