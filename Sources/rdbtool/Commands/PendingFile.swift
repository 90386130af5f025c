import RDBKit
import RDBS3
import SystemPackage

/// One output of a command, written so that it appears whole or not at all: an
/// ``AtomicFile`` (a temporary sibling renamed into place) or, for `s3://bucket/key`, a
/// ``PendingUpload`` (a multipart upload completed only by ``commit()``), each parsed again
/// when asked (``checkReadBack(expecting:)``): the file as it grows, the upload's bytes as
/// they go by. `-` is standard output, written as it comes and never parsed again: what
/// went out cannot be taken back. A class box, because
/// an array cannot hold a noncopyable value. Released without ``commit()``, the temporary file
/// is removed and the upload aborted.
final class PendingFile {
  /// Where the output goes once committed: a path or an `s3://` URL.
  let destination: String
  private var file: AtomicFile?
  private let upload: PendingUpload?
  private var readBack: ReadBack?

  /// Creates the temporary sibling of `destination`, or starts the upload of an `s3://`
  /// destination with `client`; with `parsing`, what is written is parsed again as it goes,
  /// on a thread of its own (see ``checkReadBack(expecting:)``).
  init(
    destination: String, client: S3Client? = nil, upload options: S3Upload.Options = .init(),
    parsing: Bool = false
  ) throws {
    self.destination = destination
    if destination == "-" {
      upload = nil
    } else if OutputTarget.isS3(destination) {
      let url = try S3URL(parsing: destination)
      guard let client else { throw S3Error(.invalidConfiguration, message: "no S3 client") }
      upload = try PendingUpload(url: url, client: client, options: options, parsing: parsing)
    } else {
      upload = nil
      let file = try AtomicFile(destination: FilePath(destination))
      if parsing, file.isTemporary {
        readBack = try ReadBack(path: file.writtenPath.string, destination: destination)
      }
      self.file = consume file
    }
  }

  /// The descriptor to write to; -1 once committed.
  var descriptor: FileDescriptor {
    if destination == "-" { return .standardOutput }
    return upload?.descriptor ?? file?.descriptor ?? FileDescriptor(rawValue: -1)
  }

  /// Whether what is written is parsed again (asked for with `parsing`, and not a device or
  /// FIFO written directly).
  var readsBack: Bool { upload != nil || readBack != nil }

  /// Waits for the parse of what was written (the temporary file, followed as it grew, or the
  /// upload's bytes as they went by) and checks that it counted `keys` keys.
  /// - Throws: `ExitCode.failure` (after saying why) when it did not.
  func checkReadBack(expecting keys: Int) throws {
    if let upload {
      let outcome = Result<Int, any Error> { try upload.writtenKeys() }
      try ReadBack.check(outcome, expecting: keys, destination: destination)
    }
    try readBack?.check(expecting: keys)
  }

  /// Renames the file over the destination, or completes the upload.
  func commit() throws {
    if let upload { return try upload.commit() }
    guard let file = file.take() else { return }
    try file.commit()
  }

  deinit { upload?.discard() }
}
