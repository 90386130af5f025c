/// The hash slot of a key computed apart from RDBKit: bit by bit CRC16/XMODEM, written from
/// the Redis Cluster specification, so that a test compares two implementations.
enum ReferenceSlot {
  static func slot(of key: [UInt8]) -> Int {
    var hashed = key[...]
    if let open = key.firstIndex(of: UInt8(ascii: "{")),
      let close = key[(open + 1)...].firstIndex(of: UInt8(ascii: "}")), close > open + 1
    {
      hashed = key[(open + 1)..<close]
    }
    var crc: UInt16 = 0
    for byte in hashed {
      crc ^= UInt16(byte) << 8
      for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
    }
    return Int(crc % 16384)
  }

  /// The shard of `slot` among contiguous ranges given by their last slots.
  static func shard(ofSlot slot: Int, lastSlots: [Int]) -> Int {
    lastSlots.firstIndex { slot <= $0 } ?? lastSlots.count - 1
  }
}
