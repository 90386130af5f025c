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
    unsafe slot(ofBytes: key, tables: crcTables)
  }

  /// ``slot(ofBytes:)`` with the CRC tables (``tables``) given, which a caller asking for every
  /// key keeps: reading the lazily made static costs a `swift_once` call per key.
  @unsafe static func slot(ofBytes key: UnsafeRawBufferPointer, tables: [UInt16]) -> Int {
    guard let open = unsafe key.firstIndex(of: UInt8(ascii: "{"), from: 0),
      let close = unsafe key.firstIndex(of: UInt8(ascii: "}"), from: open &+ 1),
      close > open &+ 1
    else { return Int(unsafe crc16(key, tables: tables)) & 0x3FFF }
    return Int(
      unsafe crc16(UnsafeRawBufferPointer(rebasing: key[(open &+ 1)..<close]), tables: tables))
      & 0x3FFF
  }

  /// The CRC tables ``slot(ofBytes:tables:)`` takes.
  static var tables: [UInt16] { crcTables }

  /// CRC16/XMODEM of `bytes`, eight bytes a step (`stats` asks it for every key): the CRC is
  /// linear, so a step's result is the XOR of one table entry per byte, the entry of byte
  /// `i` of the step (the CRC so far folded into the first two) being that byte's CRC followed
  /// by `7 − i` zero bytes. Then one step of four bytes the same way, if four are left, and
  /// the last 0–3 bytes one at a time.
  @inline(__always)
  @unsafe static func crc16(_ bytes: UnsafeRawBufferPointer, tables crcTables: [UInt16]) -> UInt16 {
    var crc: UInt16 = 0
    let count = bytes.count
    var offset = 0
    unsafe crcTables.withUnsafeBufferPointer { tables in
      while offset &+ 8 <= count {
        // The step's first byte in the high bits, as the CRC (most significant bit first)
        // takes it.
        let word =
          UInt64(bigEndian: unsafe bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
          ^ UInt64(crc) << 48
        func entry(_ table: Int, _ shift: UInt64) -> UInt16 {
          unsafe tables[table &<< 8 | Int(truncatingIfNeeded: (word &>> shift) & 0xFF)]
        }
        crc =
          entry(7, 56) ^ entry(6, 48) ^ entry(5, 40) ^ entry(4, 32) ^ entry(3, 24)
          ^ entry(2, 16) ^ entry(1, 8) ^ entry(0, 0)
        offset &+= 8
      }
      if offset &+ 4 <= count {
        let word =
          UInt32(bigEndian: unsafe bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
          ^ UInt32(crc) << 16
        func entry(_ table: Int, _ shift: UInt32) -> UInt16 {
          unsafe tables[table &<< 8 | Int(truncatingIfNeeded: (word &>> shift) & 0xFF)]
        }
        crc = entry(3, 24) ^ entry(2, 16) ^ entry(1, 8) ^ entry(0, 0)
        offset &+= 4
      }
      while offset < count {
        let index = unsafe Int(UInt8(truncatingIfNeeded: crc >> 8) ^ bytes[offset])
        crc = unsafe (crc << 8) ^ tables[index]
        offset &+= 1
      }
    }
    return crc
  }

  /// Eight CRC16/XMODEM tables of 256 entries: table `k` holds the CRC of each byte value
  /// followed by `k` zero bytes (table 0: the CRC of the byte alone).
  private static let crcTables: [UInt16] = {
    var tables = (0..<256).map { byte in
      var crc = UInt16(byte) << 8
      for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
      return crc
    }
    for table in 1..<8 {
      for byte in 0..<256 {
        let previous = tables[(table - 1) * 256 + byte]
        tables.append((previous << 8) ^ tables[Int(previous >> 8)])
      }
    }
    return tables
  }()
}
