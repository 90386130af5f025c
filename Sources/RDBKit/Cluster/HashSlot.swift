/// The Redis Cluster hash slot of a key: CRC16 (XMODEM: polynomial 0x1021, initial value 0,
/// no reflection) of the key, or of its hash tag, modulo 16384.
///
/// The hash tag is the part between the first `{` and the first `}` after it, when that part
/// is not empty; otherwise the whole key is hashed. So `{user:1}:a` and `{user:1}:b` share a
/// slot, `{}x` is hashed whole, and in `{a}{b}` only `a` counts. These are the rules of
/// `keyHashSlot` in Redis's `cluster.c`, which Valkey keeps.
///
///     HashSlot.slot(of: Array("foo".utf8).span.bytes)   // 12182, as CLUSTER KEYSLOT foo says
public enum HashSlot {
  /// The number of hash slots in a cluster.
  public static let count = 16384

  /// The slot of `key`.
  ///
  /// - Complexity: O(*n*) in the key's length.
  public static func slot(of key: RawSpan) -> Int {
    unsafe key.withUnsafeBytes { unsafe slot(ofBytes: $0) }
  }

  /// The slot of `key`, given as bytes.
  ///
  /// - Complexity: O(*n*) in the key's length.
  public static func slot(of key: Span<UInt8>) -> Int {
    unsafe key.withUnsafeBufferPointer { unsafe slot(ofBytes: UnsafeRawBufferPointer($0)) }
  }

  /// The slot of the key in `key`: braces found eight bytes at a time, as `stats` asks it for
  /// every key.
  @unsafe static func slot(ofBytes key: UnsafeRawBufferPointer) -> Int {
    guard let open = unsafe key.firstIndex(of: UInt8(ascii: "{"), from: 0),
      let close = unsafe key.firstIndex(of: UInt8(ascii: "}"), from: open &+ 1),
      close > open &+ 1
    else { return Int(unsafe crc16(key)) & 0x3FFF }
    return Int(unsafe crc16(UnsafeRawBufferPointer(rebasing: key[(open &+ 1)..<close]))) & 0x3FFF
  }

  /// CRC16/XMODEM of `bytes`, table-driven.
  @inline(__always)
  @unsafe static func crc16(_ bytes: UnsafeRawBufferPointer) -> UInt16 {
    var crc: UInt16 = 0
    // A table index is a byte.
    unsafe crcTable.withUnsafeBufferPointer { table in
      for byte in unsafe bytes {
        crc = unsafe (crc << 8) ^ table[Int(UInt8(truncatingIfNeeded: crc >> 8) ^ byte)]
      }
    }
    return crc
  }

  /// The CRC16/XMODEM table: the CRC of each byte value shifted into the high byte.
  private static let crcTable: [UInt16] = (0..<256).map { byte in
    var crc = UInt16(byte) << 8
    for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
    return crc
  }
}
