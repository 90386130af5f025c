#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension UnsafeRawBufferPointer {
  /// Whether `other` holds the same bytes, compared with `memcmp` (`elementsEqual` goes through
  /// the generic `Sequence` path a byte at a time).
  @inline(__always)
  func holdsSameBytes(as other: UnsafeRawBufferPointer) -> Bool {
    guard count == other.count else { return false }
    guard count > 0, let base = unsafe baseAddress, let otherBase = unsafe other.baseAddress
    else { return true }
    return unsafe memcmp(base, otherBase, count) == 0
  }
}
