internal import CZstd

/// Zstandard through libzstd's streaming API, frame after frame.
@safe final class ZstdDecompressor: StreamDecompressor {
  private let stream: OpaquePointer

  /// Creates a decompression stream (`ZSTD_createDStream`).
  init() throws(RDBError) {
    guard let stream = unsafe ZSTD_createDStream() else {
      throw RDBError(.readFailed("libzstd cannot start"), at: 0)
    }
    unsafe self.stream = unsafe stream
  }

  deinit { unsafe ZSTD_freeDStream(stream) }

  /// The corresponding C function is `ZSTD_decompressStream`.
  func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
    throws(RDBError) -> (consumed: Int, produced: Int, atBoundary: Bool)
  {
    var source = unsafe ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
    var target = unsafe ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
    let hint = unsafe ZSTD_decompressStream(stream, &target, &source)
    if ZSTD_isError(hint) != 0 {
      let reason = unsafe String(cString: ZSTD_getErrorName(hint))
      throw RDBError(.corruptStructure(structure: "zstd stream", reason: reason), at: 0)
    }
    // 0: a frame is complete and fully flushed.
    return unsafe (source.pos, target.pos, hint == 0)
  }
}
