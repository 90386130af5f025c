/// A sequential source of bytes: a pipe, a socket, an HTTP body.
public protocol ByteInput {
  /// Reads up to `buffer.count` bytes into `buffer` and returns how many; 0 means end of input.
  mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(RDBError) -> Int
}
