/// A ``ByteSource`` over a sequential ``ByteInput``, through one refilled buffer.
///
/// The buffer starts at 1 MiB and grows only when one record needs more contiguous bytes than
/// it holds, and only as those bytes actually arrive, so memory stays bounded by the buffer
/// plus the largest single element, and a hostile length never sizes an allocation.
@safe struct StreamSource<Input: ByteInput>: ByteSource {
  static var keepsBytes: Bool { false }
  private var input: Input
  private var buffer: UnsafeMutableRawBufferPointer
  private var start = 0
  private var end = 0
  private var bufferOrigin = 0
  private var crc: UInt64 = 0
  private var crcIndex = 0
  private var inputEnded = false
  private let progress: ParseProgress?

  /// Reads `input` through a buffer of `initialCapacity` bytes; call ``release()`` when done.
  init(input: Input, progress: ParseProgress? = nil, initialCapacity: Int = 1 << 20) {
    self.input = input
    self.progress = progress
    unsafe buffer = UnsafeMutableRawBufferPointer.allocate(
      byteCount: max(initialCapacity, 4096), alignment: 16)
  }

  /// Frees the buffer; the source must not be used afterwards.
  mutating func release() {
    unsafe buffer.deallocate()
    unsafe buffer = UnsafeMutableRawBufferPointer(start: nil, count: 0)
  }

  var offset: Int { bufferOrigin &+ start }
  var knownRemaining: Int? { nil }

  @inline(__always)
  mutating func take(_ count: Int) throws(RDBError) -> UnsafeRawBufferPointer {
    if end &- start < count { try fill(count) }
    let first = start
    start &+= count
    return unsafe UnsafeRawBufferPointer(rebasing: buffer[first..<start])
  }

  mutating func skip(_ count: UInt64) throws(RDBError) {
    let skipStart = offset
    var left = count
    while left > 0 {
      if end == start, try !readMore() {
        // Report the skipped field as a whole, where it starts, as the mapped source does.
        throw RDBError(
          .truncated(needed: Int(clamping: count), available: Int(clamping: count - left)),
          at: skipStart)
      }
      let step = Int(min(left, UInt64(end &- start)))
      start &+= step
      left -= UInt64(step)
    }
  }

  mutating func checksum() -> UInt64 {
    foldChecksum()
    return crc
  }

  mutating func drain() throws(RDBError) -> Int {
    var count = end &- start
    start = end
    while !inputEnded {
      let read = try unsafe input.read(into: buffer)
      if read == 0 { inputEnded = true }
      count &+= read
    }
    return count
  }

  private mutating func foldChecksum() {
    crc = unsafe CRC64.update(crc, UnsafeRawBufferPointer(rebasing: buffer[crcIndex..<start]))
    crcIndex = start
  }

  /// Makes `count` unread bytes contiguous at the front of the buffer.
  private mutating func fill(_ count: Int) throws(RDBError) {
    while end &- start < count {
      guard try readMore() else {
        throw RDBError(.truncated(needed: count, available: end &- start), at: offset)
      }
    }
  }

  /// Moves the unread bytes to the front (growing the buffer only when they fill it) and
  /// reads more; returns false at the end of the input.
  private mutating func readMore() throws(RDBError) -> Bool {
    foldChecksum()
    progress?.update(bytesRead: offset)
    let unread = end &- start
    if start > 0 {
      if unread > 0, let base = unsafe buffer.baseAddress {
        unsafe base.copyMemory(from: base + start, byteCount: unread)
      }
      bufferOrigin &+= start
      start = 0
      end = unread
      crcIndex = 0
    }
    if inputEnded { return false }
    if unsafe end == buffer.count { grow() }
    let read = try unsafe input.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))
    if read == 0 {
      inputEnded = true
      return false
    }
    end &+= read
    return true
  }

  /// Doubles the buffer; called only when it is full of bytes that really arrived.
  private mutating func grow() {
    let larger = unsafe UnsafeMutableRawBufferPointer.allocate(
      byteCount: buffer.count &* 2, alignment: 16)
    unsafe larger.copyMemory(from: UnsafeRawBufferPointer(buffer))
    unsafe buffer.deallocate()
    unsafe buffer = larger
  }
}
