import Foundation
import RDBKit
import SystemPackage

/// What one rewrite did: where from, where to, for which target, and what it left out.
struct RewriteReport {
  var input: String
  var output: String
  var target: TargetEngine
  var keysWritten: Int
  var bytesWritten: Int
  var losses: LossReport
  /// Whether the output file was written (false when losses stopped it).
  var written = false

  /// One line per kind of loss: `  <kind>: N in K keys (e.g. "a", "b")`.
  var lossText: String {
    var text = ""
    for (kind, entry) in losses.entries.sorted(by: { $0.key < $1.key }) {
      text += "  \(kind.rawValue): \(entry.items)"
      if entry.keys > 0 {
        text += " in \(entry.keys) key\(entry.keys == 1 ? "" : "s")"
        let examples = entry.examples.map { "\"\($0)\"" }.joined(separator: ", ")
        text += " (e.g. \(examples))"
      }
      text += "\n"
    }
    return text
  }

  /// The report as a JSON object.
  var json: [String: Any] {
    [
      "input": input, "output": output, "target": target.name,
      "rdb_version": target.version.description, "written": written,
      "keys_written": keysWritten, "bytes_written": bytesWritten,
      "losses": losses.entries.sorted(by: { $0.key < $1.key }).map { kind, entry in
        [
          "kind": "\(kind)", "description": kind.rawValue, "items": entry.items,
          "keys": entry.keys, "examples": entry.examples,
        ] as [String: Any]
      },
    ]
  }

  /// Writes the reports of a run as one JSON document, atomically (or to `s3://`).
  static func writeJSON(_ reports: [RewriteReport], to path: String, s3: S3Options) throws {
    let object: Any = reports.count == 1 ? reports[0].json : reports.map(\.json)
    let data = try JSONSerialization.data(
      withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    try OutputTarget.write(to: path, s3: s3) { descriptor in
      _ = try data.withUnsafeBytes { try descriptor.writeAll($0) }
    }
  }
}
