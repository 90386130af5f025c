import Foundation
import RDBKit

/// The content of `rdbtool stats`: tables for people, JSON for machines.
struct StatsReport {
  struct Shard: Sendable {
    var name: String
    var bytes: Int
    var stats: StatsAnalyzer
    /// The memory model the estimates followed.
    var model: MemoryModel
  }

  let shards: [Shard]
  let total: StatsAnalyzer
  let prefixLimit: Int
  /// ``MemoryModelNote``'s line: the model and allocator in use.
  let modelNote: String

  init(shards: [Shard], prefixLimit: Int, modelNote: String) {
    self.shards = shards
    self.prefixLimit = prefixLimit
    self.modelNote = modelNote
    var total = StatsAnalyzer()
    for shard in shards { total.merge(shard.stats) }
    self.total = total
  }

  // MARK: Text

  func text() -> String {
    var out: [String] = []
    if shards.count > 1 {
      out.append(
        Table(
          ["file", "size", "keys", "memory"],
          shards.map {
            [
              $0.name, Self.bytes($0.bytes), String($0.stats.total.keys),
              Self.bytes($0.stats.total.bytes),
            ]
          }
        ).render())
    }
    let summary = "\(total.total.keys) keys, \(Self.bytes(total.total.bytes)) estimated memory\n"
    // Without keys every table would be empty (and no estimate was made): one line says so.
    guard total.total.keys > 0 else { return (out + [summary]).joined(separator: "\n") }
    out.append(summary + modelNote + "\n")
    out.append(tallies("database", total.databases.map { ("db \($0.key)", $0.value) }))
    out.append(tallies("type", total.types.map { ($0.key, $0.value) }))
    out.append(tallies("encoding", total.encodings.map { ($0.key.rawValue, $0.value) }))
    out.append(
      tallies(
        "TTL",
        StatsAnalyzer.TTLClass.allCases.compactMap { ttl in
          total.ttls[ttl].map { (ttl.rawValue, $0) }
        }, sorted: false))
    out.append(histogram("elements", total.elementHistogram, unit: { String($0) }))
    out.append(histogram("string length", total.stringLengthHistogram, unit: Self.bytes))
    out.append(histogram("memory", total.sizeHistogram, unit: Self.bytes))
    var biggest: [[String]] = []
    for (type, keys) in total.biggest.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
      for report in keys.largestFirst() {
        biggest.append([
          type.rawValue, Self.name(report.key), Self.bytes(report.sizeInBytes),
          String(report.elementCount),
        ])
      }
    }
    out.append(Table(["type", "biggest keys", "memory", "elements"], biggest).render())
    let prefixes = total.prefixes.byMemory()
    var rows = prefixes.prefix(prefixLimit).map {
      [
        Self.name($0.prefix), String($0.tally.keys), Self.bytes($0.tally.bytes),
        percent($0.tally.bytes),
      ]
    }
    if prefixes.count > prefixLimit {
      rows.append(["(\(prefixes.count - prefixLimit) more)", "", "", ""])
    }
    if total.prefixes.overflow.keys > 0 {
      rows.append([
        "(prefixes past the limit)", String(total.prefixes.overflow.keys),
        Self.bytes(total.prefixes.overflow.bytes), "",
      ])
    }
    out.append(Table(["prefix", "keys", "memory", "share"], rows).render())
    return out.joined(separator: "\n")
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

  /// One row per power-of-two bucket that holds keys: its smallest value and the value of
  /// the next bucket, which it stays below.
  private func histogram(_ title: String, _ counts: [Int], unit: (Int) -> String) -> String {
    var rows: [[String]] = []
    for (index, count) in counts.enumerated() where count > 0 {
      let low = index == 0 ? 0 : 1 << (index - 1)
      rows.append([unit(low), index < 62 ? unit(1 << index) : "", String(count)])
    }
    return Table([title + " from", "below", "keys"], rows).render()
  }

  /// `bytes` as a share of all keys' memory.
  private func percent(_ bytes: Int) -> String {
    total.total.bytes == 0
      ? "-" : String(format: "%.1f%%", Double(bytes) * 100 / Double(total.total.bytes))
  }

  static func bytes(_ count: Int) -> String { ByteSize.text(count) }

  /// A key or prefix as text: UTF-8 as it is, other bytes as \xHH.
  static func name(_ bytes: some Collection<UInt8>) -> String {
    if let text = String(validating: Array(bytes), as: UTF8.self),
      !text.contains(where: { $0.isNewline })
    {
      return text
    }
    return bytes.map {
      $0 >= 0x20 && $0 < 0x7F && $0 != 0x5C
        ? String(UnicodeScalar($0)) : String(format: "\\x%02x", $0)
    }.joined()
  }

  // MARK: JSON

  func jsonText() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(JSONReport(self)), as: UTF8.self)
  }
}
