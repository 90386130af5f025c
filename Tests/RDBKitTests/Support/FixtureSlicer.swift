import RDBKit

/// Where each key record of a real file starts, so tests can cut small valid images out of
/// large fixtures.
struct RecordIndexer: RDBHandler {
  struct Record {
    var database: Int
    var type: UInt8
    var typeOffset: Int
    var hasExpiry: Bool
    var idle: UInt64?
    var frequency: UInt8?
  }
  var records: [Record] = []

  mutating func beginKey(_ key: RawSpan, info: KeyInfo) -> KeyDecision {
    records.append(
      Record(
        database: info.database, type: info.type.rawValue, typeOffset: info.offset,
        hasExpiry: info.expiresAt != nil, idle: info.idleSeconds, frequency: info.frequency))
    return .skip
  }
}

/// Cuts a small, valid RDB image out of a server-written file: its header, AUX and function
/// records and the start of db 0, then a few records of every value type present (up to
/// `perType`, each at most `maximumRecord` bytes), then EOF and a fresh CRC-64 (or a zero
/// trailer when `checksum` is false).
func miniImage(
  of bytes: [UInt8], perType: Int = 2, maximumRecord: Int = 1200, checksum: Bool = true
) throws -> [UInt8] {
  var indexer = RecordIndexer()
  try RDBParser().parse(bytes, into: &indexer)
  let records = indexer.records
  guard let first = records.first else { return bytes }
  func start(_ record: RecordIndexer.Record) -> Int {
    // Attribute opcodes a writer puts before the type byte: EXPIRETIME_MS, IDLE, FREQ.
    var start = record.typeOffset
    if record.hasExpiry { start -= 9 }
    if let idle = record.idle { start -= 1 + RDBImageBuilder.length(idle).count }
    if record.frequency != nil { start -= 2 }
    return start
  }
  var image = Array(bytes[0..<start(first)])
  var taken: [UInt8: Int] = [:]
  for index in records.indices.dropLast() {
    let record = records[index]
    let next = records[index + 1]
    guard record.database == 0, next.database == 0 else { continue }
    let range = start(record)..<start(next)
    guard range.count <= maximumRecord, taken[record.type, default: 0] < perType else { continue }
    taken[record.type, default: 0] += 1
    image += bytes[range]
  }
  image.append(0xFF)
  let crc = checksum ? RDBImageBuilder.crc64(image) : 0
  return image + RDBImageBuilder.littleEndian(crc)
}
