internal import CZlib

/// gzip through zlib's `inflate`, one member after another (`cat a.gz b.gz` is one stream,
/// as `gzip -d` reads it).
@safe final class GzipDecompressor: StreamDecompressor {
  /// zlib keeps a pointer back to its `z_stream`, so the stream lives at a fixed address.
  private let stream: UnsafeMutablePointer<z_stream>
  /// Whether the last member ended and the next has not started.
  private var betweenMembers = false

  /// Starts a gzip-only inflate stream (`inflateInit2` with window bits 15 + 16).
  init() throws(RDBError) {
    unsafe stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    unsafe stream.initialize(to: z_stream())
    let status = unsafe inflateInit2_(
      stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    guard status == Z_OK else {
      unsafe stream.deallocate()
      throw RDBError(.readFailed("zlib cannot start (\(status))"), at: 0)
    }
  }

  deinit {
    unsafe inflateEnd(stream)
    unsafe stream.deallocate()
  }

  /// The corresponding C function is `inflate`.
  func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
    throws(RDBError) -> (consumed: Int, produced: Int, atBoundary: Bool)
  {
    if betweenMembers {
      guard unsafe !input.isEmpty else { return (0, 0, true) }
      unsafe inflateReset(stream)
      betweenMembers = false
    }
    unsafe stream.pointee.next_in = UnsafeMutablePointer(
      mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
    unsafe stream.pointee.avail_in = UInt32(clamping: input.count)
    unsafe stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
    unsafe stream.pointee.avail_out = UInt32(clamping: output.count)
    let status = unsafe inflate(stream, Z_NO_FLUSH)
    let consumed = unsafe min(input.count, Int(UInt32.max)) - Int(stream.pointee.avail_in)
    let produced = unsafe min(output.count, Int(UInt32.max)) - Int(stream.pointee.avail_out)
    switch status {
    case Z_OK, Z_BUF_ERROR:
      return (consumed, produced, false)
    case Z_STREAM_END:
      betweenMembers = true
      return (consumed, produced, true)
    default:
      let reason = unsafe stream.pointee.msg.map { unsafe String(cString: $0) } ?? "error \(status)"
      throw RDBError(.corruptStructure(structure: "gzip stream", reason: reason), at: 0)
    }
  }
}
