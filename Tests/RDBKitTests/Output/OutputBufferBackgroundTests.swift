import Foundation
import SystemPackage
import Testing

@testable import RDBKit

/// An OutputBuffer that writes on a thread of its own: every byte arrives, in order, whatever
/// the mix of small appends, blocks that grow past their size, flushes and direct writes; a
/// failed write comes out of a later flush.
@Suite struct OutputBufferBackgroundTests {
  /// Writes through a background buffer with 4 KiB blocks to a temporary file and returns
  /// what the file holds and what was meant to be written.
  private func roundTrip(_ write: (OutputBuffer, inout [UInt8]) throws -> Void) throws -> (
    written: [UInt8], expected: [UInt8]
  ) {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("background-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let descriptor = try FileDescriptor.open(
      FilePath(path), .writeOnly, options: [.create, .truncate], permissions: .ownerReadWrite)
    var expected: [UInt8] = []
    do {
      let output = OutputBuffer(descriptor: descriptor, blockSize: 4096, writesInBackground: true)
      try write(output, &expected)
      try output.flush()
    }
    try descriptor.close()
    return (Array(try Data(contentsOf: URL(fileURLWithPath: path))), expected)
  }

  @Test func everyByteArrivesInOrder() throws {
    let (written, expected) = try roundTrip { output, expected in
      var generator = SystemRandomNumberGenerator()
      for line in 0..<20_000 {
        let text =
          "line \(line) "
          + String(repeating: "x", count: Int.random(in: 0..<200, using: &generator))
        output.append(text)
        output.append(UInt8(ascii: "\n"))
        expected += Array(text.utf8) + [UInt8(ascii: "\n")]
        // A value larger than two blocks, appended whole (the buffer grows), now and then.
        if line % 997 == 0 {
          let large = [UInt8](repeating: UInt8(line % 251), count: 9000 + line)
          output.append(contentsOf: large)
          expected += large
        }
        if line % 1999 == 0 {
          let direct = [UInt8](repeating: UInt8(ascii: "d"), count: 5000)
          try direct.withUnsafeBytes { try unsafe output.flush(andWrite: $0) }
          expected += direct
        }
        try output.flushIfFull()
      }
    }
    #expect(written.count == expected.count)
    #expect(written == expected)
  }

  @Test func aFailedWriteComesOutOfTheNextFlush() throws {
    let full = try FileDescriptor.open("/dev/full", .writeOnly)
    defer { try? full.close() }
    let output = OutputBuffer(descriptor: full, blockSize: 4096, writesInBackground: true)
    output.append(contentsOf: [UInt8](repeating: 65, count: 5000))
    // The first block is handed over; its failure shows at the latest in the last flush.
    var failure: RDBError?
    do {
      try output.flushIfFull()
      output.append(contentsOf: [UInt8](repeating: 66, count: 100))
      try output.flush()
    } catch {
      failure = error
    }
    let reason = try #require(failure).kind
    #expect(reason == .handlerFailed("cannot write output: No space left on device"))
  }
}
