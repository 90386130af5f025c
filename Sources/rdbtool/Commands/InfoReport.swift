import Foundation
import RDBKit

/// The content of `rdbtool info`, as text for people and JSON for machines.
struct InfoReport: Encodable {
  struct AuxField: Encodable {
    var name: String
    var value: String
  }

  /// The CRC-64 trailer: `ok` (stored equals computed), `not_checked` (the writer had
  /// `rdbchecksum no` and stored zero), `absent` (RDB versions before 5 have none). The
  /// values are 16 hex digits after `0x`, as text: a JSON number cannot hold 64 bits exactly.
  struct Checksum: Encodable {
    var status: String
    var stored: String?
    var computed: String?

    init(_ status: ChecksumStatus) {
      switch status {
      case .verified(let value):
        self.status = "ok"
        stored = Self.hex(value)
        computed = stored
      case .notChecked:
        self.status = "not_checked"
        stored = Self.hex(0)
      case .absent:
        self.status = "absent"
      }
    }

    // Present keys with null values, so that every report has the same fields.
    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(status, forKey: .status)
      try container.encode(stored, forKey: .stored)
      try container.encode(computed, forKey: .computed)
    }

    private enum CodingKeys: String, CodingKey { case status, stored, computed }

    private static func hex(_ value: UInt64) -> String {
      let digits = String(value, radix: 16)
      return "0x" + String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The checksum line of the text report.
    var text: String {
      switch status {
      case "ok": "ok (\(stored ?? ""))"
      case "not_checked": "not checked (the writer had rdbchecksum off)"
      default: "none (RDB versions before 5 have no checksum)"
      }
    }
  }

  var file: String
  var rdbVersion: Int
  var magic: String
  var checksum: Checksum
  var bytes: Int
  var trailingBytes: Int
  var aux: [AuxField]
  var savedAt: String?
  var functions: [String]
  var moduleAux: [String]
  var moduleValues: [String: Int]
  var keys: KeyCountAnalyzer.Counts
  var databases: [String: KeyCountAnalyzer.Counts]
  /// Lists, sets, sorted sets and hashes with no elements, which a loading server skips:
  /// not in `keys`.
  var emptyKeys: Int
  var warnings: [Warning]
  /// The warnings as the parser gave them, for the text report.
  var found: [RDBWarning]

  /// What a loading server accepts but no server of today writes (see ``RDBWarning``).
  struct Warning: Encodable {
    var offset: Int
    var key: String?
    var message: String
  }

  enum CodingKeys: String, CodingKey {
    case file, magic, checksum, bytes, aux, functions, keys, databases, warnings
    case emptyKeys = "empty_keys"
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
    checksum = Checksum(summary.checksum)
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
    emptyKeys = summary.emptyKeys
    found = summary.warnings
    warnings = summary.warnings.map {
      Warning(offset: $0.offset, key: $0.key, message: $0.kind.description)
    }
  }

  private static var encoder: JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    return encoder
  }

  /// The JSON document for any number of inputs, always in one shape:
  /// `{"files":[report…],"keys":{…},"databases":{"0":{…}}}`, where `keys` and `databases`
  /// total every file (for one file they equal its own), so `jq .keys` works for a file and
  /// for an export alike.
  static func jsonText(files: [InfoReport]) throws -> String {
    struct Document: Encodable {
      var files: [InfoReport]
      var keys: KeyCountAnalyzer.Counts
      var databases: [String: KeyCountAnalyzer.Counts]
    }
    var total = KeyCountAnalyzer.Counts()
    var databases: [String: KeyCountAnalyzer.Counts] = [:]
    for report in files {
      total.merge(report.keys)
      for (database, counts) in report.databases {
        databases[database, default: .init()].merge(counts)
      }
    }
    let document = Document(files: files, keys: total, databases: databases)
    return String(decoding: try encoder.encode(document), as: UTF8.self)
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
    lines.append("checksum      \(checksum.text)")
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
    for warning in found { lines.append("warning       \(warning.located)") }
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
