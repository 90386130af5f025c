import RDBKit
import RDBS3
import SystemPackage

/// A ``ByteInput`` over an S3 object that writes every byte it hands out to a file, so one
/// pass both saves the object and feeds the parser.
///
/// A class, because the parser keeps its own copy of the input: the caller reads ``written``
/// and calls ``drain()`` on the same instance after the parse.
final class TeeInput: ByteInput {
  private let source: S3ObjectInput
  private let descriptor: FileDescriptor
  /// Bytes written to the file so far.
  private(set) var written = 0
  /// The write failure behind a `readFailed` error, once one happened.
  private(set) var writeFailure: Errno?
  /// Whether the source has reported its end. It is never read again after that:
  /// `S3ObjectInput.read` traps when called again past the end of the object.
  private var ended = false

  /// Reads `source` and copies its bytes to `descriptor`, which the caller owns.
  init(source: S3ObjectInput, descriptor: FileDescriptor) {
    self.source = source
    self.descriptor = descriptor
  }

  /// Reads the next bytes of the object into `buffer` and appends them to the file.
  /// - Throws: `RDBError(.readFailed)` when S3 or the write fails; see ``failure(for:)``.
  func read(into buffer: UnsafeMutableRawBufferPointer) throws(RDBError) -> Int {
    guard !ended, buffer.count > 0 else { return 0 }
    let count = try source.read(into: buffer)
    guard count > 0 else {
      ended = true
      return 0
    }
    do {
      _ = try descriptor.writeAll(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
    } catch {
      let errno = error as? Errno ?? .ioError
      writeFailure = errno
      throw RDBError(.readFailed("cannot write: \(errno)"), at: written)
    }
    written += count
    return count
  }

  /// Reads and writes whatever is left of the object (all of it when nothing parsed it).
  func drain() throws(RDBError) {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
    defer { buffer.deallocate() }
    while try read(into: buffer) > 0 {}
  }

  /// What really went wrong behind `error` from a read or parse: the S3 failure, the
  /// write failure, else the parse error itself.
  func failure(for error: RDBError) -> FetchFailure {
    if let s3 = source.failure { return .s3(s3) }
    if let writeFailure { return .write("the temporary file", writeFailure) }
    return .corrupt(error)
  }
}
