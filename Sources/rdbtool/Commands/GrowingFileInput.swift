import RDBKit
import SystemPackage

/// A file read while another thread of this process still writes it: at its current end, a
/// read waits for more bytes (a pause growing from 50 µs to 2 ms) until the writer has
/// finished, then the end is the end; once the writer has given up, the read fails.
///
/// A regular file's size grows only after the bytes below it are copied in, so whatever a
/// read returns is what was written.
struct GrowingFileInput: ByteInput {
  let descriptor: FileDescriptor
  let writer: WriteProgress
  private var offset: Int64 = 0
  private var pause = Self.shortestPause

  private static let shortestPause = 50
  private static let longestPause = 2_000

  /// Reads `descriptor` from its start, following `writer`.
  init(descriptor: FileDescriptor, writer: WriteProgress) {
    self.descriptor = descriptor
    self.writer = writer
  }

  mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(RDBError) -> Int {
    while true {
      // Taken before the read: once finished, every byte is there for the read to find.
      let state = writer.state
      let count: Int
      do {
        count = try unsafe descriptor.read(
          fromAbsoluteOffset: offset, into: buffer, retryOnInterrupt: true)
      } catch {
        throw RDBError(.readFailed("\(error)"), at: Int(offset))
      }
      if count > 0 {
        offset += Int64(count)
        pause = Self.shortestPause
        return count
      }
      switch state {
      case .finished:
        return 0
      case .abandoned:
        throw RDBError(.readFailed("the file was not finished"), at: Int(offset))
      case .writing:
        writer.wait(microseconds: pause)
        pause = min(pause * 2, Self.longestPause)
      }
    }
  }
}
