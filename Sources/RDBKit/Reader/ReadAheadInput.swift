/// A ``ReadAhead``'s chunks read as a ``ByteInput``, copied out: what ``DecompressingInput``
/// reads when the stream is gzip or zstd (the decompressor writes into its own output, so the
/// chunks cannot be the parser's window).
struct ReadAheadInput: ByteInput {
  private let ahead: ReadAhead
  private var current: ReadAhead.Chunk?
  private var used = 0

  init(_ ahead: ReadAhead) {
    self.ahead = ahead
  }

  mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(RDBError) -> Int {
    guard unsafe !buffer.isEmpty else { return 0 }
    if current == nil {
      current = try ahead.next()
      used = 0
    }
    guard let chunk = current, let target = buffer.baseAddress else { return 0 }
    let count = min(buffer.count, chunk.count &- used)
    unsafe target.copyMemory(from: chunk.data + used, byteCount: count)
    used &+= count
    if used == chunk.count {
      ahead.recycle(chunk.number)
      current = nil
    }
    return count
  }
}
