import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only memory mapping of a whole file, unmapped when it goes away.
///
/// The mapping is advised `MADV_SEQUENTIAL`; the parser also drops pages it has passed
/// (`MADV_DONTNEED`), so a file far larger than memory is read with a bounded resident set.
@safe
public struct MappedFile: ~Copyable {
  private let address: UnsafeMutableRawPointer?
  /// The file's size in bytes.
  public let count: Int

  /// Maps the file at `path`; an empty file maps to an empty buffer.
  ///
  /// The corresponding C functions are `open`, `fstat` and `mmap`.
  /// - Throws: the `Errno` of the failing call.
  public init(path: FilePath) throws(Errno) {
    let descriptor: FileDescriptor
    do {
      descriptor = try FileDescriptor.open(path, .readOnly)
    } catch let error as Errno {
      throw error
    } catch {
      throw Errno.ioError
    }
    defer { try? descriptor.close() }
    try self.init(descriptor: descriptor)
  }

  /// Maps the regular file open on `descriptor` (which stays open and owned by the caller).
  public init(descriptor: FileDescriptor) throws(Errno) {
    var status = stat()
    guard unsafe fstat(descriptor.rawValue, &status) == 0 else { throw Errno(rawValue: errno) }
    guard (status.st_mode & S_IFMT) == S_IFREG else { throw Errno.invalidArgument }
    let size = Int(status.st_size)
    var mapped: UnsafeMutableRawPointer? = nil
    if size > 0 {
      unsafe mapped = unsafe mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor.rawValue, 0)
      guard let start = unsafe mapped, unsafe start != MAP_FAILED else {
        throw Errno(rawValue: errno)
      }
      _ = unsafe madvise(start, size, MADV_SEQUENTIAL)
    }
    count = size
    unsafe address = mapped
  }

  /// Whether `descriptor` is a regular file that can be mapped (not a pipe or a terminal).
  public static func isRegularFile(_ descriptor: FileDescriptor) -> Bool {
    var status = stat()
    return unsafe fstat(descriptor.rawValue, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
  }

  /// Whether `descriptor` is a directory, which `read` would refuse with `EISDIR`.
  public static func isDirectory(_ descriptor: FileDescriptor) -> Bool {
    var status = stat()
    return unsafe fstat(descriptor.rawValue, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
  }

  deinit {
    if let address = unsafe address { _ = unsafe munmap(address, count) }
  }

  /// Calls `body` with the mapped bytes; the buffer must not escape `body`.
  public func withUnsafeBytes<R, E: Error>(
    _ body: (UnsafeRawBufferPointer) throws(E) -> R
  ) throws(E) -> R {
    try unsafe body(UnsafeRawBufferPointer(start: address, count: count))
  }
}
