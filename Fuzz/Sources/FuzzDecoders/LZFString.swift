@testable import RDBKit

/// An LZF blob of `FuzzDecoders` (announced length u32 LE, compressed bytes), changed inside
/// its string: decompressed, mutated and compressed again with liblzf, so that the announced
/// length matches; or with the length or the compressed bytes changed.
enum LZFString {
  static func mutated(_ blob: [UInt8], _ source: inout MutationSource, limit: Int) -> [UInt8] {
    let announced = blob.count >= 4 ? Int(ValueImage.littleEndian32(blob)) : 0
    let compressed = Array(blob.dropFirst(4))
    switch source.below(6) {
    case 0:
      let length = [
        announced + 1, announced - 1, announced * 2, compressed.count * 88 + 1,
        source.below(1 << 16),
      ][source.below(5)]
      return PackedEntries.littleEndian(UInt64(max(length, 0)), 4) + compressed
    case 1:
      return Array(blob.prefix(4)) + source.mutated(compressed, limit: max(limit - 4, 1))
    default:
      let plain = DirectWalk.elements(.lzfString, blob)?.first ?? compressed
      let changed = source.mutated(plain, limit: max(limit / 2, plain.count))
      return compressedBlob(changed, literalOnly: source.oneIn(4))
    }
  }

  /// The blob of `plain`: liblzf's compression, or literal runs when asked or when that does
  /// not save 4 bytes.
  static func compressedBlob(_ plain: [UInt8], literalOnly: Bool) -> [UInt8] {
    var compressed: [UInt8]? = nil
    if !literalOnly {
      let compressor = LZFCompressor()
      compressed = unsafe plain.withUnsafeBytes {
        unsafe compressor.compress($0).map { unsafe Array($0) }
      }
    }
    let body =
      compressed
      ?? stride(from: 0, to: plain.count, by: 32).flatMap { start in
        let run = plain[start..<min(start + 32, plain.count)]
        return [UInt8(run.count - 1)] + run
      }
    return PackedEntries.littleEndian(UInt64(plain.count), 4) + body
  }
}
