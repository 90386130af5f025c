/// A one-key RDB 12 file whose value holds a fuzzed blob, so that the parser's checks around
/// the decoders (pairs, repeats, scores, field TTLs, stream entries, quicklist containers,
/// LZF sizes) run on it too. The file has no checksum (eight zero bytes).
enum ValueImage {
  /// The file of a key `k` of `kind` holding `blob`.
  static func file(_ kind: DecoderKind, blob: [UInt8]) -> [UInt8] {
    var bytes = Array("REDIS0012".utf8)
    bytes += [0xFE, 0x00, kind.valueType]
    appendString([UInt8(ascii: "k")], to: &bytes)
    switch kind {
    case .quicklistZiplistNode:
      appendLength(1, to: &bytes)
      appendString(blob, to: &bytes)
    case .quicklistListpackNode:
      appendLength(1, to: &bytes)
      appendLength(2, to: &bytes)
      appendString(blob, to: &bytes)
    case .hashListpackEx:
      bytes += [UInt8](repeating: 0, count: 8)
      appendString(blob, to: &bytes)
    case .streamNode:
      // One node with master ID 1-0, then its length (0: a mismatch only warns), last ID
      // 1-0 and no consumer groups.
      appendLength(1, to: &bytes)
      appendString([0, 0, 0, 0, 0, 0, 0, 1] + [UInt8](repeating: 0, count: 8), to: &bytes)
      appendString(blob, to: &bytes)
      appendLength(0, to: &bytes)
      appendLength(1, to: &bytes)
      appendLength(0, to: &bytes)
      appendLength(0, to: &bytes)
    case .lzfString:
      let announced = blob.count >= 4 ? littleEndian32(blob) : 0
      let compressed = Array(blob.dropFirst(4))
      bytes.append(0xC3)
      appendLength(UInt64(compressed.count), to: &bytes)
      appendLength(UInt64(announced), to: &bytes)
      bytes += compressed
    default:
      appendString(blob, to: &bytes)
    }
    bytes.append(0xFF)
    bytes += [UInt8](repeating: 0, count: 8)
    return bytes
  }

  /// The u32 little-endian at the start of `bytes` (which has at least 4).
  static func littleEndian32(_ bytes: [UInt8]) -> UInt32 {
    (0..<4).reduce(0) { $0 | UInt32(bytes[$1]) << (8 * $1) }
  }

  private static func appendString(_ value: [UInt8], to bytes: inout [UInt8]) {
    appendLength(UInt64(value.count), to: &bytes)
    bytes += value
  }

  private static func appendLength(_ value: UInt64, to bytes: inout [UInt8]) {
    if value < 64 {
      bytes.append(UInt8(value))
    } else if value < 16384 {
      bytes += [0x40 | UInt8(value >> 8), UInt8(truncatingIfNeeded: value)]
    } else {
      bytes.append(0x80)
      bytes += (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) }
    }
  }
}
