import Foundation
import RDBKit

/// What `verify` found in one input: the line it prints, or the JSON object of `--json`.
///
/// The JSON object always has every field, null where it does not apply: `input`, `status`
/// (`ok`, `corrupt` for bad data, `error` for an input that could not be read), `checksum`
/// (`ok`, `not_checked`, `absent`), `version` (`REDIS0011`, `VALKEY080`), `keys`, and for a
/// failure `reason`, `offset` (the byte where bad data was found) and `key` (the key being
/// read then, as lossy UTF-8), and `warnings`: what a loading server accepts but no server
/// of today writes, each `{"offset":…,"key":…,"message":…}` (empty for a failure).
struct VerifyResult: Encodable, Sendable {
  var input: String
  var status: String
  var checksum: String?
  var version: String?
  var keys: Int?
  var reason: String?
  var offset: Int?
  var key: String?
  var warnings: [RDBWarning] = []

  /// A file that parsed completely.
  init(input: String, summary: ParseSummary, keys: Int) {
    self.input = input
    status = "ok"
    switch summary.checksum {
    case .verified: checksum = "ok"
    case .notChecked: checksum = "not_checked"
    case .absent: checksum = "absent"
    }
    version = "\(summary.version)"
    self.keys = keys
    warnings = summary.warnings
  }

  /// A file that could not be read to the end.
  init(input: String, error: any Error) {
    self.input = input
    status = InputFailure.verdict(error).lowercased()
    reason = InputFailure.describe(error)
    if let error = error as? RDBError, status == "corrupt" {
      reason = "\(error.kind)"
      offset = error.offset
      key = error.key
    }
  }

  var isOK: Bool { status == "ok" }

  /// `NAME: OK, REDIS0011, 12 keys` (`OK with N warnings`, then `NAME: warning: …` lines), or
  /// `NAME: CORRUPT: reason at byte N (key "k")`.
  var line: String {
    guard isOK else {
      return "\(input): \(status.uppercased()): "
        + (offset.map { offset in
          "\(reason ?? "") at byte \(offset)" + (key.map { " (key \"\($0)\")" } ?? "")
        } ?? reason ?? "")
    }
    var verdict = InputWarning.status(warnings) ?? "OK"
    if checksum == "not_checked" { verdict += " (checksum not checked)" }
    let count = keys ?? 0
    var line = "\(input): \(verdict), \(version ?? ""), \(count) key\(count == 1 ? "" : "s")"
    for warning in warnings { line += "\n\(input): warning: \(warning.located)" }
    return line
  }

  // Every field present, null where it does not apply, so each object has one shape.
  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(input, forKey: .input)
    try container.encode(status, forKey: .status)
    try container.encode(checksum, forKey: .checksum)
    try container.encode(version, forKey: .version)
    try container.encode(keys, forKey: .keys)
    try container.encode(reason, forKey: .reason)
    try container.encode(offset, forKey: .offset)
    try container.encode(key, forKey: .key)
    try container.encode(warnings.map(WarningObject.init), forKey: .warnings)
  }

  private enum CodingKeys: String, CodingKey {
    case input, status, checksum, version, keys, reason, offset, key, warnings
  }

  /// A warning in `--json`: its offset, key and what it says.
  private struct WarningObject: Encodable {
    var offset: Int
    var key: String?
    var message: String

    init(_ warning: RDBWarning) {
      offset = warning.offset
      key = warning.key
      message = warning.kind.description
    }

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(offset, forKey: .offset)
      try container.encode(key, forKey: .key)
      try container.encode(message, forKey: .message)
    }

    private enum CodingKeys: String, CodingKey { case offset, key, message }
  }
}
