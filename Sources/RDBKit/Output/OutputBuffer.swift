#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import SystemPackage

/// Bytes on their way to a file descriptor, written in large blocks.
///
/// Writers append text; ``flushIfFull()`` writes once a block has built up, and callers that
/// must edit what they wrote (a hash rewritten as pairs) simply don't flush until they are done.
public struct OutputBuffer {
  /// The bytes not yet written.
  var bytes: [UInt8] = []
  private let descriptor: FileDescriptor
  private let blockSize: Int

  /// Buffers output for `descriptor`, which the caller owns and keeps open.
  public init(descriptor: FileDescriptor, blockSize: Int = 1 << 18) {
    self.descriptor = descriptor
    self.blockSize = blockSize
    bytes.reserveCapacity(blockSize * 2)
  }

  /// A buffer that is never flushed, holding `bytes` (for text assembled apart).
  init(detachedWith bytes: [UInt8]) {
    self.bytes = bytes
    descriptor = FileDescriptor(rawValue: -1)
    blockSize = Int.max
  }

  @inline(__always)
  mutating func append(_ byte: UInt8) { bytes.append(byte) }

  @inline(__always)
  mutating func append(_ text: StaticString) {
    unsafe bytes.append(
      contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
  }

  @inline(__always)
  mutating func append(_ raw: UnsafeRawBufferPointer) { unsafe bytes.append(contentsOf: raw) }

  mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

  /// Appends an integer in decimal.
  @inline(__always)
  mutating func append(integer value: Int64) {
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
    unsafe withUnsafeMutableBytes(of: &digits) { scratch in
      let count = unsafe IntegerText.write(value, into: scratch)
      unsafe bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[..<count]))
    }
  }

  /// Writes the buffer if a block has built up.
  @inline(__always)
  mutating func flushIfFull() throws(RDBError) {
    if bytes.count >= blockSize { try flush() }
  }

  /// Writes everything buffered.
  public mutating func flush() throws(RDBError) {
    guard !bytes.isEmpty else { return }
    do {
      try unsafe bytes.withUnsafeBytes { buffer in
        _ = try unsafe descriptor.writeAll(buffer)
      }
    } catch {
      throw RDBError(.handlerFailed("cannot write output: \(error)"), at: 0)
    }
    bytes.removeAll(keepingCapacity: true)
  }
}
