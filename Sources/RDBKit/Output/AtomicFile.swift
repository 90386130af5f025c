import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that readers see either the old contents or the new, never a partial
/// file: the data goes to a temporary sibling, which ``commit()`` flushes and renames over
/// the destination. Dropped without a commit, the temporary file is removed.
///
/// A destination that exists and is not a regular file (`/dev/null`, a FIFO, a terminal) is
/// written directly: renaming over it would replace the device with a file.
public struct AtomicFile: ~Copyable {
  private let destination: FilePath
  private let temporary: FilePath?
  /// The descriptor to write the data to.
  public let descriptor: FileDescriptor
  /// Where the data is being written: the temporary file, or a special destination itself.
  public var writtenPath: FilePath { temporary ?? destination }
  /// Whether the data goes to a temporary file (false for a device or FIFO written directly).
  public var isTemporary: Bool { temporary != nil }
  private var committed = false

  /// Creates `destination + ".tmp-<pid>"` exclusively, mode 0644, or opens a special file.
  public init(destination: FilePath) throws(Errno) {
    self.destination = destination
    var status = stat()
    let isSpecial =
      unsafe stat(destination.string, &status) == 0 && (status.st_mode & S_IFMT) != S_IFREG
    let temporary = isSpecial ? nil : FilePath(destination.string + ".tmp-\(getpid())")
    self.temporary = temporary
    do {
      if let temporary {
        TemporaryFiles.remember(temporary.string)
        descriptor = try FileDescriptor.open(
          temporary, .writeOnly, options: [.create, .exclusiveCreate, .truncate],
          permissions: [.ownerReadWrite, .groupRead, .otherRead])
      } else {
        descriptor = try FileDescriptor.open(destination, .writeOnly)
      }
    } catch let error as Errno {
      if let temporary { TemporaryFiles.forget(temporary.string) }
      throw error
    } catch {
      if let temporary { TemporaryFiles.forget(temporary.string) }
      throw Errno.ioError
    }
  }

  /// Flushes the data to disk and renames the temporary file over the destination.
  ///
  /// The corresponding C functions are `fsync` and `rename`.
  public consuming func commit() throws(Errno) {
    guard let temporary else {
      committed = true
      return
    }
    guard fsync(descriptor.rawValue) == 0 else { throw Errno(rawValue: errno) }
    guard unsafe rename(temporary.string, destination.string) == 0 else {
      throw Errno(rawValue: errno)
    }
    TemporaryFiles.forget(temporary.string)
    committed = true
  }

  deinit {
    try? descriptor.close()
    if !committed, let temporary {
      _ = unsafe unlink(temporary.string)
      TemporaryFiles.forget(temporary.string)
    }
  }
}
