import Foundation
import RDBKit

/// One object written to S3 as a stream, in bounded memory.
///
/// ``write(_:)`` fills a part buffer; each full buffer is sent as an UploadPart (with its
/// `Content-MD5`, retried per the client's policy) on a thread of its own while the writer
/// fills the next, with at most ``Options/maxInFlight`` parts in flight: the writer waits
/// when that many are, so memory stays at most `(maxInFlight + 1) × partSize` whatever the
/// object's size. The multipart upload is created with the first full part; an object smaller
/// than one part is sent as one PutObject by ``complete()``.
///
/// Nothing is visible in the bucket until ``complete()``. ``abort()`` (also what a failed
/// part or a failed completion leads to) sends AbortMultipartUpload, so a failed run leaves
/// no object and no pending upload. Every open upload is listed in ``ActiveUploads`` for a
/// signal handler to abort.
///
///     let upload = S3Upload(client: client, bucket: "b", key: "out/dump.jsonl")
///     try upload.write(bytes)
///     try upload.complete()
public final class S3Upload: @unchecked Sendable {
  /// Part size and parallelism.
  public struct Options: Sendable, Equatable {
    /// Bytes per part (S3 wants at least 5 MiB for every part but the last).
    public var partSize: Int
    /// Parts being uploaded at once, each holding one buffer of `partSize`.
    public var maxInFlight: Int

    /// 8 MiB parts (as `aws s3 cp`), 4 in flight.
    public init(partSize: Int = 8 << 20, maxInFlight: Int = 4) {
      self.partSize = max(1, partSize)
      self.maxInFlight = max(1, maxInFlight)
    }
  }

  /// The client that sends the requests.
  public let client: S3Client
  /// The bucket.
  public let bucket: String
  /// The object key.
  public let key: String
  /// Part size and parallelism.
  public let options: Options
  /// The bytes written so far.
  public private(set) var byteCount = 0

  /// The part being filled; touched by the writing thread only.
  private var current: [UInt8] = []
  private var nextPart = 1
  /// Guards everything below.
  private let condition = NSCondition()
  private var uploadID: String?
  private var inFlight = 0
  private var eTags: [Int: String] = [:]
  private var failure: S3Error?
  private var finished = false
  /// Handles of parts that have ended, each with its open connection, for the next parts:
  /// at most ``Options/maxInFlight`` connections for the whole upload.
  private var idleHandles: [CurlEasy] = []

  /// Prepares an upload of `key`; no request is sent until a part is full or ``complete()``.
  public init(client: S3Client, bucket: String, key: String, options: Options = Options()) {
    self.client = client
    self.bucket = bucket
    self.key = key
    self.options = options
    ActiveUploads.add(self)
  }

  /// The first failure of a part upload, if any.
  public var partFailure: S3Error? {
    condition.lock()
    defer { condition.unlock() }
    return failure
  }

  /// Appends `bytes`, sending every part that fills up.
  /// - Throws: The first part failure (the upload is then aborted by ``abort()``).
  public func write(_ bytes: UnsafeRawBufferPointer) throws(S3Error) {
    var rest = unsafe bytes
    while unsafe !rest.isEmpty {
      if current.capacity < options.partSize { current.reserveCapacity(options.partSize) }
      let count = min(rest.count, options.partSize - current.count)
      unsafe current.append(contentsOf: unsafe UnsafeRawBufferPointer(rebasing: rest.prefix(count)))
      unsafe rest = UnsafeRawBufferPointer(rebasing: rest.dropFirst(count))
      byteCount += count
      if current.count == options.partSize { try send() }
    }
  }

  /// Sends what is left and makes the object: CompleteMultipartUpload, or one PutObject for
  /// an object smaller than a part. On any failure the upload is aborted and the error thrown.
  public func complete() throws(S3Error) {
    do {
      if uploadIDNow() == nil {
        _ = try client.putObject(bucket: bucket, key: key, bytes: current)
      } else {
        if !current.isEmpty { try send() }
        let parts = try waitForParts()
        try client.completeMultipartUpload(
          bucket: bucket, key: key, uploadID: uploadIDNow() ?? "", parts: parts)
      }
    } catch {
      abort()
      throw error
    }
    condition.lock()
    finished = true
    condition.unlock()
    ActiveUploads.remove(self)
  }

  /// Discards the upload: waits at most `patience` seconds for parts in flight (a part that
  /// lands after the abort would be stored again), then sends AbortMultipartUpload. Does
  /// nothing once completed or aborted. Failures to abort are returned, not thrown.
  @discardableResult
  public func abort(patience: Double = 30) -> S3Error? {
    condition.lock()
    if finished {
      condition.unlock()
      return nil
    }
    finished = true
    if failure == nil { failure = S3Error(.transport, message: "upload aborted") }
    let deadline = Date().addingTimeInterval(patience)
    while inFlight > 0, condition.wait(until: deadline) {}
    let uploadID = self.uploadID
    condition.unlock()
    ActiveUploads.remove(self)
    guard let uploadID else { return nil }
    do {
      try client.abortMultipartUpload(bucket: bucket, key: key, uploadID: uploadID)
      return nil
    } catch {
      return error
    }
  }

  deinit { ActiveUploads.remove(self) }

  private func uploadIDNow() -> String? {
    condition.lock()
    defer { condition.unlock() }
    return uploadID
  }

  /// Hands the current buffer to a part thread, creating the upload first if needed.
  private func send() throws(S3Error) {
    condition.lock()
    while inFlight >= options.maxInFlight, failure == nil { condition.wait() }
    if let failure {
      condition.unlock()
      throw failure
    }
    var uploadID = self.uploadID
    inFlight += 1
    condition.unlock()
    if uploadID == nil {
      do {
        let created = try client.createMultipartUpload(bucket: bucket, key: key)
        uploadID = created
        condition.lock()
        self.uploadID = created
        condition.unlock()
      } catch {
        finishPart(nil, failure: error)
        throw error
      }
    }
    let bytes = current
    current = []
    let id = uploadID ?? ""
    let number = nextPart
    nextPart += 1
    let thread = Thread { [self] in
      do {
        let easy = try idleHandle()
        let eTag = try client.uploadPart(
          bucket: bucket, key: key, uploadID: id, number: number, bytes: bytes, using: easy)
        finishPart((number, eTag), failure: nil, handle: easy)
      } catch {
        finishPart(nil, failure: error as? S3Error)
      }
    }
    thread.start()
  }

  /// A handle whose part has ended, or a new one.
  private func idleHandle() throws(S3Error) -> CurlEasy {
    condition.lock()
    let handle = idleHandles.popLast()
    condition.unlock()
    if let handle { return handle }
    return try CurlEasy()
  }

  /// Records the end of one part, keeps its handle for the next, and wakes the writer.
  private func finishPart(_ part: (Int, String)?, failure: S3Error?, handle: CurlEasy? = nil) {
    condition.lock()
    if let handle { idleHandles.append(handle) }
    if let part { eTags[part.0] = part.1 }
    if let failure, self.failure == nil { self.failure = failure }
    inFlight -= 1
    condition.broadcast()
    condition.unlock()
  }

  /// Waits for every part in flight; the parts in order, or the first failure.
  private func waitForParts() throws(S3Error) -> [(number: Int, eTag: String)] {
    condition.lock()
    defer { condition.unlock() }
    while inFlight > 0 { condition.wait() }
    if let failure { throw failure }
    return eTags.keys.sorted().map { ($0, eTags[$0] ?? "") }
  }
}
