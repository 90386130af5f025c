/// Where the parser takes its bytes from: a mapped file or a refilled stream buffer.
///
/// A buffer returned by ``take(_:)`` stays valid until the next call that consumes bytes,
/// unless ``keepsBytes`` is true (a mapping: valid until parsing ends). Every consumed byte
/// is fed to the CRC-64 in order.
protocol ByteSource {
  /// Whether buffers from ``take(_:)`` stay valid for the whole parse.
  static var keepsBytes: Bool { get }
  /// The absolute offset of the next unread byte.
  var offset: Int { get }
  /// The number of bytes known to remain, or nil when the input's end is not yet known.
  var knownRemaining: Int? { get }
  /// Consumes exactly `count` bytes and returns them.
  /// - Throws: ``RDBError/Kind/truncated(needed:available:)`` when the input ends first.
  mutating func take(_ count: Int) throws(RDBError) -> UnsafeRawBufferPointer
  /// Consumes `count` bytes without returning them (a skipped value).
  mutating func skip(_ count: UInt64) throws(RDBError)
  /// The CRC-64 of every byte consumed so far.
  mutating func checksum() -> UInt64
  /// Consumes whatever follows and returns how many bytes that was.
  mutating func drain() throws(RDBError) -> Int
}

extension ByteSource {
  /// Checks that `length` bytes can still be read before anything is sized by it.
  @inline(__always)
  func check(length: UInt64) throws(RDBError) {
    if let remaining = knownRemaining, length > UInt64(remaining) {
      throw RDBError(.lengthTooLarge(length), at: offset)
    }
  }

  /// Consumes one byte.
  @inline(__always)
  mutating func takeByte() throws(RDBError) -> UInt8 {
    let bytes = unsafe try take(1)
    return unsafe bytes[0]
  }
}
