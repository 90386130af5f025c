import Synchronization
import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file that another thread of this process is still writing, following the writer:
/// at the current end it waits for more until the writer says it is done (``Progress``).
/// This lets a written file be parsed again on a second core while it is written, instead of
/// after.
public struct GrowingFileInput: ByteInput {
  /// What the writer tells the reader; shared by both threads.
  public final class Progress: Sendable {
    private let finished = Atomic<Bool>(false)

    public init() {}

    /// The writer wrote and flushed its last byte, or gave up: from now on the end of the
    /// file is the end of the input.
    public func finish() { finished.store(true, ordering: .releasing) }

    var isFinished: Bool { finished.load(ordering: .acquiring) }
  }

  private let descriptor: FileDescriptor
  private let progress: Progress
  private var consumed = 0

  /// Follows the file `descriptor` reads (opened by the caller, who closes it) as `progress`
  /// reports.
  public init(descriptor: FileDescriptor, progress: Progress) {
    self.descriptor = descriptor
    self.progress = progress
  }

  /// Reads what the writer has written so far; at the end, waits (polling every 100 µs: the
  /// writer flushes blocks of hundreds of KB, far apart in time) until it writes more or
  /// finishes.
  public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(RDBError) -> Int {
    while true {
      // Read the flag before the file, so that a writer that finished in between still has
      // its last bytes read.
      let finished = progress.isFinished
      let count: Int
      do {
        count = try unsafe descriptor.read(into: buffer, retryOnInterrupt: true)
      } catch {
        throw RDBError(.readFailed("\(error)"), at: consumed)
      }
      if count > 0 || finished {
        consumed += count
        return count
      }
      usleep(100)
    }
  }
}
