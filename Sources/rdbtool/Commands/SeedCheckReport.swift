import Foundation
import RDBKit

/// What `rdbtool seed-check` prints: one line per finding (with what to do and the fixing
/// command under a failure or warning), then a summary line; or one JSON object.
struct SeedCheckReport {
  let check: RDBKit.SeedCheck
  let scans: [SeedScanSummary]
  let findings: [SeedFinding]

  /// Whether the seed would load: no finding failed.
  var passed: Bool { !findings.contains { $0.status == .fail } }

  func count(_ status: SeedFinding.Status) -> Int { findings.filter { $0.status == status }.count }

  /// The text report.
  func text() -> String {
    var text = ""
    for finding in findings {
      text +=
        "\(finding.status.rawValue.uppercased()) \(finding.rule.rawValue): "
        + "\(finding.message)\n"
      if let losses = finding.losses { text += lossText(losses) }
      if let advice = finding.advice { text += "  to fix: \(advice)\n" }
      if let line = finding.commandLine { text += "    \(line)\n" }
    }
    let mode = "cluster mode \(check.clusterMode.rawValue), \(check.shardCount) shard"
    let files = "\(check.fileNames.count) file\(check.fileNames.count == 1 ? "" : "s")"
    let counts =
      "\(count(.fail)) failed, \(count(.warn)) warning\(count(.warn) == 1 ? "" : "s"), "
      + "\(count(.pass)) passed"
    text +=
      (passed ? "seed would load" : "seed would NOT load")
      + ": \(counts) (\(check.target.server), \(mode)\(check.shardCount == 1 ? "" : "s"), "
      + "\(files))\n"
    return text
  }

  /// The loss lines of `rdbtool rewrite`, indented under the finding.
  private func lossText(_ losses: LossReport) -> String {
    RewriteReport(
      input: "", output: "", target: check.target, keysWritten: 0, bytesWritten: 0,
      losses: losses
    ).lossText.split(separator: "\n").map { "  \($0)\n" }.joined()
  }

  /// The JSON report, one line.
  func jsonText() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    let document = Document(
      target: check.target.name, rdbVersion: check.target.version.description,
      clusterMode: check.clusterMode.rawValue, shards: check.shardCount, passed: passed,
      files: zip(check.fileNames, scans).map { name, scan in
        File(
          name: name, rdbVersion: scan.version.description, keys: scan.tally.keys,
          estimatedBytes: scan.tally.shardBytes.reduce(0, +))
      },
      findings: findings.map { finding in
        Finding(
          rule: finding.rule.rawValue, status: finding.status.rawValue, message: finding.message,
          advice: finding.advice, command: finding.command, commandLine: finding.commandLine,
          losses: finding.losses.map { losses in
            losses.entries.sorted { $0.key < $1.key }.map { kind, entry in
              Loss(
                kind: "\(kind)", description: kind.rawValue, items: entry.items, keys: entry.keys,
                examples: entry.examples)
            }
          })
      })
    return String(decoding: try encoder.encode(document), as: UTF8.self)
  }

  private struct Document: Encodable {
    var target: String
    var rdbVersion: String
    var clusterMode: String
    var shards: Int
    var passed: Bool
    var files: [File]
    var findings: [Finding]
  }

  private struct File: Encodable {
    var name: String
    var rdbVersion: String
    var keys: Int
    var estimatedBytes: Int
  }

  private struct Finding: Encodable {
    var rule: String
    var status: String
    var message: String
    var advice: String?
    var command: [String]?
    var commandLine: String?
    var losses: [Loss]?
  }

  private struct Loss: Encodable {
    var kind: String
    var description: String
    var items: Int
    var keys: Int
    var examples: [String]
  }
}
