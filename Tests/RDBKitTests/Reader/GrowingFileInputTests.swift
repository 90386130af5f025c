import Foundation
import RDBKit
import SystemPackage
import Testing

/// A file parsed while another thread writes it, in pieces with pauses between them, reads
/// exactly as the finished file does; a writer that gives up midway leaves the reader with a
/// truncated file, never waiting forever.
@Suite struct GrowingFileInputTests {
  /// Writes `bytes` to a new file in `pieces` parts, 5 ms apart, while this thread parses it
  /// through ``GrowingFileInput``; `finishAfter` stops the writer early.
  static func parseWhileWriting(
    _ bytes: [UInt8], pieces: Int, finishAfter stop: Int? = nil
  ) throws -> Result<ParseSummary, RDBError> {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("growing-\(UUID().uuidString).rdb").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let writer = try FileDescriptor.open(
      FilePath(path), .writeOnly, options: [.create, .truncate], permissions: .ownerReadWrite)
    let reader = try FileDescriptor.open(FilePath(path), .readOnly)
    defer { try? reader.close() }
    let progress = GrowingFileInput.Progress()
    let written = DispatchSemaphore(value: 0)
    let size = (bytes.count + pieces - 1) / pieces
    let chunks = stride(from: 0, to: bytes.count, by: size).map {
      Array(bytes[$0..<min($0 + size, bytes.count)])
    }
    DispatchQueue.global().async {
      for chunk in chunks.prefix(stop ?? chunks.count) {
        Thread.sleep(forTimeInterval: 0.005)
        _ = try? writer.writeAll(chunk)
      }
      try? writer.close()
      progress.finish()
      written.signal()
    }
    defer { written.wait() }
    var counter = KeyCountAnalyzer()
    return Result { () throws(RDBError) in
      try RDBParser().parse(
        input: GrowingFileInput(descriptor: reader, progress: progress), into: &counter)
    }
  }

  @Test func aFileReadWhileWrittenReadsAsTheFinishedFile() throws {
    let fixture = Fixture.named("redis-7.4.1", "default")
    let bytes = try fixture.bytes()
    var whole = KeyCountAnalyzer()
    let expected = try RDBParser().parse(bytes, into: &whole)
    let summary = try Self.parseWhileWriting(bytes, pieces: 17).get()
    #expect(summary.byteCount == expected.byteCount)
    #expect(summary.checksum == expected.checksum)
  }

  @Test func aWriterThatGivesUpLeavesATruncatedFile() throws {
    let bytes = try Fixture.named("redis-7.4.1", "default").bytes()
    let outcome = try Self.parseWhileWriting(bytes, pieces: 10, finishAfter: 4)
    guard case .failure(let error) = outcome else {
      Issue.record("a file cut after 4 of 10 pieces parsed")
      return
    }
    #expect("\(error)".contains("ends early"), "\(error)")
  }
}
