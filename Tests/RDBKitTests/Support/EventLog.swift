import RDBKit

/// Records the events ``RecordCollector`` does not keep (databases, size hints, module AUX,
/// functions) as short text lines, for tests of opcodes.
struct EventLog: RDBHandler {
  var events: [String] = []

  private func text(_ span: RawSpan) -> String {
    span.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
  }

  mutating func header(_ version: RDBVersion) { events.append("header \(version)") }
  mutating func aux(key: RawSpan, value: RawSpan) {
    events.append("aux \(text(key))=\(text(value))")
  }
  mutating func function(code: RawSpan) { events.append("function \(text(code))") }
  mutating func moduleAux(_ module: ModuleType) { events.append("moduleAux \(module)") }
  mutating func beginDatabase(_ index: Int) { events.append("db \(index)") }
  mutating func resizeDatabase(keys: UInt64, expires: UInt64) {
    events.append("resize \(keys) \(expires)")
  }
  mutating func beginKey(_ key: RawSpan, info: KeyInfo) -> KeyDecision {
    events.append(
      "key \(text(key)) type=\(info.type.rawValue) db=\(info.database) "
        + "expires=\(info.expiresAt.map(String.init) ?? "-") "
        + "idle=\(info.idleSeconds.map(String.init) ?? "-") "
        + "freq=\(info.frequency.map(String.init) ?? "-") at=\(info.offset)")
    return .decode
  }
  mutating func moduleValue(_ module: ModuleType) { events.append("module \(module)") }
  mutating func endKey(_ summary: KeySummary) {
    events.append("end \(summary.encoding.rawValue) \(summary.valueBytes)")
  }
}

/// Parses `bytes` into an ``EventLog`` and returns its lines.
func eventLines(_ bytes: [UInt8]) throws(RDBError) -> [String] {
  var log = EventLog()
  try RDBParser().parse(bytes, into: &log)
  return log.events
}

/// A handler that skips every value, to exercise the skipping path.
struct SkippingCounter: RDBHandler {
  var keys = 0
  var valueBytes: [Int] = []
  mutating func beginKey(_ key: RawSpan, info: KeyInfo) -> KeyDecision {
    keys += 1
    return .skip
  }
  mutating func endKey(_ summary: KeySummary) { valueBytes.append(summary.valueBytes) }
}
