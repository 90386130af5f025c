import RDBKit

/// Each key's logical content, as one line: database, name, type, expiry, and its elements
/// (in file order for strings, lists and streams; sorted for sets, sorted sets and hashes,
/// whose order a rewrite may change). Encodings are left out: a rewrite for another version
/// may store a value differently, never hold different data without declaring a loss.
struct KeyRecords: RDBHandler {
  private(set) var lines: [String] = []
  private var head = ""
  private var elements: [String] = []
  private var ordered = true

  mutating func beginKey(_ key: RawSpan, info: KeyInfo) throws(RDBError) -> KeyDecision {
    head = "db\(info.database) \(Self.hex(key)) \(info.dataType) \(info.expiresAt ?? -1)"
    elements = []
    ordered = info.dataType != .set && info.dataType != .sortedSet && info.dataType != .hash
    return .decode
  }

  mutating func stringValue(_ value: RawSpan) throws(RDBError) {
    elements.append(Self.hex(value))
  }

  mutating func listElement(_ element: RawSpan) throws(RDBError) {
    elements.append(Self.hex(element))
  }

  mutating func setMember(_ member: RawSpan) throws(RDBError) {
    elements.append(Self.hex(member))
  }

  mutating func sortedSetMember(_ member: RawSpan, score: Double) throws(RDBError) {
    elements.append("\(Self.hex(member))=\(score.bitPattern)")
  }

  mutating func hashField(_ field: RawSpan, value: RawSpan, expiresAt: Int64?)
    throws(RDBError)
  {
    elements.append("\(Self.hex(field))=\(Self.hex(value))@\(expiresAt ?? -1)")
  }

  mutating func beginStreamEntry(id: StreamID, fieldCount: Int) throws(RDBError) {
    elements.append("\(id)")
  }

  mutating func streamField(_ field: RawSpan, value: RawSpan) throws(RDBError) {
    elements.append("\(Self.hex(field))=\(Self.hex(value))")
  }

  mutating func endKey(_ summary: KeySummary) throws(RDBError) {
    if !ordered { elements.sort() }
    lines.append(head + " " + elements.joined(separator: " "))
  }

  private static func hex(_ bytes: RawSpan) -> String {
    bytes.withUnsafeBytes { buffer in
      buffer.map { String($0, radix: 16) }.joined(separator: ".")
    }
  }
}
