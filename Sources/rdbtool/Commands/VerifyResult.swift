import Foundation
import RDBKit

/// What `verify` found in one input: the line it prints, or the JSON object of `--json`.
///
/// The JSON object always has every field, null where it does not apply: `input`, `status`
/// (`ok`, `corrupt` for bad data, `error` for an input that could not be read, `unchecked`
/// for a stream without a checksum whose compressed values were not decoded), `checksum`
/// (`ok`, `not_checked`, `absent`), `version` (`REDIS0011`, `VALKEY080`), `keys`,
/// `left_to_checksum` (compressed strings and packed values whose bytes only the CRC-64
/// vouches for: `--deep` decodes them), and for a failure `reason`, `offset` (the byte where
/// bad data was found) and `key` (the key being read then, as lossy UTF-8), and `warnings`:
/// what a loading server accepts but no server of today writes, each
/// `{"offset":…,"key":…,"message":…}` (empty for a failure).
struct VerifyResult: Encodable, Sendable {
  var input: String
  var status: String
  var checksum: String?
  var version: String?
  var keys: Int?
  var leftToChecksum: Int?
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
    let left = summary.uncheckedStrings + summary.uncheckedPackedValues
    leftToChecksum = left
    // Only a stream gets here: a mapped file without a checksum is read again, decoded.
    if left > 0, summary.checksum == .notChecked {
      status = "unchecked"
      reason =
        "the file has no checksum (the writer had rdbchecksum off), and \(Self.values(left)) "
        + "read as a stream were not decoded: verify the file itself, or use --deep"
    }
  }

  /// A file that could not be read to the end; `streamed` when it was read as a stream (a
  /// pipe, S3, a gzip or zstd file) with compressed values left to the checksum.
  init(input: String, error: any Error, streamed: Bool = false) {
    self.input = input
    status = InputFailure.verdict(error).lowercased()
    reason = InputFailure.describe(error)
    if let error = error as? RDBError, status == "corrupt" {
      reason = "\(error.kind)"
      offset = error.offset
      key = error.key
      if streamed, case .checksumMismatch = error.kind {
        reason? +=
          " (the damage cannot be located in a stream whose compressed values were left to "
          + "the checksum: verify the file itself, or use --deep)"
      }
    }
  }

  /// `1 compressed value`, `12 compressed values`.
  private static func values(_ count: Int) -> String {
    "\(count) compressed value\(count == 1 ? "" : "s")"
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
    if let left = leftToChecksum, left > 0 {
      line += "; \(Self.values(left)) left to the CRC-64 (--deep decodes them)"
    }
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
    try container.encode(leftToChecksum, forKey: .leftToChecksum)
    try container.encode(reason, forKey: .reason)
    try container.encode(offset, forKey: .offset)
    try container.encode(key, forKey: .key)
    try container.encode(warnings.map(WarningObject.init), forKey: .warnings)
  }

  private enum CodingKeys: String, CodingKey {
    case input, status, checksum, version, keys, reason, offset, key, warnings
    case leftToChecksum = "left_to_checksum"
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
