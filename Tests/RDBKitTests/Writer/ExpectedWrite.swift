import Foundation
import RDBKit

/// What a file written for a target must hold of the keys fed to the writer, worked out from
/// what the target's format can hold and what a server of that version with its default
/// configuration would build: the keys as they read back, the losses the writer must declare,
/// and the `OBJECT ENCODING` of each value.
struct ExpectedWrite {
  let engine: TargetEngine

  /// The version number capabilities follow (a Valkey 80 file counts as RDB 11).
  var level: Int { engine.version.magic == .valkey ? 11 : engine.version.number }
  var hasFieldTTLs: Bool { engine.version.magic == .valkey || engine.version.number >= 12 }
  /// The stream type byte the format writes, nil before RDB 9.
  var streamType: Int? {
    switch level {
    case ..<9: return nil
    case 9: return 15
    case 10: return 19
    default: return engine.version.magic == .redis && level >= 13 ? 26 : 21
    }
  }

  /// Whether the key is written at all.
  func isWritten(_ key: GeneratedKey) -> Bool {
    if key.value.isEmptyAggregate { return false }
    if case .stream = key.value { return streamType != nil }
    return true
  }

  /// The key as it must read back, members of sets, sorted sets and hashes in a fixed order
  /// (``normalized(_:)``); nil when it is not written.
  func written(_ key: GeneratedKey) -> GeneratedKey? {
    guard isWritten(key) else { return nil }
    var key = key
    if level < 3, let expiresAt = key.expiresAt {
      // Whole seconds, rounded up so that the key does not expire early.
      let (seconds, remainder) = expiresAt.quotientAndRemainder(dividingBy: 1000)
      // Whole seconds, rounded up, in 32 bits: later expiries become 2038-01-19.
      let rounded = seconds + (remainder > 0 ? 1 : 0)
      key.expiresAt = Int64(Int32(clamping: rounded)) * 1000
    }
    if level < 9 {
      key.idleSeconds = nil
      key.frequency = nil
    }
    switch key.value {
    case .hash(var fields) where !hasFieldTTLs:
      for index in fields.indices { fields[index].expiresAt = nil }
      key.value = .hash(fields)
    case .stream(var stream):
      let type = streamType ?? 0
      if type == 15 {
        stream.firstID = nil
        stream.maxDeletedID = nil
        stream.entriesAdded = nil
      }
      for group in stream.groups.indices {
        if type == 15 { stream.groups[group].entriesRead = nil }
        for consumer in stream.groups[group].consumers.indices where type < 21 {
          stream.groups[group].consumers[consumer].activeTime = nil
        }
      }
      key.value = .stream(stream)
    default: break
    }
    return Self.normalized(key)
  }

  /// Sets sorted, sorted sets and hashes sorted by member or field: the order a file keeps
  /// depends on the encoding chosen.
  static func normalized(_ key: GeneratedKey) -> GeneratedKey {
    var key = key
    switch key.value {
    case .set(let members):
      key.value = .set(members.sorted(by: precedes))
    case .sortedSet(let members):
      key.value = .sortedSet(members.sorted { precedes($0.member, $1.member) })
    case .hash(let fields):
      key.value = .hash(fields.sorted { precedes($0.field, $1.field) })
    default: break
    }
    return key
  }

  /// A total order of byte strings (shorter first, then by `memcmp`), cheaper in a debug
  /// build than `lexicographicallyPrecedes`.
  static func precedes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    if a.count != b.count { return a.count < b.count }
    return a.withUnsafeBytes { left in
      b.withUnsafeBytes { right in
        guard let l = left.baseAddress, let r = right.baseAddress else { return false }
        return memcmp(l, r, left.count) < 0
      }
    }
  }

  /// The items the writer must declare lost, by kind, for `keys` fed after one AUX field and
  /// one function library.
  func losses(_ keys: [GeneratedKey]) -> [LossReport.Kind: Int] {
    var losses: [LossReport.Kind: Int] = [:]
    if level < 7 { losses[.auxFields] = 1 }
    if level < 10 { losses[.functions] = 1 }
    for key in keys {
      if key.value.isEmptyAggregate {
        losses[.emptyKeys, default: 0] += 1
        continue
      }
      if case .stream(let stream) = key.value {
        guard let type = streamType else {
          losses[.streams, default: 0] += 1
          continue
        }
        let zero = StreamID(milliseconds: 0, sequence: 0)
        if type == 15,
          stream.maxDeletedID != zero || stream.entriesAdded != UInt64(stream.entries.count)
            || stream.groups.contains(where: { $0.entriesRead != nil })
        {
          losses[.streamMetadata, default: 0] += 1
        }
        let consumers = stream.groups.flatMap(\.consumers)
        if type < 21, consumers.contains(where: { $0.activeTime != $0.seenTime }) {
          losses[.consumerActiveTime, default: 0] += 1
        }
      }
      if level < 3, let expiresAt = key.expiresAt, expiresAt % 1000 != 0 {
        losses[.expiryPrecision, default: 0] += 1
      }
      if level < 3, let expiresAt = key.expiresAt, (expiresAt + 999) / 1000 > Int64(Int32.max) {
        losses[.expiryRange, default: 0] += 1
      }
      if level < 9, key.idleSeconds != nil || key.frequency != nil {
        losses[.evictionData, default: 0] += 1
      }
      if case .hash(let fields) = key.value, !hasFieldTTLs {
        let expiring = fields.filter { $0.expiresAt != nil }.count
        if expiring > 0 { losses[.fieldTTLs, default: 0] += expiring }
      }
    }
    return losses
  }

  /// The `OBJECT ENCODING` a server of the target would report after loading the key, or nil
  /// where the test does not judge (strings, and lists near the one-node boundary).
  func encoding(_ key: GeneratedKey) -> String? {
    let limits = engine.limits
    let packed = level >= 10 ? "listpack" : "ziplist"
    switch key.value {
    case .string: return nil
    case .stream: return "stream"
    case .list(let elements):
      let longest = elements.map(\.count).max() ?? 0
      if level < 2 { return "linkedlist" }
      if level < 7 {
        return elements.count <= limits.listZiplistEntries && longest <= limits.listZiplistValue
          ? "ziplist" : "linkedlist"
      }
      if level < 11 { return "quicklist" }
      // A listpack entry takes 1 to 9 bytes for an integer, its length plus 2 to 10 for a
      // string: one node of at most 8 KiB is a listpack, as the server converts it on load.
      let most = elements.reduce(7) { $0 + $1.count + 11 }
      let least = elements.reduce(7) { $0 + (Self.isCanonicalInteger($1) ? 1 : $1.count + 2) }
      if most <= 8192 { return "listpack" }
      if least > 8192 { return "quicklist" }
      return nil
    case .set(let members):
      let integers = members.allSatisfy { Self.isCanonicalInteger($0) }
      if level >= 2, integers, members.count <= limits.intsetEntries { return "intset" }
      let longest = members.map(\.count).max() ?? 0
      if level >= 11, members.count <= limits.setListpackEntries,
        longest <= limits.setListpackValue
      {
        return "listpack"
      }
      return "hashtable"
    case .sortedSet(let members):
      let longest = members.map(\.member.count).max() ?? 0
      return level >= 2 && members.count <= limits.sortedSetEntries
        && longest <= limits.sortedSetValue ? packed : "skiplist"
    case .hash(let fields):
      let longest = fields.map { max($0.field.count, $0.value.count) }.max() ?? 0
      let small = fields.count <= limits.hashEntries && longest <= limits.hashValue
      if hasFieldTTLs, fields.contains(where: { $0.expiresAt != nil }) {
        return engine.version.magic == .redis && small ? "listpackex" : "hashtable"
      }
      return level >= 4 && small ? packed : "hashtable"
    }
  }

  /// Whether `bytes` is the canonical decimal of an Int64 (no sign but `-`, no leading zero,
  /// not `-0`), which a server stores as an integer.
  static func isCanonicalInteger(_ bytes: [UInt8]) -> Bool {
    guard let value = Int64(String(decoding: bytes, as: UTF8.self)) else { return false }
    return utf8(String(value)) == bytes
  }
}
