import SystemPackage

/// Reads a file descriptor that cannot be mapped: a pipe, a socket, a terminal.
public struct FileDescriptorInput: ByteInput {
  private let descriptor: FileDescriptor
  private var consumed = 0

  /// Reads from `descriptor`, which the caller keeps open and owns; a pipe's buffer is
  /// enlarged (``PipeCapacity``).
  public init(descriptor: FileDescriptor) {
    self.descriptor = descriptor
    PipeCapacity.enlarge(descriptor)
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
