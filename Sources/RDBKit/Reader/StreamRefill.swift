/// The buffer behind a stream's ``ByteSource`` window, refilled from a ``ByteInput``.
///
/// The buffer starts at 1 MiB and grows only when one record needs more contiguous bytes than
/// it holds, and only as those bytes actually arrive, so memory stays bounded by the buffer
/// plus the largest single element, and a hostile length never sizes an allocation. The
/// parser reaches this object only when a read runs past the bytes already buffered.
@safe final class StreamRefill {
  private var input: any ByteInput
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
    unsafe buffer = UnsafeMutableRawBufferPointer.allocate(
      byteCount: max(initialCapacity, 4096), alignment: 16)
  }

  deinit {
    unsafe buffer.deallocate()
    unsafe captured.deallocate()
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
  /// to the front and reads until `need` bytes are buffered or the input ends; returns the new
  /// window (shorter than `need` only at the end of the input) and its absolute offset.
  func slide(keeping kept: Int, from window: UnsafeRawBufferPointer, at position: Int, need: Int)
    throws(RDBError) -> (UnsafeRawBufferPointer, Int)
  {
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
}
