import RDBKit

/// Writes an RDB image (version 11, as Redis 7.2 writes it) into memory, byte by byte, with
/// values over 20 bytes and every listpack, intset and node blob LZF-compressed when that
/// saves bytes, as Redis does.
///
/// Only what the benchmark inputs need: AUX fields, SELECTDB, RESIZEDB, millisecond expiries,
/// strings (raw, integer-encoded, LZF), plain hash tables, sorted sets with binary scores,
/// plain sets, listpack hashes/sets/sorted sets, intsets, quicklist-2 lists and
/// `STREAM_LISTPACKS_3` streams; `finish()` appends EOF and the CRC-64 trailer.
///
///     var writer = RDBImageWriter()
///     writer.beginDatabase(0, keys: 1, expires: 0)
///     writer.stringKey(Array("k".utf8), value: Array("v".utf8))
///     let image = writer.finish()
public struct RDBImageWriter {
  /// The bytes written so far.
  public private(set) var bytes: [UInt8] = []

  /// Starts an image with the `REDIS0011` header and the AUX fields Redis 7.2 writes.
  public init(reserving capacity: Int = 1 << 20) {
    bytes.reserveCapacity(capacity)
    bytes += Array("REDIS0011".utf8)
    aux("redis-ver", "7.2.4")
    aux("redis-bits", "64")
    aux("ctime", "1700000000")
    aux("used-mem", "1048576")
    aux("aof-base", "0")
  }

  /// An AUX field.
  public mutating func aux(_ key: String, _ value: String) {
    bytes.append(0xFA)
    string(Array(key.utf8))
    string(Array(value.utf8))
  }

  /// SELECTDB and RESIZEDB.
  public mutating func beginDatabase(_ index: Int, keys: Int, expires: Int) {
    bytes.append(0xFE)
    length(UInt64(index))
    bytes.append(0xFB)
    length(UInt64(keys))
    length(UInt64(expires))
  }

  /// The EXPIRETIME_MS opcode before a key.
  public mutating func expiry(milliseconds: Int64) {
    bytes.append(0xFC)
    littleEndian(UInt64(bitPattern: milliseconds), byteCount: 8)
  }

  // MARK: Keys

  /// A string key; values that are canonical 32-bit integers are written integer-encoded.
  public mutating func stringKey(_ key: [UInt8], value: [UInt8]) {
    bytes.append(0)
    string(key)
    string(value)
  }

  /// A string key whose value is LZF-compressed when that saves bytes (as Redis does over 20 B).
  public mutating func compressedStringKey(_ key: [UInt8], value: [UInt8]) {
    bytes.append(0)
    string(key)
    blob(value)
  }

  /// A hash table hash (type 4).
  public mutating func hashTableKey(_ key: [UInt8], fields: [([UInt8], [UInt8])]) {
    bytes.append(4)
    string(key)
    length(UInt64(fields.count))
    for (field, value) in fields {
      string(field)
      string(value)
    }
  }

  /// A skiplist sorted set with binary scores (type 5).
  public mutating func sortedSetKey(_ key: [UInt8], members: [([UInt8], Double)]) {
    bytes.append(5)
    string(key)
    length(UInt64(members.count))
    for (member, score) in members {
      string(member)
      littleEndian(score.bitPattern, byteCount: 8)
    }
  }

  /// A hash table set (type 2).
  public mutating func setKey(_ key: [UInt8], members: [[UInt8]]) {
    bytes.append(2)
    string(key)
    length(UInt64(members.count))
    for member in members { string(member) }
  }

  /// A listpack hash (type 16): field, value, field, value…
  public mutating func listpackHashKey(_ key: [UInt8], fields: [([UInt8], [UInt8])]) {
    var pack = ListpackBuilder()
    for (field, value) in fields {
      pack.append(field)
      pack.append(value)
    }
    bytes.append(16)
    string(key)
    blob(pack.finish())
  }

  /// A listpack sorted set (type 17): member, score, … with integer scores.
  public mutating func listpackSortedSetKey(_ key: [UInt8], members: [([UInt8], Int64)]) {
    var pack = ListpackBuilder()
    for (member, score) in members {
      pack.append(member)
      pack.append(integer: score)
    }
    bytes.append(17)
    string(key)
    blob(pack.finish())
  }

  /// A listpack set (type 20).
  public mutating func listpackSetKey(_ key: [UInt8], members: [[UInt8]]) {
    var pack = ListpackBuilder()
    for member in members { pack.append(member) }
    bytes.append(20)
    string(key)
    blob(pack.finish())
  }

  /// An intset (type 11) of 64-bit members; they are sorted and must be distinct.
  public mutating func intsetKey(_ key: [UInt8], members: [Int64]) {
    var blob: [UInt8] = []
    let sorted = members.sorted()
    let width = sorted.allSatisfy { Int16(exactly: $0) != nil } ? 2
      : sorted.allSatisfy { Int32(exactly: $0) != nil } ? 4 : 8
    Self.appendLittleEndian(UInt64(width), byteCount: 4, to: &blob)
    Self.appendLittleEndian(UInt64(sorted.count), byteCount: 4, to: &blob)
    for member in sorted { Self.appendLittleEndian(UInt64(bitPattern: member), byteCount: width, to: &blob) }
    bytes.append(11)
    string(key)
    self.blob(blob)
  }

  /// A quicklist-2 list (type 18) of packed nodes of at most `perNode` elements.
  public mutating func quicklistKey(_ key: [UInt8], elements: [[UInt8]], perNode: Int = 128) {
    bytes.append(18)
    string(key)
    let nodeCount = (elements.count + perNode - 1) / perNode
    length(UInt64(nodeCount))
    var start = 0
    while start < elements.count {
      var pack = ListpackBuilder()
      for element in elements[start..<min(start + perNode, elements.count)] { pack.append(element) }
      length(2)
      blob(pack.finish())
      start += perNode
    }
  }

  /// A stream (type 21) of `entryCount` entries with the fields `fields` (same names in every
  /// entry), `perNode` entries per listpack node, and one consumer group whose one consumer
  /// has the first `pending` entries pending.
  public mutating func streamKey(
    _ key: [UInt8], entryCount: Int, fields: [[UInt8]], values: (Int, Int) -> [UInt8],
    perNode: Int = 100, pending: Int = 10
  ) {
    bytes.append(21)
    string(key)
    let baseMilliseconds: UInt64 = 1_700_000_000_000
    let nodeCount = (entryCount + perNode - 1) / perNode
    length(UInt64(nodeCount))
    for node in 0..<nodeCount {
      let first = node * perNode
      let last = min(first + perNode, entryCount)
      var nodeKey: [UInt8] = []
      Self.appendBigEndian(baseMilliseconds + UInt64(first), to: &nodeKey)
      Self.appendBigEndian(0, to: &nodeKey)
      string(nodeKey)
      var pack = ListpackBuilder()
      pack.append(integer: Int64(last - first))  // live
      pack.append(integer: 0)  // deleted
      pack.append(integer: Int64(fields.count))
      for field in fields { pack.append(field) }
      pack.append(integer: 0)  // master terminator
      for entry in first..<last {
        pack.append(integer: 2)  // flags: same fields as the master entry
        pack.append(integer: Int64(entry - first))  // ms delta
        pack.append(integer: 0)  // seq delta
        for index in fields.indices { pack.append(values(entry, index)) }
        pack.append(integer: Int64(fields.count + 3))
      }
      blob(pack.finish())
    }
    let lastMilliseconds = baseMilliseconds + UInt64(max(entryCount - 1, 0))
    length(UInt64(entryCount))
    length(lastMilliseconds); length(0)  // last ID
    length(baseMilliseconds); length(0)  // first ID
    length(0); length(0)  // max deleted ID
    length(UInt64(entryCount))  // entries added
    length(1)  // groups
    string(Array("group".utf8))
    let owned = min(pending, entryCount)
    length(baseMilliseconds + UInt64(max(owned - 1, 0))); length(0)  // last delivered
    length(UInt64(owned))  // entries read
    length(UInt64(owned))
    for entry in 0..<owned {
      Self.appendBigEndian(baseMilliseconds + UInt64(entry), to: &bytes)
      Self.appendBigEndian(0, to: &bytes)
      littleEndian(1_700_000_100_000, byteCount: 8)
      length(1)
    }
    length(1)  // consumers
    string(Array("consumer".utf8))
    littleEndian(1_700_000_100_000, byteCount: 8)  // seen
    littleEndian(1_700_000_100_000, byteCount: 8)  // active
    length(UInt64(owned))
    for entry in 0..<owned {
      Self.appendBigEndian(baseMilliseconds + UInt64(entry), to: &bytes)
      Self.appendBigEndian(0, to: &bytes)
    }
  }

  /// Appends EOF and the CRC-64 of everything before the trailer, and returns the image.
  public mutating func finish() -> [UInt8] {
    bytes.append(0xFF)
    let crc = CRC64.update(0, bytes.span.bytes)
    littleEndian(crc, byteCount: 8)
    return bytes
  }

  // MARK: Primitives

  /// An RDB length: 6, 14, 32 or 64 bits.
  public mutating func length(_ value: UInt64) {
    if value < 1 << 6 {
      bytes.append(UInt8(value))
    } else if value < 1 << 14 {
      bytes.append(0x40 | UInt8(value >> 8))
      bytes.append(UInt8(value & 0xFF))
    } else if value <= UInt64(UInt32.max) {
      bytes.append(0x80)
      for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8((value >> UInt64(shift)) & 0xFF)) }
    } else {
      bytes.append(0x81)
      Self.appendBigEndian(value, to: &bytes)
    }
  }

  /// A listpack, intset or quicklist node, LZF-compressed when that saves bytes, as Redis
  /// writes them with `rdbcompression yes` (the default).
  public mutating func blob(_ value: [UInt8]) {
    if value.count > 20, let packed = LZFCompressor.compress(value), packed.count < value.count {
      bytes.append(0xC3)
      length(UInt64(packed.count))
      length(UInt64(value.count))
      bytes += packed
    } else {
      string(value)
    }
  }

  /// An RDB string; canonical integers that fit in 32 bits are integer-encoded, as Redis does.
  public mutating func string(_ value: [UInt8]) {
    if value.count <= 11, let integer = Self.canonicalInteger(value), let small = Int32(exactly: integer) {
      if let byte = Int8(exactly: small) {
        bytes.append(0xC0)
        bytes.append(UInt8(bitPattern: byte))
      } else if let half = Int16(exactly: small) {
        bytes.append(0xC1)
        littleEndian(UInt64(UInt16(bitPattern: half)), byteCount: 2)
      } else {
        bytes.append(0xC2)
        littleEndian(UInt64(UInt32(bitPattern: small)), byteCount: 4)
      }
      return
    }
    length(UInt64(value.count))
    bytes += value
  }

  mutating func littleEndian(_ value: UInt64, byteCount: Int) {
    Self.appendLittleEndian(value, byteCount: byteCount, to: &bytes)
  }

  static func appendLittleEndian(_ value: UInt64, byteCount: Int, to target: inout [UInt8]) {
    for index in 0..<byteCount { target.append(UInt8((value >> UInt64(8 * index)) & 0xFF)) }
  }

  static func appendBigEndian(_ value: UInt64, to target: inout [UInt8]) {
    for shift in stride(from: 56, through: 0, by: -8) { target.append(UInt8((value >> UInt64(shift)) & 0xFF)) }
  }

  /// The value of `text` if it is an integer as Redis writes one ("-12", not "012" or "+1").
  static func canonicalInteger(_ text: [UInt8]) -> Int64? {
    guard !text.isEmpty, text.count <= 20 else { return nil }
    var index = 0
    let negative = text[0] == UInt8(ascii: "-")
    if negative { index = 1 }
    guard index < text.count else { return nil }
    if text[index] == UInt8(ascii: "0") && text.count > index + 1 { return nil }
    if negative && text[index] == UInt8(ascii: "0") { return nil }
    var value: Int64 = 0
    while index < text.count {
      let digit = text[index] &- UInt8(ascii: "0")
      guard digit < 10 else { return nil }
      let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
      let (sum, overflow2) = times.addingReportingOverflow(Int64(digit))
      guard !overflow1, !overflow2 else { return nil }
      value = sum
      index += 1
    }
    return negative ? -value : value
  }
}
