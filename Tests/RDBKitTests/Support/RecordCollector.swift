import RDBKit

/// One key as the parser reported it, in the canonical form of the fixtures' expected.json:
/// byte strings as lowercase hex, sets and hashes sorted.
struct CollectedKey {
  var database: Int
  var keyHex: String
  var type: String
  var encoding = ""
  var expiresAt: Int64?
  var idle: UInt64?
  var frequency: UInt8?
  var string: String?
  var elements: [String] = []
  var scores: [(String, Double)] = []
  var pairs: [(String, String)] = []
  var fieldExpiries: [String: Int64] = [:]
  var stream: CollectedStream?
  var module: ModuleType?
  var vectorSet: CollectedVectorSet?
  /// `KEY_META` classes: name, version, flags, and the hex of the first string item.
  var keyMetadata: [(name: String, version: Int, flags: Int, valueHex: String)] = []
}

struct CollectedVectorSet {
  var info: VectorSetInfo
  var elements:
    [(nameHex: String, vectorHex: String, attributesHex: String?, l2: Float, range: Float?)] =
      []
}

struct CollectedIdempotency {
  var settings: StreamIdempotency
  var producers: [(pidHex: String, entries: [(iidHex: String, id: StreamID)])] = []
  var totals: (added: UInt64, duplicates: UInt64)?
}

struct CollectedStream {
  var entries: [(String, [(String, String)])] = []
  var metadata: StreamMetadata?
  var groups: [CollectedGroup] = []
  var idempotency: CollectedIdempotency?
}

struct CollectedGroup {
  var nameHex: String
  var info: StreamGroupInfo
  var pending: [(StreamID, Int64, UInt64)] = []
  var consumers: [(nameHex: String, pending: [StreamID])] = []
}

/// Hex of a span's bytes.
func hex(_ span: RawSpan) -> String {
  let digits = Array("0123456789abcdef".utf8)
  var text: [UInt8] = []
  text.reserveCapacity(span.byteCount * 2)
  for index in 0..<span.byteCount {
    let byte = span.unsafeLoad(fromByteOffset: index, as: UInt8.self)
    text.append(digits[Int(byte >> 4)])
    text.append(digits[Int(byte & 15)])
  }
  return String(decoding: text, as: UTF8.self)
}

/// Collects every event into ``CollectedKey`` records (test support: allocates freely).
struct RecordCollector: RDBHandler {
  var keys: [CollectedKey] = []
  var aux: [(String, String)] = []
  var functions: [String] = []
  var version: RDBVersion?
  private var current: CollectedKey?

  mutating func header(_ version: RDBVersion) { self.version = version }

  mutating func aux(key: RawSpan, value: RawSpan) {
    aux.append((string(key), string(value)))
  }

  mutating func function(code: RawSpan) { functions.append(string(code)) }

  mutating func beginKey(_ key: RawSpan, info: KeyInfo) -> KeyDecision {
    current = CollectedKey(
      database: info.database, keyHex: hex(key), type: info.dataType.rawValue,
      expiresAt: info.expiresAt, idle: info.idleSeconds, frequency: info.frequency)
    return .decode
  }

  mutating func beginValue(encoding: Encoding) { current?.encoding = encoding.rawValue }
  mutating func stringValue(_ value: RawSpan) { current?.string = hex(value) }
  mutating func listElement(_ element: RawSpan) { current?.elements.append(hex(element)) }
  mutating func setMember(_ member: RawSpan) { current?.elements.append(hex(member)) }
  mutating func sortedSetMember(_ member: RawSpan, score: Double) {
    current?.scores.append((hex(member), score))
  }
  mutating func hashField(_ field: RawSpan, value: RawSpan, expiresAt: Int64?) {
    let name = hex(field)
    current?.pairs.append((name, hex(value)))
    if let expiresAt { current?.fieldExpiries[name] = expiresAt }
  }
  mutating func beginStreamEntry(id: StreamID, fieldCount: Int) {
    if current?.stream == nil { current?.stream = CollectedStream() }
    current?.stream?.entries.append((id.description, []))
  }
  mutating func streamField(_ field: RawSpan, value: RawSpan) {
    guard let last = current?.stream?.entries.indices.last else { return }
    current?.stream?.entries[last].1.append((hex(field), hex(value)))
  }
  mutating func streamMetadata(_ metadata: StreamMetadata) {
    if current?.stream == nil { current?.stream = CollectedStream() }
    current?.stream?.metadata = metadata
  }
  mutating func beginStreamGroup(name: RawSpan, info: StreamGroupInfo) {
    current?.stream?.groups.append(CollectedGroup(nameHex: hex(name), info: info))
  }
  mutating func streamPendingEntry(id: StreamID, deliveryTime: Int64, deliveryCount: UInt64) {
    guard let last = current?.stream?.groups.indices.last else { return }
    current?.stream?.groups[last].pending.append((id, deliveryTime, deliveryCount))
  }
  mutating func beginStreamConsumer(name: RawSpan, info: StreamConsumerInfo) {
    guard let last = current?.stream?.groups.indices.last else { return }
    current?.stream?.groups[last].consumers.append((hex(name), []))
  }
  mutating func streamConsumerPending(id: StreamID) {
    guard let group = current?.stream?.groups.indices.last,
      let consumer = current?.stream?.groups[group].consumers.indices.last
    else { return }
    current?.stream?.groups[group].consumers[consumer].pending.append(id)
  }
  mutating func moduleValue(_ module: ModuleType) { current?.module = module }
  mutating func keyMetadata(_ metadata: KeyMetadataClass, payload: RawSpan) {
    var value = "?"
    if let items = try? ModuleItems(payload), case .string(let bytes)? = items.items.first {
      value = bytes.map { String(format: "%02x", $0) }.joined()
    }
    current?.keyMetadata.append((metadata.name, metadata.version, metadata.flags, value))
  }
  mutating func streamIdempotency(_ settings: StreamIdempotency) {
    current?.stream?.idempotency = CollectedIdempotency(settings: settings)
  }
  mutating func beginStreamProducer(id: RawSpan, entryCount: UInt64) {
    current?.stream?.idempotency?.producers.append((hex(id), []))
  }
  mutating func streamProducerEntry(iid: RawSpan, id: StreamID) {
    guard let last = current?.stream?.idempotency?.producers.indices.last else { return }
    current?.stream?.idempotency?.producers[last].entries.append((hex(iid), id))
  }
  mutating func streamIdempotencyTotals(iidsAdded: UInt64, iidsDuplicates: UInt64) {
    current?.stream?.idempotency?.totals = (iidsAdded, iidsDuplicates)
  }
  mutating func beginVectorSet(_ info: VectorSetInfo) {
    current?.type = "vectorset"
    current?.vectorSet = CollectedVectorSet(info: info)
  }
  mutating func vectorSetElement(
    _ element: RawSpan, vector: RawSpan, attributes: RawSpan, info: VectorSetElementInfo
  ) {
    current?.vectorSet?.elements.append(
      (
        hex(element), hex(vector), attributes.byteCount == 0 ? nil : hex(attributes), info.l2,
        info.range
      ))
  }

  mutating func endKey(_ summary: KeySummary) {
    if var key = current {
      if key.encoding.isEmpty { key.encoding = summary.encoding.rawValue }
      keys.append(key)
    }
    current = nil
  }

  private func string(_ span: RawSpan) -> String {
    span.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
  }
}
