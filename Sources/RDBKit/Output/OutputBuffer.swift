import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bytes on their way to a file descriptor, written in large blocks.
///
/// Writers append text; ``flushIfFull()`` writes once a block has built up, and a writer that
/// must still edit what it wrote (a hash rewritten as pairs) simply doesn't flush until it is
/// done. The storage is one growable block of raw memory owned by this object: appending is
/// a bounds check and a copy, with no per-byte bookkeeping.
///
/// Made with `writesInBackground`, the buffer keeps a second block: a flush hands the full
/// block to a ``BackgroundWriter`` thread and goes on filling the other, so that the
/// producer's thread does not wait while a pipe's reader catches up. A write error then
/// comes out of the next flush, or of the last one.
@safe public final class OutputBuffer {
  private var storage: UnsafeMutableRawPointer
  private var capacity: Int
  /// The number of bytes not yet written.
  public private(set) var count = 0
  private let descriptor: FileDescriptor?
  private let blockSize: Int
  private let background: BackgroundWriter?
  /// The block the background thread writes (or has written), swapped with ``storage`` at
  /// each flush.
  private var spare: UnsafeMutableRawPointer?
  private var spareCapacity = 0
  /// A buffer whose bytes the background thread may still be writing (``append(lending:)``),
  /// kept alive until it has.
  private var lent: OutputBuffer?

  /// Buffers output for `descriptor`, which the caller owns and keeps open until the last
  /// ``flush()``; with `writesInBackground`, writes happen on a thread of their own.
  public init(
    descriptor: FileDescriptor, blockSize: Int = 1 << 18, writesInBackground: Bool = false
  ) {
    self.descriptor = descriptor
    self.blockSize = blockSize
    capacity = blockSize * 2
    unsafe storage = .allocate(byteCount: capacity, alignment: 16)
    background = writesInBackground ? BackgroundWriter(descriptor: descriptor) : nil
  }

  /// A buffer that is never written anywhere: text assembled apart, then appended to another.
  init() {
    descriptor = nil
    blockSize = Int.max
    capacity = 256
    unsafe storage = .allocate(byteCount: capacity, alignment: 16)
    background = nil
  }

  /// A buffer that is never written anywhere and says it is full (``isFull``) at `blockSize`
  /// bytes: text held apart until it can follow other text.
  init(holding blockSize: Int) {
    descriptor = nil
    self.blockSize = blockSize
    capacity = 1 << 16
    unsafe storage = .allocate(byteCount: capacity, alignment: 16)
    background = nil
  }

  deinit {
    // The thread may still be writing the spare block: it is freed only once that is done.
    background?.stop()
    unsafe storage.deallocate()
    unsafe spare?.deallocate()
  }

  /// Room for `extra` more bytes at the end; write them, then call ``advance(by:)``.
  @inline(__always)
  @unsafe func reserve(_ extra: Int) -> UnsafeMutableRawPointer {
    if count &+ extra > capacity { grow(toFit: count &+ extra) }
    return unsafe storage + count
  }

  /// Marks `written` bytes after the end as part of the buffer.
  @inline(__always)
  func advance(by written: Int) { count &+= written }

  private func grow(toFit needed: Int) {
    var larger = capacity
    while larger < needed { larger *= 2 }
    let moved = UnsafeMutableRawPointer.allocate(byteCount: larger, alignment: 16)
    unsafe moved.copyMemory(from: storage, byteCount: count)
    unsafe storage.deallocate()
    unsafe storage = moved
    capacity = larger
  }

  @inline(__always)
  func append(_ byte: UInt8) {
    unsafe reserve(1).storeBytes(of: byte, as: UInt8.self)
    count &+= 1
  }

  @inline(__always)
  func append(_ text: StaticString) {
    unsafe append(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
  }

  @inline(__always)
  @unsafe func append(_ raw: UnsafeRawBufferPointer) {
    guard let source = raw.baseAddress, raw.count > 0 else { return }
    unsafe reserve(raw.count).copyMemory(from: source, byteCount: raw.count)
    count &+= raw.count
  }

  // Disfavoured so that a string literal picks the `StaticString` overload (a string literal
  // is a `String` by default, which made every `append("…")` build and release a String).
  @_disfavoredOverload
  func append(_ text: String) {
    var text = text
    text.withUTF8 { unsafe append(UnsafeRawBufferPointer($0)) }
  }

  func append(contentsOf bytes: [UInt8]) {
    unsafe bytes.withUnsafeBytes { unsafe append($0) }
  }

  /// Appends what `other` holds.
  func append(_ other: OutputBuffer) {
    unsafe append(UnsafeRawBufferPointer(start: other.storage, count: other.count))
  }

  /// Appends an integer in decimal.
  @inline(__always)
  func append(integer value: Int64) {
    count &+= unsafe DecimalText.write(value, to: reserve(20))
  }

  /// Appends an unsigned integer in decimal.
  @inline(__always)
  func append(unsigned value: UInt64) {
    count &+= unsafe DecimalText.write(unsigned: value, to: reserve(20))
  }

  /// A copy of the bytes in `range` (offsets from the start of the unwritten bytes).
  func bytes(in range: Range<Int>) -> [UInt8] {
    unsafe Array(UnsafeRawBufferPointer(start: storage + range.lowerBound, count: range.count))
  }

  /// Drops everything after the first `newCount` bytes.
  func truncate(to newCount: Int) {
    count = min(count, max(0, newCount))
  }

  /// Gives back all but `limit` bytes of room when the buffer is empty and grew past them.
  func shrink(toAtMost limit: Int) {
    guard count == 0, capacity > limit else { return }
    unsafe storage.deallocate()
    unsafe storage = .allocate(byteCount: limit, alignment: 16)
    capacity = limit
  }

  /// Whether a block has built up, so that ``flushIfFull()`` would write.
  var isFull: Bool { count >= blockSize }

  /// Where the bytes not yet written start (``count`` of them), valid until the next append
  /// or flush.
  @unsafe var unwrittenStart: UnsafeRawPointer { unsafe UnsafeRawPointer(storage) }

  /// Calls `body` with the bytes not yet written (a checksum over them, for example).
  func withUnsafeBufferedBytes<R>(_ body: (UnsafeRawBufferPointer) throws(RDBError) -> R)
    throws(RDBError) -> R
  {
    try unsafe body(UnsafeRawBufferPointer(start: storage, count: count))
  }

  /// The largest block ``append(taking:)`` takes in place of copying: the blocks it swaps go
  /// round between the buffers, and each keeps the largest it was given.
  static let largestSwappedBlock = 2 << 20

  /// Appends what `other` holds and empties it; a large text is not copied: this buffer's
  /// block is written (or handed to the background thread) and the two swap storage.
  func append(taking other: OutputBuffer) throws(RDBError) {
    guard other.count > 0 else { return }
    if other.count < 1 << 16 || other.capacity > Self.largestSwappedBlock || descriptor == nil {
      append(other)
      other.count = 0
    } else {
      try flushBlock()
      swap(&storage, &other.storage)
      swap(&capacity, &other.capacity)
      count = other.count
      other.count = 0
    }
    try flushIfFull()
  }

  /// Appends what `other` holds and empties it; a large text is not copied, but handed to the
  /// background thread where it is, after this buffer's block: `other` must then not change
  /// until ``reclaim(_:)`` has returned for it. (A long value's text, formatted apart: copied,
  /// it would have this buffer and its spare grow to its size.)
  func append(lending other: OutputBuffer) throws(RDBError) {
    guard other.count >= 1 << 16, let background, descriptor != nil else {
      return try append(taking: other)
    }
    try flushBlock()
    do {
      try unsafe background.write(UnsafeRawBufferPointer(start: other.storage, count: other.count))
    } catch {
      throw Self.writeFailure(error)
    }
    lent = other
    other.count = 0
  }

  /// Returns once the background thread no longer reads `other`'s bytes (lent by
  /// ``append(lending:)``). A write that failed is thrown by the next flush.
  func reclaim(_ other: OutputBuffer) {
    guard lent === other else { return }
    try? background?.waitUntilIdle()
    lent = nil
  }

  /// Writes the buffer if a block has built up.
  @inline(__always)
  public func flushIfFull() throws(RDBError) {
    if count >= blockSize { try flushBlock() }
  }

  /// Writes everything buffered, then `bytes` straight from where they are, without copying
  /// them into the buffer (a large value copied from a mapped input).
  @unsafe func flush(andWrite bytes: UnsafeRawBufferPointer) throws(RDBError) {
    try flush()
    guard let descriptor else {
      unsafe append(bytes)
      return
    }
    do {
      try background?.waitUntilIdle()
      _ = try unsafe descriptor.writeAll(bytes)
    } catch {
      throw Self.writeFailure(error)
    }
  }

  /// Writes everything buffered; in the background, waits until it is written.
  public func flush() throws(RDBError) {
    try flushBlock()
    do {
      try background?.waitUntilIdle()
      lent = nil
    } catch {
      throw Self.writeFailure(error)
    }
  }

  /// Writes everything buffered, or hands it to the background thread and goes on with the
  /// spare block.
  private func flushBlock() throws(RDBError) {
    guard count > 0, let descriptor else { return }
    let block = unsafe UnsafeRawBufferPointer(start: storage, count: count)
    do {
      guard let background else {
        _ = try unsafe descriptor.writeAll(block)
        count = 0
        return
      }
      try unsafe background.write(block)
      // The block before (perhaps a lent one) is written.
      lent = nil
    } catch {
      throw Self.writeFailure(error)
    }
    let next = unsafe spare ?? .allocate(byteCount: blockSize * 2, alignment: 16)
    let nextCapacity = unsafe spare == nil ? blockSize * 2 : spareCapacity
    unsafe spare = storage
    spareCapacity = capacity
    unsafe storage = next
    capacity = nextCapacity
    count = 0
  }

  private static func writeFailure(_ error: any Error) -> RDBError {
    RDBError(.handlerFailed("cannot write output: \(error)"), at: 0)
  }
}
