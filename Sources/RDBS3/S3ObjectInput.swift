import Foundation
import RDBKit

/// Reads one S3 object as a ``ByteInput``, fetching ranged parts in parallel and delivering
/// the bytes in order.
///
/// The object is split into parts of ``Options/partSize`` bytes; up to ``Options/maxInFlight``
/// worker threads (one blocking libcurl transfer each, off Swift's cooperative pool) fetch
/// them with `Range` and `If-Match: <ETag from HeadObject>`, so a replaced object fails with
/// `.objectChanged` instead of mixing versions. At most `maxInFlight` parts are buffered, so
/// memory is bounded by `maxInFlight × partSize`. Failed parts are retried per the client's
/// ``RetryPolicy`` and resume from the first missing byte.
///
/// A failure surfaces from ``read(into:)`` as `RDBError(.readFailed(…))` at the offset of the
/// first unread byte; the S3 error itself stays in ``failure`` for the caller to show.
///
///     var input = try client.objectInput(bucket: "rdb-exports", key: "cache-0001.rdb")
///     let count = try input.read(into: buffer)
///
/// Workers start on the first read and stop when the object is read, on failure, or when the
/// input is deallocated.
public final class S3ObjectInput: ByteInput {
  /// Part size and parallelism.
  public struct Options: Sendable, Equatable {
    /// Bytes per ranged GET (8 MiB by default, as the AWS CLI).
    public var partSize: Int
    /// Parts fetched or buffered at once (10 by default, as the AWS CLI).
    public var maxInFlight: Int

    /// Creates options; sizes below 1 are raised to 1.
    public init(partSize: Int = 8 << 20, maxInFlight: Int = 10) {
      self.partSize = max(1, partSize)
      self.maxInFlight = max(1, maxInFlight)
    }
  }

  /// The object being read, as HeadObject described it.
  public let object: S3ObjectInfo
  /// The bucket.
  public let bucket: String
  /// The S3 failure behind a `readFailed` error, once one happened.
  public private(set) var failure: S3Error?

  private let client: S3Client
  private let options: Options
  private let scheduler: PartScheduler
  private var started = false
  private var current: [UInt8] = []
  private var currentPosition = 0
  private var currentPart = -1
  private var delivered = 0

  init(client: S3Client, bucket: String, object: S3ObjectInfo, options: Options) {
    self.client = client
    self.bucket = bucket
    self.object = object
    self.options = options
    let size = Int(max(0, object.size))
    let partCount = (size + options.partSize - 1) / options.partSize
    scheduler = PartScheduler(partCount: partCount, maxInFlight: options.maxInFlight)
  }

  deinit { scheduler.cancel() }

  /// Copies the next bytes of the object into `buffer`, waiting for their part if needed.
  /// - Returns: The number of bytes copied; 0 at the end of the object.
  /// - Throws: `RDBError(.readFailed(description), at: offset)`; see ``failure``.
  public func read(into buffer: UnsafeMutableRawBufferPointer) throws(RDBError) -> Int {
    if let failure { throw RDBError(.readFailed(failure.description), at: delivered) }
    guard buffer.count > 0 else { return 0 }
    if currentPosition == current.count {
      // Hand the finished part's buffer back before opening the window, so at most maxInFlight
      // buffers exist and each is reused instead of freed and allocated again.
      current.removeAll(keepingCapacity: true)
      if current.capacity > 0 { scheduler.recycle(current) }
      current = []
      currentPosition = 0
      if currentPart >= 0, currentPart < scheduler.partCount { scheduler.release(currentPart) }
      let next = currentPart + 1
      guard next < scheduler.partCount else {
        // Stay at the end: later calls return 0 again without releasing anything twice.
        currentPart = scheduler.partCount
        return 0
      }
      if !started { startWorkers() }
      do {
        current = try scheduler.take(next)
      } catch {
        failure = error
        throw RDBError(.readFailed(error.description), at: delivered)
      }
      currentPart = next
      currentPosition = 0
    }
    let count = min(buffer.count, current.count - currentPosition)
    // `count` fits both: at most buffer.count, and at most what is left of `current`.
    unsafe buffer.copyBytes(from: current[currentPosition..<(currentPosition + count)])
    currentPosition += count
    delivered += count
    return count
  }

  private func startWorkers() {
    started = true
    let workers = min(options.maxInFlight, scheduler.partCount)
    client.logger.debug(
      "downloading S3 object",
      metadata: [
        "bucket": "\(bucket)", "key": "\(object.key)", "size": "\(object.size)",
        "parts": "\(scheduler.partCount)", "threads": "\(workers)",
      ])
    for _ in 0..<workers {
      let thread = Thread { [scheduler, client, bucket, object, options] in
        Self.work(
          scheduler: scheduler, client: client, bucket: bucket, object: object,
          partSize: options.partSize)
      }
      thread.name = "rdbkit-s3-part"
      thread.start()
    }
  }

  /// One worker: claims parts in order and fetches them on its own curl handle.
  private static func work(
    scheduler: PartScheduler, client: S3Client, bucket: String, object: S3ObjectInfo,
    partSize: Int
  ) {
    let easy: CurlEasy
    do {
      easy = try CurlEasy()
    } catch {
      scheduler.fail(error)
      return
    }
    while let part = scheduler.claim() {
      let start = Int64(part) * Int64(partSize)
      let end = min(start + Int64(partSize), object.size) - 1
      do {
        let bytes = try client.fetchPart(
          bucket: bucket, key: object.key, eTag: object.eTag, range: start...end, using: easy,
          reusing: scheduler.spareBuffer(), isCancelled: { scheduler.isStopped })
        scheduler.complete(part, bytes: bytes)
      } catch {
        scheduler.fail(error)
        return
      }
    }
  }
}
