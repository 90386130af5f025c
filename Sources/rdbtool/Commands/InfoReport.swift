import Foundation
import RDBKit

/// The content of `rdbtool info`, as text for people and JSON for machines.
struct InfoReport: Encodable {
  struct AuxField: Encodable {
    var name: String
    var value: String
  }

  var file: String
  var rdbVersion: Int
  var magic: String
  var checksum: String
  var bytes: Int
  var trailingBytes: Int
  var aux: [AuxField]
  var savedAt: String?
  var functions: [String]
  var moduleAux: [String]
  var moduleValues: [String: Int]
  var keys: KeyCountAnalyzer.Counts
  var databases: [String: KeyCountAnalyzer.Counts]

  enum CodingKeys: String, CodingKey {
    case file, magic, checksum, bytes, aux, functions, keys, databases
    case rdbVersion = "rdb_version"
    case trailingBytes = "trailing_bytes"
    case savedAt = "saved_at"
    case moduleAux = "module_aux"
    case moduleValues = "module_values"
  }

  init(file: String, info: FileInfo, summary: ParseSummary) {
    self.file = file
    rdbVersion = summary.version.number
    magic = summary.version.magic.rawValue
    switch summary.checksum {
    case .verified(let value): checksum = "ok (0x\(String(value, radix: 16)))"
    case .notChecked: checksum = "not checked (the writer had rdbchecksum off)"
    case .absent: checksum = "none (RDB versions before 5 have no checksum)"
    }
    bytes = summary.byteCount
    trailingBytes = summary.trailingBytes
    aux = info.aux.map { AuxField(name: $0.name, value: $0.value) }
    if let time = info.keys.snapshotTime {
      savedAt = ISO8601DateFormatter().string(
        from: Date(timeIntervalSince1970: Double(time) / 1000))
    }
    functions = info.functions
    moduleAux = info.moduleAux.map(\.description)
    moduleValues = info.moduleValues
    keys = info.keys.total
    databases = Dictionary(
      uniqueKeysWithValues: info.keys.databases.map { (String($0.key), $0.value) })
  }

  func jsonText() throws -> String {
    String(decoding: try Self.encoder.encode(self), as: UTF8.self)
  }

  private static var encoder: JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    return encoder
  }

  /// Several shards: `{"shards":[…],"total":{keys…}}`.
  static func jsonText(shards: [InfoReport]) throws -> String {
    struct Shards: Encodable {
      var shards: [InfoReport]
      var total: KeyCountAnalyzer.Counts
    }
    var total = KeyCountAnalyzer.Counts()
    for report in shards { total.merge(report.keys) }
    return String(decoding: try encoder.encode(Shards(shards: shards, total: total)), as: UTF8.self)
  }

  /// The line that sums several shards.
  static func totalText(_ shards: [InfoReport]) -> String {
    var total = KeyCountAnalyzer.Counts()
    for report in shards { total.merge(report.keys) }
    return "total         \(shards.count) files, " + InfoReport.describe(total)
  }

  func text() -> String {
    var lines: [String] = []
    lines.append("file          \(file)")
    lines.append("format        \(magic) RDB version \(rdbVersion), \(bytes) bytes")
    if trailingBytes > 0 { lines.append("trailing      \(trailingBytes) bytes after the checksum") }
    lines.append("checksum      \(checksum)")
    if let savedAt { lines.append("saved at      \(savedAt)") }
    for field in aux {
      let value = field.name == "lua" ? "(\(field.value.utf8.count) bytes of Lua)" : field.value
      lines.append("aux           \(field.name) = \(value)")
    }
    if !functions.isEmpty { lines.append("functions     \(functions.joined(separator: ", "))") }
    if !moduleAux.isEmpty { lines.append("module data   \(moduleAux.joined(separator: ", "))") }
    for (module, count) in moduleValues.sorted(by: { $0.key < $1.key }) {
      lines.append("module keys   \(module): \(count)")
    }
    lines.append("keys          \(Self.describe(keys))")
    for database in databases.keys.compactMap(Int.init).sorted() {
      guard let counts = databases[String(database)] else { continue }
      lines.append(
        "db \(database)".padding(toLength: 14, withPad: " ", startingAt: 0) + Self.describe(counts))
      lines.append("  types       " + list(counts.types))
      lines.append("  encodings   " + list(counts.encodings))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  private static func describe(_ counts: KeyCountAnalyzer.Counts) -> String {
    "\(counts.keys) keys, \(counts.withExpiry) with a TTL, \(counts.expired) already expired at save"
  }

  private func list(_ counts: [String: Int]) -> String {
    counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) \($0.value)" }
      .joined(separator: ", ")
  }
}
