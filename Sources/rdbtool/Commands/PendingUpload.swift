import Foundation
import RDBKit
import RDBS3
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// An `-o s3://bucket/key` output: the command writes to a pipe, as it would to a file, and a
/// thread of this object reads the pipe into an ``S3Upload`` (parts in parallel, bounded
/// memory). For an RDB output the same thread parses the bytes as they go by, so the file is
/// read back (structure, checksum, key count) without being stored anywhere.
///
/// Nothing appears in the bucket until ``commit()``; released without it, the upload is
/// aborted, so a failed run leaves no object and no pending upload. A part that cannot be
/// uploaded (after its retries) ends the run at once, as an interrupt does (``fail(_:)``),
/// rather than after the command has read the rest of its input for nothing.
final class PendingUpload: @unchecked Sendable {
  /// Where the object goes.
  let url: S3URL
  private let upload: S3Upload
  private var writeEnd: FileDescriptor?
  private let readEnd: FileDescriptor
  private let drained = DispatchSemaphore(value: 0)
  private var isDrained = false
  private var committed = false
  /// Set by the reading thread before `drained` is signalled, read only after.
  private var parsed: Result<Int, RDBError>?
  private var readFailure: RDBError?

  /// Opens the pipe and starts the reading thread; with `parsing`, that thread also parses
  /// what it reads as an RDB file.
  init(url: S3URL, client: S3Client, options: S3Upload.Options, parsing: Bool) throws(Errno) {
    self.url = url
    upload = S3Upload(client: client, bucket: url.bucket, key: url.key, options: options)
    var ends: [Int32] = [0, 0]
    guard unsafe pipe(&ends) == 0 else { throw Errno(rawValue: errno) }
    writeEnd = FileDescriptor(rawValue: ends[1])
    readEnd = FileDescriptor(rawValue: ends[0])
    // A larger pipe means fewer wake-ups between the writer and this reader (best effort).
    _ = fcntl(ends[1], 1031 /* F_SETPIPE_SZ */, Int32(1 << 20))
    let thread = Thread { [self] in
      drain(parsing: parsing)
      drained.signal()
    }
    thread.start()
  }

  /// The descriptor the command writes to.
  var descriptor: FileDescriptor { writeEnd ?? FileDescriptor(rawValue: -1) }

  /// Ends the data: closes the pipe and waits until every byte was read and handed to the
  /// upload (the last part may still be in flight).
  func finishWriting() {
    if let writeEnd = writeEnd.take() { try? writeEnd.close() }
    if !isDrained {
      drained.wait()
      isDrained = true
    }
  }

  /// The number of keys in what was written, parsed as it went to S3 (call after
  /// ``finishWriting()``; only for an upload made with `parsing`).
  func writtenKeys() throws(RDBError) -> Int {
    finishWriting()
    guard let parsed else { throw RDBError(.readFailed("the output was not parsed"), at: 0) }
    return try parsed.get()
  }

  /// Sends the rest and completes the upload: the object appears, whole.
  func commit() throws {
    finishWriting()
    if let readFailure { throw readFailure }
    if let failure = upload.partFailure { throw failure }
    try upload.complete()
    committed = true
  }

  /// Ends the data and aborts the upload unless it was committed; the reading thread holds
  /// this object until the pipe closes, so its owner calls this rather than relying on
  /// `deinit`.
  func discard() {
    finishWriting()
    if !committed { upload.abort() }
  }

  deinit { try? readEnd.close() }

  /// Reads the pipe to its end into the upload, parsing on the way when asked. After an
  /// upload failure the rest is read and dropped, so the writer never blocks on a full pipe.
  private func drain(parsing: Bool) {
    var input = UploadTee(descriptor: readEnd, upload: upload, url: url)
    if parsing {
      var check = KeyCountAnalyzer()
      do {
        try RDBParser().parse(input: input, into: &check)
        parsed = .success(check.total.keys)
      } catch {
        parsed = .failure(error)
      }
    }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
    defer { unsafe buffer.deallocate() }
    while true {
      do {
        if try unsafe input.read(into: buffer) == 0 { break }
      } catch {
        readFailure = error
        break
      }
    }
  }
}

/// A pipe's bytes, each handed to an upload as it is read; a failed upload ends the run.
private struct UploadTee: ByteInput {
  let descriptor: FileDescriptor
  let upload: S3Upload
  let url: S3URL
  var offset = 0

  mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(RDBError) -> Int {
    let count: Int
    do {
      count = try unsafe descriptor.read(into: buffer, retryOnInterrupt: true)
    } catch {
      throw RDBError(.readFailed("\(error)"), at: offset)
    }
    offset += count
    if count > 0 {
      do {
        try unsafe upload.write(UnsafeRawBufferPointer(rebasing: buffer.prefix(count)))
      } catch {
        PendingUpload.fail(error, url: url)
      }
    }
    return count
  }
}

extension PendingUpload {
  /// Ends the run after an upload failed: says why, removes every temporary file, aborts
  /// every upload (this one included) and exits 1, as ``Interrupts`` does for a signal.
  static func fail(_ error: S3Error, url: S3URL) -> Never {
    StandardError.report(url.description, "cannot write: \(error)")
    TemporaryFiles.removeAll()
    ActiveUploads.abortAll(patience: 30)
    exit(1)
  }
}
