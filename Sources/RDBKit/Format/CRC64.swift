/// CRC-64 with the Jones polynomial, as Redis computes it over an RDB file.
///
/// Reflected polynomial `0x95AC9329AC4BC9B5`, initial value 0, no final XOR; the check value
/// of `"123456789"` is `0xE9C6D914C4B8D9CA`.
public enum CRC64 {
  private static let table: [UInt64] = (0..<256).map { index in
    var crc = UInt64(index)
    for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x95AC_9329_AC4B_C9B5 : crc >> 1 }
    return crc
  }

  /// Continues `crc` over `bytes`; start with 0.
  ///
  /// - Complexity: O(`bytes.count`).
  public static func update(_ crc: UInt64, _ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var crc = crc
    table.withUnsafeBufferPointer { table in
      for byte in unsafe bytes {
        crc = unsafe table[Int(UInt8(truncatingIfNeeded: crc) ^ byte)] ^ (crc >> 8)
      }
    }
    return crc
  }
}
