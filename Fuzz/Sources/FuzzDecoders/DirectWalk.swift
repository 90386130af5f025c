@testable import RDBKit

/// A blob read by its decoder alone (`ZiplistReader`, `ListpackReader`, `IntsetReader`,
/// `ZipmapReader`, `LZF`), and the same elements written again by the writer's encoders.
enum DirectWalk {
  /// The elements `kind`'s decoder reads from `blob` (integers as decimal text, a zipmap's
  /// pairs as field then value, an LZF string as its one decompressed string), or nil when
  /// it refuses the blob.
  static func elements(_ kind: DecoderKind, _ blob: [UInt8]) -> [[UInt8]]? {
    unsafe blob.withUnsafeBytes { buffer in
      var scratch = ScratchBuffer()
      defer { scratch.release() }
      do {
        return try unsafe walk(kind, buffer, scratch: &scratch)
      } catch {
        return nil
      }
    }
  }

  /// `elements` written by the writer's encoder for `kind`'s family, or nil where it has none
  /// (zipmaps, which only Redis 2.4 wrote, and LZF input that does not compress by 4 bytes).
  static func reencoded(_ kind: DecoderKind, _ elements: [[UInt8]]) -> [UInt8]? {
    switch kind.family {
    case .ziplist:
      var encoder = ZiplistEncoder(compactIntegers: true)
      for element in elements {
        unsafe element.withUnsafeBytes { unsafe encoder.append(unsafeBytes: $0) }
      }
      encoder.finish()
      return unsafe Array(encoder.blob.buffer)
    case .listpack:
      var encoder = ListpackEncoder()
      for element in elements {
        unsafe element.withUnsafeBytes { unsafe encoder.append(unsafeBytes: $0) }
      }
      encoder.finish()
      return encoder.bytes
    case .intset:
      var members = elements.compactMap { Int64(String(decoding: $0, as: UTF8.self)) }
      return IntsetEncoder.encode(&members)
    case .zipmap:
      return nil
    case .lzf:
      guard let plain = elements.first else { return nil }
      let compressor = LZFCompressor()
      return unsafe plain.withUnsafeBytes { input in
        guard let compressed = unsafe compressor.compress(input) else { return nil }
        let announced = UInt32(plain.count)
        let body = unsafe Array(compressed)
        return (0..<4).map { UInt8(truncatingIfNeeded: announced >> (8 * $0)) } + body
      }
    }
  }

  private static func walk(
    _ kind: DecoderKind, _ buffer: UnsafeRawBufferPointer, scratch: inout ScratchBuffer
  ) throws(RDBError) -> [[UInt8]] {
    var elements: [[UInt8]] = []
    switch kind.family {
    case .ziplist:
      var reader = unsafe try ZiplistReader(buffer, origin: 0)
      while let element = try reader.next() {
        elements.append(unsafe Array(element.bytes(using: &scratch)))
      }
    case .listpack:
      // A stream node's count is left to its entries, as the parser leaves it.
      var reader = unsafe try ListpackReader(
        buffer, origin: 0, checksCount: kind != .streamNode)
      while let element = try reader.next() {
        elements.append(unsafe Array(element.bytes(using: &scratch)))
      }
    case .intset:
      var reader = unsafe try IntsetReader(buffer, origin: 0)
      while let member = try reader.next() { elements.append(Array(String(member).utf8)) }
    case .zipmap:
      var reader = unsafe try ZipmapReader(buffer, origin: 0)
      while let (field, value) = unsafe try reader.next() {
        elements.append(unsafe Array(field))
        elements.append(unsafe Array(value))
      }
    case .lzf:
      elements.append(try unsafe decompressed(buffer))
    }
    return elements
  }

  /// An LZF blob's string, after the size checks the parser makes before it allocates. A
  /// blob too short for its announced length is the empty string's (as ``ValueImage`` writes
  /// it: both lengths 0).
  private static func decompressed(_ buffer: UnsafeRawBufferPointer) throws(RDBError) -> [UInt8] {
    guard buffer.count >= 4 else { return [] }
    let announced = unsafe Int(buffer.littleEndian(at: 0, as: UInt32.self))
    let compressed = unsafe UnsafeRawBufferPointer(rebasing: buffer[4...])
    guard UInt64(announced) <= UInt64(compressed.count) * LZF.maximumExpansion else {
      throw lzfError("\(compressed.count) bytes cannot decompress to \(announced)")
    }
    var output = [UInt8](repeating: 0, count: announced)
    let failure = unsafe output.withUnsafeMutableBytes {
      unsafe LZF.decompress(compressed, into: $0)
    }
    if let failure { throw lzfError(failure) }
    return output
  }

  private static func lzfError(_ reason: String) -> RDBError {
    RDBError(.corruptLZF(reason), at: 0)
  }
}
