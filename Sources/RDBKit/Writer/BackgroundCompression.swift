import Foundation

/// LZF compression on a thread of its own, so that a rewrite that re-encodes values (listpacks
/// as ziplists for an older server) compresses them while the next ones are parsed and
/// encoded: liblzf's `lzf_compress` is most of such a rewrite's time.
///
/// The writing thread's ``RDBEncoder`` fills batches (memory buffers) with the file's bytes,
/// except that each string it would try to compress is put in as it is and marked
/// (``Batch/blobs``). A full batch is handed over (``submit(_:)``); this thread writes it
/// through an encoder of its own, which compresses each marked string as the writing thread
/// would have, and keeps the checksum and the file position. At most two batches wait, so
/// memory stays bounded; ``drain()`` waits until every batch is written, after which the
/// writing thread may use ``encoder`` itself (a string too large to copy into a batch, the
/// file's trailer).
///
/// The work is shared: when a batch is handed over while the worker is still behind (see
/// ``Sharing``), the writing thread compresses the strings of the next batch itself, as it
/// puts them in, and the worker only checksums and writes that batch. Compression then runs
/// on both cores, instead of on one while the parse and the encoding share the other.
///
/// The compressed bytes may differ from those the writing thread would have produced:
/// liblzf's hash table is uninitialized stack memory, so a match found depends on what the
/// thread compressed before. The strings they decompress to are the same.
///
/// Every field is guarded by `condition`; the worker touches ``encoder`` only while it writes
/// a batch it took from the queue. That is why the class can be `@unchecked Sendable`.
final class BackgroundCompression: @unchecked Sendable {
  /// The writing thread's hold on the worker: the worker thread ends when the last copy of
  /// the encoder holding this goes away, finished or not.
  final class Handle {
    let worker: BackgroundCompression

    init(encoder: RDBEncoder, sharing: Sharing) {
      worker = BackgroundCompression(encoder: encoder, sharing: sharing)
    }

    deinit { worker.close() }
  }

  /// When the writing thread compresses a batch's strings itself.
  enum Sharing {
    /// When the worker has not started the batch handed over before this one: it is a
    /// batch or more behind, and would otherwise keep the writing thread waiting.
    case whenBehind
    /// Every other batch, whatever the worker's progress (for tests).
    case alternate
    /// Never: the worker compresses every string (for tests).
    case never
  }

  /// One batch: the bytes, and where in them the strings to compress are.
  final class Batch {
    let bytes = OutputBuffer()
    /// The strings to compress, as ranges of ``bytes``, in order.
    var blobs: [Range<Int>] = []
  }

  /// The encoder that writes the file; the writing thread's only after ``drain()``.
  var encoder: RDBEncoder
  private let sharing: Sharing
  /// The number of batches handed over, for ``Sharing/alternate``.
  private var submitted = 0
  private let condition = NSCondition()
  private var waiting: [Batch] = []
  private var spare: [Batch] = []
  /// Whether the worker is writing a batch.
  private var busy = false
  private var failure: RDBError?
  private var closed = false
  /// Batches handed over but not yet written, the one being written included.
  private static let maxWaiting = 2
  /// The largest batch kept for reuse.
  private static let reusableBytes = 1 << 22

  /// Starts the worker thread; `encoder` writes the file.
  private init(encoder: RDBEncoder, sharing: Sharing) {
    self.encoder = encoder
    self.sharing = sharing
    let thread = Thread { [self] in run() }
    thread.name = "rdbtool-lzf"
    thread.start()
  }

  /// A batch to fill, from the spare ones when there is one.
  func emptyBatch() -> Batch {
    condition.lock()
    defer { condition.unlock() }
    return spare.popLast() ?? Batch()
  }

  /// Hands `batch` to the worker, waiting while two batches are already waiting.
  ///
  /// - Returns: Whether the writing thread compresses the strings of its next batch itself
  ///   (see ``Sharing``).
  /// - Throws: The error writing an earlier batch met.
  func submit(_ batch: Batch) throws(RDBError) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    while failure == nil, waiting.count >= Self.maxWaiting { condition.wait() }
    if let failure { throw failure }
    waiting.append(batch)
    submitted &+= 1
    condition.broadcast()
    switch sharing {
    case .whenBehind: return waiting.count > 1
    case .alternate: return submitted % 2 == 1
    case .never: return false
    }
  }

  /// Waits until every batch handed over is written.
  ///
  /// - Throws: The error writing a batch met.
  func drain() throws(RDBError) {
    condition.lock()
    defer { condition.unlock() }
    while failure == nil, busy || !waiting.isEmpty { condition.wait() }
    if let failure { throw failure }
  }

  /// Ends the worker thread (once the batches waiting are written).
  func close() {
    condition.lock()
    closed = true
    condition.broadcast()
    condition.unlock()
  }

  /// The worker: takes each batch in turn and writes it.
  private func run() {
    while let batch = take() {
      var error: RDBError?
      do throws(RDBError) {
        try write(batch)
      } catch let failed {
        error = failed
      }
      // A batch that grew around a large string is let go, so its memory is freed.
      let reusable = batch.bytes.count <= Self.reusableBytes
      batch.bytes.truncate(to: 0)
      batch.blobs.removeAll(keepingCapacity: true)
      condition.lock()
      busy = false
      if failure == nil { failure = error }
      if reusable { spare.append(batch) }
      condition.broadcast()
      condition.unlock()
    }
  }

  /// The next batch, waiting for one; nil once closed with none waiting, or after a failure.
  private func take() -> Batch? {
    condition.lock()
    defer { condition.unlock() }
    while waiting.isEmpty, !closed, failure == nil { condition.wait() }
    guard failure == nil, !waiting.isEmpty else { return nil }
    busy = true
    return waiting.removeFirst()
  }

  /// Writes `batch`: its bytes as they are, each marked string compressed when that saves.
  private func write(_ batch: Batch) throws(RDBError) {
    try unsafe batch.bytes.withUnsafeBufferedBytes { (bytes) throws(RDBError) in
      var written = 0
      for blob in batch.blobs {
        try unsafe encoder.raw(UnsafeRawBufferPointer(rebasing: bytes[written..<blob.lowerBound]))
        unsafe encoder.blob(unsafeBytes: UnsafeRawBufferPointer(rebasing: bytes[blob]))
        written = blob.upperBound
        try encoder.flushIfFull()
      }
      try unsafe encoder.raw(UnsafeRawBufferPointer(rebasing: bytes[written...]))
      try encoder.flushIfFull()
    }
  }
}
