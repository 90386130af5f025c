import RDBKit

/// A key as a test means it: the events it feeds an ``RDBWriter`` by hand, and what parsing
/// the written file must give back (``GeneratedKeyCollector`` rebuilds it from parse events).
struct GeneratedKey: Equatable, CustomStringConvertible, CustomDebugStringConvertible {
  var database: Int
  var name: [UInt8]
  var expiresAt: Int64?
  /// The LRU idle seconds (`IDLE`), as a file written with an LRU policy has them.
  var idleSeconds: UInt64?
  /// The LFU counter (`FREQ`), as a file written with an LFU policy has them.
  var frequency: UInt8?
  var value: GeneratedValue

  var description: String {
    "db\(database)/\(String(decoding: name, as: UTF8.self)) \(value.summary)"
  }

  /// Everything, for a failure message (elements as byte arrays).
  var debugDescription: String {
    "\(description) expires \(expiresAt.map(String.init) ?? "-") idle \(idleSeconds.map(String.init) ?? "-") "
      + "freq \(frequency.map(String.init) ?? "-"): \(value)"
  }

  /// The type byte the key claims when fed by hand: the generic form of its data type, or
  /// Redis's hash with field TTLs when a field has one.
  var feedType: ValueType {
    switch value {
    case .string: return .string
    case .list: return .list
    case .set: return .set
    case .sortedSet: return .sortedSet2
    case .hash(let fields): return fields.contains { $0.expiresAt != nil } ? .hashMetadata : .hash
    case .stream: return .streamListpacks3
    }
  }

  /// Feeds the key's events, `beginKey` to `endKey`, as the parser would report them.
  func feed(into writer: inout RDBWriter) throws(RDBError) {
    let info = KeyInfo(
      database: database, type: feedType, expiresAt: expiresAt, idleSeconds: idleSeconds,
      frequency: frequency)
    guard try writer.beginKey(name.span.bytes, info: info) == .decode else { return }
    switch value {
    case .string(let bytes):
      try writer.stringValue(bytes.span.bytes)
    case .list(let elements):
      for element in elements { try writer.listElement(element.span.bytes) }
    case .set(let members):
      for member in members { try writer.setMember(member.span.bytes) }
    case .sortedSet(let members):
      for member in members {
        try writer.sortedSetMember(member.member.span.bytes, score: member.score)
      }
    case .hash(let fields):
      for field in fields {
        try writer.hashField(
          field.field.span.bytes, value: field.value.span.bytes, expiresAt: field.expiresAt)
      }
    case .stream(let stream):
      try stream.feed(into: &writer)
    }
    try writer.endKey(KeySummary(encoding: info.type.storedEncoding, valueBytes: 0))
  }
}

/// A generated value, by data type.
enum GeneratedValue: Equatable {
  case string([UInt8])
  case list([[UInt8]])
  case set([[UInt8]])
  case sortedSet([ScoredMember])
  case hash([HashField])
  case stream(GeneratedStream)

  /// Whether the value is an aggregate without elements (a loading server drops those).
  var isEmptyAggregate: Bool {
    switch self {
    case .string, .stream: return false
    case .list(let elements), .set(let elements): return elements.isEmpty
    case .sortedSet(let members): return members.isEmpty
    case .hash(let fields): return fields.isEmpty
    }
  }

  /// The type and size, for failure messages.
  var summary: String {
    switch self {
    case .string(let bytes): return "string(\(bytes.count) bytes)"
    case .list(let elements): return "list(\(elements.count))"
    case .set(let members): return "set(\(members.count))"
    case .sortedSet(let members): return "zset(\(members.count))"
    case .hash(let fields): return "hash(\(fields.count))"
    case .stream(let stream): return "stream(\(stream.entries.count) entries)"
    }
  }
}

/// A sorted-set member; scores compare by bit pattern, so -0.0 is not 0.0.
struct ScoredMember: Equatable {
  var member: [UInt8]
  var score: Double

  static func == (lhs: ScoredMember, rhs: ScoredMember) -> Bool {
    lhs.member == rhs.member && lhs.score.bitPattern == rhs.score.bitPattern
  }
}

/// A hash field, its value and its own expiry in Unix ms.
struct HashField: Equatable {
  var field: [UInt8]
  var value: [UInt8]
  var expiresAt: Int64?
}
