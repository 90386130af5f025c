import RDBKit
import SystemPackage

/// Writes a benchmark input through RDBKit's own ``RDBWriter``, the encoder `rdbtool rewrite`
/// uses: one call per key, each feeding the writer the events a parser would report for it
/// (``RDBWriter/beginKey(_:info:)``, the elements, ``RDBWriter/endKey(_:)``).
///
/// The writer chooses each value's encoding as a server of the target would (listpack,
/// intset, quicklist, hash table, skiplist, stream nodes), integer-encodes and LZF-compresses
/// strings as `rdbcompression yes` does, and appends EOF and the CRC-64 trailer. Nothing is
/// built in memory: the bytes go to the file in 256 KiB blocks.
///
///     try InputWriter.write(to: "/tmp/small.rdb", target: InputWriter.redis72) { writer in
///       try writer.beginDatabase(0, keys: 1, expires: 0)
///       try writer.string(Array("k".utf8), value: Array("v".utf8))
///     }
public struct InputWriter {
  private var writer: RDBWriter
  private var database = 0

  /// Redis 7.2 (RDB 11) with its default configuration, except that stream nodes are cut
  /// at `stream-node-max-entries` (100) alone, as with `stream-node-max-bytes 0`.
  public static let redis72: TargetEngine = {
    guard var engine = TargetEngine.named("redis-7.2") else {
      preconditionFailure("RDBKit has no redis-7.2 target")
    }
    engine.limits.streamNodeBytes = Int.max
    return engine
  }()

  private init(output: OutputBuffer, target: TargetEngine) {
    var options = RDBWriter.Options(target: target)
    // Nothing here has file bytes to copy: every value is given element by element, so the
    // writer is told so up front rather than left to notice it key by key.
    options.copiesValues = false
    writer = RDBWriter(output: output, options: options)
  }

  /// Creates (or truncates) the file at `path`, writes the header and the AUX fields Redis 7.2
  /// writes, lets `body` add databases and keys, then writes EOF and the checksum.
  ///
  /// - Throws: `Errno` when the file cannot be opened, ``RDBError`` when a write fails.
  public static func write(
    to path: String, target: TargetEngine, _ body: (inout InputWriter) throws -> Void
  ) throws {
    let descriptor = try FileDescriptor.open(
      FilePath(path), .writeOnly, options: [.create, .truncate], permissions: .ownerReadWrite)
    try descriptor.closeAfter {
      var input = InputWriter(output: OutputBuffer(descriptor: descriptor), target: target)
      try input.writer.header(target.version)
      try input.aux("redis-ver", "7.2.4")
      try input.aux("redis-bits", "64")
      try input.aux("ctime", "1700000000")
      try input.aux("used-mem", "1048576")
      try input.aux("aof-base", "0")
      try body(&input)
      try input.writer.finish()
    }
  }

  /// An AUX field.
  public mutating func aux(_ key: String, _ value: String) throws(RDBError) {
    try writer.aux(key: Array(key.utf8).span.bytes, value: Array(value.utf8).span.bytes)
  }

  /// Starts database `index` (`SELECTDB`, written before its first key) with the size hints
  /// of `RESIZEDB`.
  public mutating func beginDatabase(_ index: Int, keys: Int, expires: Int) throws(RDBError) {
    database = index
    try writer.beginDatabase(index)
    try writer.resizeDatabase(keys: UInt64(keys), expires: UInt64(expires))
  }

  // MARK: Keys

  /// A string key, with an expiry in Unix milliseconds when `expiresAt` is given.
  public mutating func string(_ key: [UInt8], value: [UInt8], expiresAt: Int64? = nil)
    throws(RDBError)
  {
    try begin(key, .string, expiresAt: expiresAt)
    try writer.stringValue(value.span.bytes)
    try end(.string)
  }

  /// A hash of `fields`, in that order; expiring at `expiresAt` (Unix ms) when given.
  public mutating func hash(
    _ key: [UInt8], fields: [([UInt8], [UInt8])], expiresAt: Int64? = nil
  ) throws(RDBError) {
    try begin(key, .hash, expiresAt: expiresAt)
    for (field, value) in fields {
      try writer.hashField(field.span.bytes, value: value.span.bytes, expiresAt: nil)
    }
    try end(.hash)
  }

  /// A set of distinct `members`.
  public mutating func set(_ key: [UInt8], members: [[UInt8]]) throws(RDBError) {
    try begin(key, .set)
    for member in members { try writer.setMember(member.span.bytes) }
    try end(.set)
  }

  /// A sorted set of distinct `members` with their scores; expiring at `expiresAt` when given.
  public mutating func sortedSet(
    _ key: [UInt8], members: [([UInt8], Double)], expiresAt: Int64? = nil
  ) throws(RDBError) {
    try begin(key, .sortedSet2, expiresAt: expiresAt)
    for (member, score) in members { try writer.sortedSetMember(member.span.bytes, score: score) }
    try end(.sortedSet2)
  }

  /// A list of `elements`, head to tail.
  public mutating func list(_ key: [UInt8], elements: [[UInt8]]) throws(RDBError) {
    try begin(key, .listQuicklist2)
    for element in elements { try writer.listElement(element.span.bytes) }
    try end(.listQuicklist2)
  }

  /// A stream of `entryCount` entries with IDs `1700000000000+n-0`, each with the fields
  /// `fields` and the values `values(entry, field)`; one consumer group, `group`, whose one
  /// consumer, `consumer`, has the first `pending` entries delivered once and pending.
  public mutating func stream(
    _ key: [UInt8], entryCount: Int, fields: [[UInt8]], values: (Int, Int) -> [UInt8],
    pending: Int = 10
  ) throws(RDBError) {
    let base: UInt64 = 1_700_000_000_000
    let seen: Int64 = 1_700_000_100_000
    func id(_ entry: Int) -> StreamID { StreamID(milliseconds: base + UInt64(entry), sequence: 0) }
    try begin(key, .streamListpacks3)
    for entry in 0..<entryCount {
      try writer.beginStreamEntry(id: id(entry), fieldCount: fields.count)
      for (index, field) in fields.enumerated() {
        try writer.streamField(field.span.bytes, value: values(entry, index).span.bytes)
      }
    }
    let owned = min(pending, entryCount)
    try writer.streamMetadata(
      StreamMetadata(
        length: UInt64(entryCount), lastID: id(max(entryCount - 1, 0)), firstID: id(0),
        maxDeletedID: StreamID(milliseconds: 0, sequence: 0), entriesAdded: UInt64(entryCount),
        groupCount: 1))
    try writer.beginStreamGroup(
      name: Array("group".utf8).span.bytes,
      info: StreamGroupInfo(
        lastDeliveredID: id(max(owned - 1, 0)), entriesRead: Int64(owned),
        pendingCount: UInt64(owned)))
    for entry in 0..<owned {
      try writer.streamPendingEntry(id: id(entry), deliveryTime: seen, deliveryCount: 1)
    }
    try writer.beginStreamConsumer(
      name: Array("consumer".utf8).span.bytes,
      info: StreamConsumerInfo(seenTime: seen, activeTime: seen, pendingCount: UInt64(owned)))
    for entry in 0..<owned { try writer.streamConsumerPending(id: id(entry)) }
    try end(.streamListpacks3)
  }

  // MARK: Events

  private mutating func begin(_ key: [UInt8], _ type: ValueType, expiresAt: Int64? = nil)
    throws(RDBError)
  {
    let info = KeyInfo(database: database, type: type, expiresAt: expiresAt)
    let decision = try writer.beginKey(key.span.bytes, info: info)
    precondition(decision == .decode, "RDBWriter asked for \(decision): it must encode this key")
  }

  /// Ends the key; the writer encodes the value here. The summary's figures are the parser's
  /// account of an input value, which the writer does not read.
  private mutating func end(_ type: ValueType) throws(RDBError) {
    try writer.endKey(KeySummary(encoding: type.storedEncoding, valueBytes: 0))
  }
}
