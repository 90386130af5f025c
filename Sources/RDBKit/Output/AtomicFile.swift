#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import SystemPackage

/// Writes a file so that readers see either the old contents or the new, never a partial
/// file: the data goes to a temporary sibling, which ``commit()`` flushes and renames over
/// the destination. Dropped without a commit, the temporary file is removed.
public struct AtomicFile: ~Copyable {
  private let destination: FilePath
  private let temporary: FilePath
  /// The descriptor to write the data to.
  public let descriptor: FileDescriptor
  private var committed = false

  /// Creates `destination + ".tmp-<pid>"` exclusively, mode 0644.
  public init(destination: FilePath) throws(Errno) {
    self.destination = destination
    temporary = FilePath(destination.string + ".tmp-\(getpid())")
    do {
      descriptor = try FileDescriptor.open(
        temporary, .writeOnly, options: [.create, .exclusiveCreate, .truncate],
        permissions: [.ownerReadWrite, .groupRead, .otherRead])
    } catch let error as Errno {
      throw error
    } catch {
      throw Errno.ioError
    }
  }

  /// Flushes the data to disk and renames the temporary file over the destination.
  ///
  /// The corresponding C functions are `fsync` and `rename`.
  public consuming func commit() throws(Errno) {
    guard fsync(descriptor.rawValue) == 0 else { throw Errno(rawValue: errno) }
    guard unsafe rename(temporary.string, destination.string) == 0 else {
      throw Errno(rawValue: errno)
    }
    committed = true
  }

  deinit {
    try? descriptor.close()
    if !committed { _ = unsafe unlink(temporary.string) }
  }
}
