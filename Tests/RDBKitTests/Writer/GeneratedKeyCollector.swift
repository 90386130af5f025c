import RDBKit

/// Rebuilds ``GeneratedKey`` values from parse events, so that what a writer wrote compares
/// with what the test fed it by `==`. Unlike ``RecordCollector`` it keeps consumers' seen and
/// active times and the stream metadata in the model's shape.
struct GeneratedKeyCollector: RDBHandler {
  /// The keys, in file order.
  var keys: [GeneratedKey] = []
  /// The `OBJECT ENCODING` the parser reported for each key, in file order.
  var encodings: [String] = []
  /// AUX field names.
  var auxNames: [String] = []
  /// Function library sources.
  var functions: [[UInt8]] = []
  /// The current key, its value filled in at ``endKey(_:)`` from the buffers below (appending
  /// to an array held in an enum payload would copy it on every element).
  private var current: GeneratedKey?
  private var dataType = DataType.string
  private var string: [UInt8] = []
  private var elements: [[UInt8]] = []
  private var members: [ScoredMember] = []
  private var fields: [HashField] = []
  private var stream = GeneratedStream()

  mutating func aux(key: RawSpan, value: RawSpan) {
    auxNames.append(String(decoding: Self.bytes(key), as: UTF8.self))
  }

  mutating func function(code: RawSpan) { functions.append(Self.bytes(code)) }

  mutating func beginKey(_ key: RawSpan, info: KeyInfo) -> KeyDecision {
    current = GeneratedKey(
      database: info.database, name: Self.bytes(key), expiresAt: info.expiresAt,
      idleSeconds: info.idleSeconds, frequency: info.frequency, value: .string([]))
    dataType = info.dataType
    string = []
    elements = []
    members = []
    fields = []
    stream = GeneratedStream()
    return .decode
  }

  mutating func beginValue(encoding: Encoding) { encodings.append(encoding.rawValue) }
  mutating func stringValue(_ value: RawSpan) { string = Self.bytes(value) }
  mutating func listElement(_ element: RawSpan) { elements.append(Self.bytes(element)) }
  mutating func setMember(_ member: RawSpan) { elements.append(Self.bytes(member)) }

  mutating func sortedSetMember(_ member: RawSpan, score: Double) {
    members.append(ScoredMember(member: Self.bytes(member), score: score))
  }

  mutating func hashField(_ field: RawSpan, value: RawSpan, expiresAt: Int64?) {
    fields.append(
      HashField(field: Self.bytes(field), value: Self.bytes(value), expiresAt: expiresAt))
  }

  mutating func beginStreamEntry(id: StreamID, fieldCount: Int) {
    stream.entries.append(.init(id: id, fields: [], values: []))
  }

  mutating func streamField(_ field: RawSpan, value: RawSpan) {
    stream.entries[stream.entries.count - 1].fields.append(Self.bytes(field))
    stream.entries[stream.entries.count - 1].values.append(Self.bytes(value))
  }

  mutating func streamMetadata(_ metadata: StreamMetadata) {
    stream.lastID = metadata.lastID
    stream.firstID = metadata.firstID
    stream.maxDeletedID = metadata.maxDeletedID
    stream.entriesAdded = metadata.entriesAdded
  }

  mutating func beginStreamGroup(name: RawSpan, info: StreamGroupInfo) {
    stream.groups.append(
      GeneratedStream.Group(
        name: Self.bytes(name), lastDeliveredID: info.lastDeliveredID,
        entriesRead: info.entriesRead, pending: [], consumers: []))
  }

  mutating func streamPendingEntry(id: StreamID, deliveryTime: Int64, deliveryCount: UInt64) {
    stream.groups[stream.groups.count - 1].pending.append(
      GeneratedStream.Pending(id: id, deliveryTime: deliveryTime, deliveryCount: deliveryCount))
  }

  mutating func beginStreamConsumer(name: RawSpan, info: StreamConsumerInfo) {
    stream.groups[stream.groups.count - 1].consumers.append(
      GeneratedStream.Consumer(
        name: Self.bytes(name), seenTime: info.seenTime, activeTime: info.activeTime,
        pendingIDs: []))
  }

  mutating func streamConsumerPending(id: StreamID) {
    let group = stream.groups.count - 1
    let consumer = stream.groups[group].consumers.count - 1
    stream.groups[group].consumers[consumer].pendingIDs.append(id)
  }

  mutating func endKey(_ summary: KeySummary) {
    guard var key = current else { return }
    switch dataType {
    case .string: key.value = .string(string)
    case .list: key.value = .list(elements)
    case .set: key.value = .set(elements)
    case .sortedSet: key.value = .sortedSet(members)
    case .hash: key.value = .hash(fields)
    case .stream, .module: key.value = .stream(stream)
    }
    keys.append(key)
    current = nil
  }

  private static func bytes(_ span: RawSpan) -> [UInt8] {
    span.withUnsafeBytes { [UInt8]($0) }
  }
}
