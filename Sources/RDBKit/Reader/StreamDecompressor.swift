/// One step of a streaming decompressor: as much of `input` as it takes, as much output as
/// fits.
protocol StreamDecompressor: AnyObject {
  /// Decompresses from `input` into `output`.
  /// - Returns: the bytes of `input` consumed, the bytes of `output` produced, and whether the
  ///   stream is at a frame (or gzip member) boundary, where the input may cleanly end.
  /// - Throws: ``RDBError`` (`corruptStructure`) for data the format rejects.
  func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
    throws(RDBError) -> (consumed: Int, produced: Int, atBoundary: Bool)
}
