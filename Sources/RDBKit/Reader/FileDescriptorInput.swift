import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file descriptor that cannot be mapped: a pipe, a socket, a terminal.
public struct FileDescriptorInput: ByteInput {
  private let descriptor: FileDescriptor
  private var consumed = 0

  /// Reads from `descriptor`, which the caller keeps open and owns. A pipe is asked to hold
  /// 1 MiB instead of Linux's default 64 KiB (`F_SETPIPE_SZ`; refused quietly above
  /// `/proc/sys/fs/pipe-max-size`), so that a writer such as `cat` or `redis-cli --rdb -` and
  /// the parser trade 16 times fewer wake-ups and each `read` fills more of the buffer.
  public init(descriptor: FileDescriptor) {
    self.descriptor = descriptor
    #if os(Linux)
    var status = stat()
    if unsafe fstat(descriptor.rawValue, &status) == 0, status.st_mode & S_IFMT == S_IFIFO {
      // F_SETPIPE_SZ (1031), which Glibc's module map does not export.
      _ = fcntl(descriptor.rawValue, 1031, Int32(1 << 20))
    }
    #endif
  }

  /// Reads with `read(2)`, retrying on `EINTR`.
  public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(RDBError) -> Int {
    do {
      let count = try unsafe descriptor.read(into: buffer, retryOnInterrupt: true)
      consumed += count
      return count
    } catch {
      throw RDBError(.readFailed("\(error)"), at: consumed)
    }
  }
}
