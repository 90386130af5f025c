/// A reusable, geometrically grown byte buffer for decoded values (LZF output, integers as
/// text, copies that must outlive the input buffer).
///
/// The owner calls ``release()`` exactly once; the buffer is never shrunk, so after warm-up
/// the parser allocates nothing per element.
@safe struct ScratchBuffer {
  private(set) var storage: UnsafeMutableRawBufferPointer

  /// Allocates `capacity` bytes (at least 64, room for any integer as text).
  init(capacity: Int = 256) {
    unsafe storage = .allocate(byteCount: max(capacity, 64), alignment: 16)
  }

  /// Frees the memory; the buffer must not be used afterwards.
  func release() {
    unsafe storage.deallocate()
  }

  /// Returns room for at least `count` bytes, growing (and discarding the contents) if needed.
  @inline(__always)
  mutating func reserve(_ count: Int) -> UnsafeMutableRawBufferPointer {
    if unsafe count > storage.count { grow(to: count) }
    return unsafe storage
  }

  /// Copies `bytes` into the buffer and returns the copy.
  @inline(__always)
  mutating func copy(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
    let room = unsafe reserve(bytes.count)
    unsafe room.copyMemory(from: bytes)
    return unsafe UnsafeRawBufferPointer(rebasing: room[..<bytes.count])
  }

  /// Writes `value` as decimal text and returns it. (Not inlined: inlined, it made
  /// ``PackedElement/bytes(using:)`` too large to inline, a call for every string element.)
  @inline(never)
  mutating func text(of value: Int64) -> UnsafeRawBufferPointer {
    let count = unsafe IntegerText.write(value, into: storage)
    return unsafe UnsafeRawBufferPointer(rebasing: storage[..<count])
  }

  private mutating func grow(to count: Int) {
    var capacity = unsafe storage.count
    while capacity < count { capacity = capacity > Int.max / 2 ? count : capacity * 2 }
    unsafe storage.deallocate()
    unsafe storage = .allocate(byteCount: capacity, alignment: 16)
  }
}
