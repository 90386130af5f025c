internal import CLZF

/// LZF decompression through liblzf, with the size checks Redis applies.
enum LZF {
  /// The most bytes LZF can produce per compressed byte: a 3-byte back reference copies 264.
  static let maximumExpansion: UInt64 = 88

  /// Decompresses `compressed` into `output`, which must be exactly the announced length.
  ///
  /// The corresponding C function is `lzf_decompress`, which checks every reference and run
  /// against both buffers.
  /// - Returns: nil on success, else why the data is corrupt.
  @unsafe static func decompress(
    _ compressed: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
  ) -> String? {
    guard output.count > 0 else { return unsafe compressed.isEmpty ? nil : "announced length is 0" }
    guard let source = compressed.baseAddress, let destination = output.baseAddress else {
      return "no compressed bytes"
    }
    let produced = unsafe lzf_decompress(
      source, UInt32(truncatingIfNeeded: compressed.count), destination,
      UInt32(truncatingIfNeeded: output.count))
    guard produced == output.count else {
      return produced == 0
        ? "data does not decompress to the announced \(output.count) bytes"
        : "decompresses to \(produced) bytes, \(output.count) announced"
    }
    return nil
  }
}
