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
    unsafe key.withUnsafeBytes { raw in
      let bytes = unsafe raw.assumingMemoryBound(to: UInt8.self)
      return slot(of: unsafe bytes.span)
    }
  }

  /// The slot of `key`, given as bytes.
  ///
  /// - Complexity: O(*n*) in the key's length.
  public static func slot(of key: Span<UInt8>) -> Int {
    var open = 0
    while open < key.count, key[open] != UInt8(ascii: "{") { open += 1 }
    guard open < key.count else { return Int(crc16(key, from: 0, to: key.count)) & 0x3FFF }
    var close = open + 1
    while close < key.count, key[close] != UInt8(ascii: "}") { close += 1 }
    guard close < key.count, close > open + 1 else {
      return Int(crc16(key, from: 0, to: key.count)) & 0x3FFF
    }
    return Int(crc16(key, from: open + 1, to: close)) & 0x3FFF
  }

  /// CRC16/XMODEM of `bytes[start..<end]`, table-driven.
  static func crc16(_ bytes: Span<UInt8>, from start: Int, to end: Int) -> UInt16 {
    precondition(0 <= start && start <= end && end <= bytes.count)
    var crc: UInt16 = 0
    // Unchecked reads: the range was checked above and a table index is a byte.
    unsafe bytes.withUnsafeBufferPointer { bytes in
      unsafe crcTable.withUnsafeBufferPointer { table in
        for index in start..<end {
          let byte = unsafe bytes[index]
          crc = unsafe (crc << 8) ^ table[Int(UInt8(truncatingIfNeeded: crc >> 8) ^ byte)]
        }
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
