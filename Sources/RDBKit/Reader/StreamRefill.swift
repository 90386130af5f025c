/// The buffer behind a stream's ``ByteSource`` window, refilled from a ``ByteInput``, or the
/// chunks a ``ReadAhead`` thread fills.
///
/// The buffer starts at 1 MiB and grows only when one record needs more contiguous bytes than
/// it holds, and only as those bytes actually arrive, so memory stays bounded by the buffer
/// plus the largest single element, and a hostile length never sizes an allocation. The
/// parser reaches this object only when a read runs past the bytes already buffered.
///
/// Over a ``ReadAhead``, the window is a chunk itself: the unread end of the window (part of
/// one record) is copied into the room in front of the next chunk, and the window moves there
/// with no other copy. Only a record longer than that room or than a chunk is assembled in
/// the buffer, which then grows as above.
@safe final class StreamRefill {
  private var input: any ByteInput
  /// The thread filling chunks, when reading a descriptor ahead; `input` is then unused.
  private let ahead: ReadAhead?
  /// The chunk the window is in, or nil when it is in `buffer` (or empty): its checkpoints
  /// give the CRC of the window's bytes (``ReadAhead/Chunk/checksum(through:)``).
  private(set) var chunk: ReadAhead.Chunk?
  private var buffer: UnsafeMutableRawBufferPointer
  private var filled = 0
  private var bufferOrigin = 0
  private var inputEnded = false
  /// Bytes captured for ``ByteSource/endCapture()`` that a slide would have dropped.
  private var captured = unsafe UnsafeMutableRawBufferPointer(start: nil, count: 0)
  private var capturedCount = 0
  /// Whether any captured bytes are held (the capture spans a refill).
  private(set) var hasCapture = false

  /// Reads `input` through a buffer of `initialCapacity` bytes.
  init(input: any ByteInput, initialCapacity: Int = 1 << 20) {
    self.input = input
    ahead = nil
    unsafe buffer = UnsafeMutableRawBufferPointer.allocate(
      byteCount: max(initialCapacity, 4096), alignment: 16)
  }

  /// Reads the chunks `ahead` fills; the buffer is allocated small, for records that cross
  /// more than one chunk.
  init(ahead: ReadAhead) {
    input = EmptyInput()
    self.ahead = ahead
    unsafe buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 16)
  }

  deinit {
    ahead?.stop()
    unsafe buffer.deallocate()
    unsafe captured.deallocate()
  }

  /// Stops the thread reading ahead, if any: nothing reads the input after this returns.
  func release() {
    ahead?.stop()
  }

  /// Forgets the captured bytes (keeps the memory).
  func clearCapture() {
    capturedCount = 0
    hasCapture = false
  }

  /// Appends `bytes` to the captured bytes and returns all of them; valid until the next
  /// append. The buffer grows geometrically and is reused from capture to capture.
  func appendCapture(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
    hasCapture = true
    let needed = capturedCount &+ bytes.count
    if unsafe needed > captured.count {
      var capacity = unsafe max(captured.count, 4096)
      while capacity < needed { capacity &*= 2 }
      let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
      if capturedCount > 0 {
        unsafe larger.copyMemory(from: UnsafeRawBufferPointer(rebasing: captured[..<capturedCount]))
      }
      unsafe captured.deallocate()
      unsafe captured = larger
    }
    if let base = unsafe captured.baseAddress, let source = bytes.baseAddress {
      unsafe (base + capturedCount).copyMemory(from: source, byteCount: bytes.count)
    }
    capturedCount = needed
    return unsafe UnsafeRawBufferPointer(rebasing: captured[..<capturedCount])
  }

  /// Moves the `kept` unread bytes at `position` of `window` (this buffer's current window)
  /// to the front (over a ``ReadAhead``, into the room before the next chunk) and reads until
  /// `need` bytes are buffered or the input ends; returns the new window (shorter than `need`
  /// only at the end of the input) and its absolute offset.
  func slide(keeping kept: Int, from window: UnsafeRawBufferPointer, at position: Int, need: Int)
    throws(RDBError) -> (UnsafeRawBufferPointer, Int)
  {
    if let ahead {
      return try unsafe slide(ahead, keeping: kept, from: window, at: position, need: need)
    }
    if let base = unsafe buffer.baseAddress, window.count > 0 {
      // The window is a prefix of the buffer: everything before `position` is consumed.
      if position > 0, kept > 0 {
        unsafe base.copyMemory(from: base + position, byteCount: kept)
      }
      bufferOrigin &+= position
      filled = kept
    }
    while filled < need, !inputEnded {
      if unsafe filled == buffer.count { grow() }
      let read = try unsafe input.read(
        into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
      if read == 0 { inputEnded = true } else { filled &+= read }
    }
    return unsafe (UnsafeRawBufferPointer(rebasing: buffer[..<filled]), bufferOrigin)
  }

  /// Reads the rest of the input and returns how many bytes that was.
  func drain() throws(RDBError) -> Int {
    var count = 0
    if let ahead {
      while let next = try ahead.next() {
        count &+= next.count
        ahead.recycle(next.number)
      }
      return count
    }
    while !inputEnded {
      let read = try unsafe input.read(into: buffer)
      if read == 0 { inputEnded = true }
      count &+= read
    }
    return count
  }

  /// Doubles the buffer; called only when it is full of bytes that really arrived.
  private func grow() {
    let larger = unsafe UnsafeMutableRawBufferPointer.allocate(
      byteCount: buffer.count &* 2, alignment: 16)
    unsafe larger.copyMemory(from: UnsafeRawBufferPointer(buffer))
    unsafe buffer.deallocate()
    unsafe buffer = larger
  }

  /// ``slide(keeping:from:at:need:)`` over the chunks of `ahead`.
  @unsafe private func slide(
    _ ahead: ReadAhead, keeping kept: Int, from window: UnsafeRawBufferPointer, at position: Int,
    need: Int
  ) throws(RDBError) -> (UnsafeRawBufferPointer, Int) {
    let keptStart = unsafe window.baseAddress.map { unsafe $0 + position }
    let origin = bufferOrigin &+ position
    bufferOrigin = origin
    if chunk == nil, kept > 0, let base = unsafe buffer.baseAddress,
      let keptStart = unsafe keptStart
    {
      // The window is in the buffer: keep its unread end at the front, as a stream's does.
      unsafe base.copyMemory(from: keptStart, byteCount: kept)
    }
    filled = chunk == nil ? kept : 0
    guard !inputEnded, let next = try ahead.next() else {
      inputEnded = true
      if chunk != nil, let keptStart = unsafe keptStart {
        return unsafe (UnsafeRawBufferPointer(start: keptStart, count: kept), origin)
      }
      return unsafe (UnsafeRawBufferPointer(rebasing: buffer[..<filled]), origin)
    }
    if kept <= ReadAhead.headroom, kept &+ next.count >= need {
      let start = unsafe next.data - kept
      if kept > 0 {
        let source = unsafe chunk == nil ? UnsafeRawPointer(buffer.baseAddress) : keptStart
        if let source = unsafe source { unsafe start.copyMemory(from: source, byteCount: kept) }
      }
      if let chunk { ahead.recycle(chunk.number) }
      chunk = next
      return unsafe (UnsafeRawBufferPointer(start: start, count: kept &+ next.count), origin)
    }
    // A record longer than the room or than the chunk: assembled in the buffer.
    if let current = chunk, let keptStart = unsafe keptStart {
      unsafe append(UnsafeRawBufferPointer(start: keptStart, count: kept))
      ahead.recycle(current.number)
      chunk = nil
    }
    var arrived: ReadAhead.Chunk? = next
    while let piece = arrived {
      unsafe append(UnsafeRawBufferPointer(start: piece.data, count: piece.count))
      ahead.recycle(piece.number)
      arrived = filled < need ? try ahead.next() : nil
    }
    if filled < need { inputEnded = true }
    return unsafe (UnsafeRawBufferPointer(rebasing: buffer[..<filled]), origin)
  }

  /// Appends bytes that arrived to the buffer, growing it as needed.
  @unsafe private func append(_ bytes: UnsafeRawBufferPointer) {
    while unsafe filled &+ bytes.count > buffer.count { grow() }
    if let base = unsafe buffer.baseAddress, let source = bytes.baseAddress {
      unsafe (base + filled).copyMemory(from: source, byteCount: bytes.count)
    }
    filled &+= bytes.count
  }
}

/// The input of a ``StreamRefill`` that reads a ``ReadAhead``'s chunks instead.
private struct EmptyInput: ByteInput {
  func read(into buffer: UnsafeMutableRawBufferPointer) throws(RDBError) -> Int { 0 }
}
