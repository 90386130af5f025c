import Foundation
import RDBKit

/// The content of `rdbtool stats`: tables for people, JSON for machines, a prefix tree, or
/// folded stacks for flame graphs, all drawn from one ``StatsSummary``.
struct StatsReport {
  let summary: StatsSummary
  /// Prefixes listed in the flat table (all in JSON when nil).
  let prefixLimit: Int?

  var total: StatsSummary.Part { summary.total }

  // MARK: Text

  /// The tables; `tree` draws the prefix tree instead of the flat prefix list.
  func text(tree: Bool = false) -> String {
    var out: [String] = []
    if summary.files.count > 1 {
      out.append(
        Table(
          ["file", "size", "keys", "memory"],
          summary.files.map {
            [$0.name, Self.bytes($0.fileBytes), String($0.keys), Self.bytes($0.bytes)]
          }
        ).render())
    }
    let summaryLine =
      "\(total.total.keys) keys, \(Self.bytes(total.total.bytes)) estimated memory\n"
    // Without keys every table would be empty (and no estimate was made): one line says so.
    guard total.total.keys > 0 else { return (out + [summaryLine]).joined(separator: "\n") }
    out.append(summaryLine + summary.memoryModel.note + "\n")
    out.append(
      tallies(
        "database",
        total.databases.sorted { (Int($0.key) ?? 0) < (Int($1.key) ?? 0) }.map {
          ("db \($0.key)", $0.value)
        }))
    out.append(tallies("type", total.types.map { ($0.key, $0.value) }))
    out.append(tallies("encoding", total.encodings.map { ($0.key, $0.value) }))
    out.append(
      tallies(
        "TTL",
        StatsAnalyzer.TTLClass.allCases.compactMap { ttl in
          total.ttl[ttl.rawValue].map { (ttl.rawValue, $0) }
        }, sorted: false))
    out.append(histogram("elements", total.elementHistogram, unit: { String($0) }))
    out.append(histogram("string length", total.stringLengthHistogram, unit: Self.bytes))
    out.append(histogram("memory", total.sizeHistogram, unit: Self.bytes))
    var biggest: [[String]] = []
    for (type, keys) in total.biggest.sorted(by: { $0.key < $1.key }) {
      for key in keys {
        biggest.append([type, key.key, Self.bytes(key.bytes), String(key.elements)])
      }
    }
    out.append(Table(["type", "biggest keys", "memory", "elements"], biggest).render())
    out.append(tree ? treeText() : prefixTable())
    return out.joined(separator: "\n")
  }

  private func prefixTable() -> String {
    let limit = prefixLimit ?? 20
    var rows = total.prefixes.prefix(limit).map {
      [$0.prefix, String($0.keys), Self.bytes($0.bytes), percent($0.bytes)]
    }
    if total.prefixes.count > limit {
      rows.append(["(\(total.prefixes.count - limit) more)", "", "", ""])
    }
    if total.prefixOverflow.keys > 0 {
      rows.append([
        "(prefixes past the limit)", String(total.prefixOverflow.keys),
        Self.bytes(total.prefixOverflow.bytes), "",
      ])
    }
    return Table(["prefix", "keys", "memory", "share"], rows).render()
  }

  private func tallies(
    _ title: String, _ entries: [(String, StatsAnalyzer.Tally)], sorted: Bool = true
  ) -> String {
    let ordered = sorted ? entries.sorted { ($0.1.bytes, $1.0) > ($1.1.bytes, $0.0) } : entries
    return Table(
      [title, "keys", "memory", "share"],
      ordered.map {
        [$0.0, String($0.1.keys), Self.bytes($0.1.bytes), percent($0.1.bytes)]
      }
    ).render()
  }

  /// One row per bucket that holds keys: its smallest value and the value it stays below.
  private func histogram(
    _ title: String, _ buckets: [StatsSummary.Bucket], unit: (Int) -> String
  ) -> String {
    let rows = buckets.map {
      [unit($0.min), $0.max < Int.max ? unit($0.max + 1) : "", String($0.count)]
    }
    return Table([title + " from", "below", "keys"], rows).render()
  }

  /// `bytes` as a share of all keys' memory.
  func percent(_ bytes: Int) -> String {
    total.total.bytes == 0
      ? "-" : String(format: "%.1f%%", Double(bytes) * 100 / Double(total.total.bytes))
  }

  static func bytes(_ count: Int) -> String { ByteSize.text(count) }

  // MARK: JSON

  /// The summary as one JSON document, the flat prefix list cut to `prefixLimit` when set.
  func jsonText() throws -> String {
    var summary = self.summary
    if let prefixLimit {
      summary.total.prefixes = Array(summary.total.prefixes.prefix(prefixLimit))
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(summary), as: UTF8.self)
  }
}
