#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension UnsafeRawBufferPointer {
  /// Whether `other` holds the same bytes: up to 16 bytes in two overlapping loads of each
  /// (key-name prefixes, compared for every key), longer ones with `memcmp` (`elementsEqual`
  /// goes through the generic `Sequence` path a byte at a time).
  @inline(__always)
  func holdsSameBytes(as other: UnsafeRawBufferPointer) -> Bool {
    guard count == other.count else { return false }
    guard count > 0, let base = unsafe baseAddress, let otherBase = unsafe other.baseAddress
    else { return true }
    if count <= 16 { return unsafe Self.sameShortBytes(base, otherBase, count) }
    return unsafe memcmp(base, otherBase, count) == 0
  }

  /// Whether the 1–16 bytes at `a` and `b` are equal: the first and the last word of each,
  /// overlapping when `count` is not twice the word size.
  @inline(__always)
  @unsafe private static func sameShortBytes(
    _ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int
  ) -> Bool {
    func load<T: FixedWidthInteger>(_ pointer: UnsafeRawPointer, _ offset: Int, _: T.Type) -> T {
      unsafe pointer.loadUnaligned(fromByteOffset: offset, as: T.self)
    }
    if count >= 8 {
      return unsafe (load(a, 0, UInt64.self) ^ load(b, 0, UInt64.self))
        | (load(a, count &- 8, UInt64.self) ^ load(b, count &- 8, UInt64.self)) == 0
    }
    if count >= 4 {
      return unsafe (load(a, 0, UInt32.self) ^ load(b, 0, UInt32.self))
        | (load(a, count &- 4, UInt32.self) ^ load(b, count &- 4, UInt32.self)) == 0
    }
    return unsafe load(a, 0, UInt8.self) == load(b, 0, UInt8.self)
      && load(a, count >> 1, UInt8.self) == load(b, count >> 1, UInt8.self)
      && load(a, count &- 1, UInt8.self) == load(b, count &- 1, UInt8.self)
  }
}
