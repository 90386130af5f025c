#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of one packed blob (a listpack or ziplist) while it is built, in raw memory
/// owned here and kept from blob to blob: appending is a bounds check and a store, with no
/// per-byte array bookkeeping.
@safe final class BlobBytes {
  private var storage: UnsafeMutableRawPointer
  private var capacity = 1 << 12
  /// The number of bytes so far.
  private(set) var count = 0

  init() {
    guard let memory = unsafe malloc(capacity) else { fatalError("out of memory") }
    unsafe storage = memory
  }

  deinit {
    unsafe free(storage)
  }

  /// The bytes so far, valid until the next append or ``removeAll()``.
  @unsafe var buffer: UnsafeRawBufferPointer {
    unsafe UnsafeRawBufferPointer(start: storage, count: count)
  }

  /// Empties the blob, keeping its storage.
  func removeAll() {
    count = 0
  }

  /// Appends one byte.
  @inline(__always)
  func append(_ byte: UInt8) {
    if count == capacity { grow(toFit: count &+ 1) }
    unsafe storage.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
    count &+= 1
  }

  /// Appends bytes from a buffer.
  @inline(__always)
  @unsafe func append(_ bytes: UnsafeRawBufferPointer) {
    guard let source = bytes.baseAddress else { return }
    if count &+ bytes.count > capacity { grow(toFit: count &+ bytes.count) }
    unsafe (storage + count).copyMemory(from: source, byteCount: bytes.count)
    count &+= bytes.count
  }

  /// Appends the UTF-8 of `text`.
  func append(_ text: String) {
    var text = text
    text.withUTF8 { unsafe append(UnsafeRawBufferPointer($0)) }
  }

  /// Appends the low `byteCount` bytes of `value`, least significant first.
  @inline(__always)
  func append(littleEndian value: UInt64, byteCount: Int) {
    if count &+ 8 > capacity { grow(toFit: count &+ 8) }
    unsafe storage.storeBytes(of: value.littleEndian, toByteOffset: count, as: UInt64.self)
    count &+= byteCount
  }

  /// Overwrites the low `byteCount` bytes of `value` at `offset`, least significant first (a
  /// header filled in once the blob is complete).
  func store(littleEndian value: UInt64, byteCount: Int, at offset: Int) {
    for index in 0..<byteCount {
      unsafe storage.storeBytes(
        of: UInt8(truncatingIfNeeded: value >> UInt64(index &* 8)), toByteOffset: offset &+ index,
        as: UInt8.self)
    }
  }

  /// Room for `extra` more bytes at the end, the bytes so far kept; write them, then call
  /// ``advance(by:)`` with the number written.
  @inline(__always)
  @unsafe func reserve(_ extra: Int) -> UnsafeMutableRawPointer {
    if count &+ extra > capacity { grow(toFit: count &+ extra) }
    return unsafe storage + count
  }

  /// Marks `written` bytes after the end, written through ``reserve(_:)``, as part of the blob.
  @inline(__always)
  func advance(by written: Int) { count &+= written }

  /// Makes the bytes `newCount` long, their contents undefined, and returns them for the
  /// caller to fill (a string decompressed into them, for example).
  @unsafe func resize(to newCount: Int) -> UnsafeMutableRawBufferPointer {
    if newCount > capacity { grow(toFit: newCount) }
    count = newCount
    return unsafe UnsafeMutableRawBufferPointer(start: storage, count: newCount)
  }

  private func grow(toFit needed: Int) {
    var larger = capacity
    while larger < needed { larger &*= 2 }
    guard let moved = unsafe realloc(storage, larger) else { fatalError("out of memory") }
    unsafe storage = moved
    capacity = larger
  }
}
