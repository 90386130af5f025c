import RDBKit

/// Something in the data worth acting on: big keys, prefixes without TTLs, keys already
/// expired, a shard that holds much more than the others.
struct ReportFinding: Encodable {
  /// `warn` for what usually needs action, `info` for what is worth knowing.
  var level: String
  /// One line.
  var title: String
  /// What it means and what to do.
  var detail: String

  /// The findings of `summary`, most pressing first.
  static func all(in summary: StatsSummary) -> [ReportFinding] {
    let total = summary.total
    var findings: [ReportFinding] = []
    let big = total.bigKeys
    if big.total.keys > 0 {
      let limits = summary.settings.bigKeys
      let names = big.keys.prefix(3).map { "\($0.key) (\(ByteSize.text($0.bytes)))" }
      findings.append(
        ReportFinding(
          level: "warn",
          title: "\(count(big.total.keys, "big key")) \(big.total.keys == 1 ? "holds" : "hold") "
            + ByteSize.text(big.total.bytes),
          detail: "Strings over \(ByteSize.text(limits.stringBytes)) or aggregates over "
            + "\(limits.elements) elements block the server while they are deleted, expired or "
            + "migrated; split them or delete them with UNLINK. Biggest: "
            + names.joined(separator: ", ") + "."))
    }
    if let expired = total.ttl[StatsAnalyzer.TTLClass.expired.rawValue], expired.keys > 0 {
      findings.append(
        ReportFinding(
          level: "info",
          title: "\(count(expired.keys, "key")) had already expired when the file was written",
          detail: "They hold \(ByteSize.text(expired.bytes)); a server loading the file drops "
            + "them (a replica keeps them until its primary expires them)."))
    }
    let floor = max(1, total.total.bytes / 100)
    let persistent = (total.tree.children ?? []).filter { node in
      node.other != true && node.bytes >= floor
        && node.ttl.keys.allSatisfy { $0 == StatsAnalyzer.TTLClass.none.rawValue }
    }
    for node in persistent.prefix(10) {
      findings.append(
        ReportFinding(
          level: "warn",
          title: "No key under \u{201C}\(node.name)\(summary.settings.separator)\u{201D} has a TTL",
          detail: "\(count(node.keys, "key")), \(ByteSize.text(node.bytes)) "
            + "(\(percent(node.bytes, of: total.total.bytes))): if they are a cache, give them "
            + "an expiry; if not, they only grow."))
    }
    if summary.files.count > 1 {
      let sizes = summary.files.map(\.bytes)
      let mean = Double(sizes.reduce(0, +)) / Double(sizes.count)
      if let largest = summary.files.max(by: { $0.bytes < $1.bytes }), mean > 0,
        Double(largest.bytes) > mean * 1.2
      {
        findings.append(
          ReportFinding(
            level: "warn",
            title: "\(largest.name) holds \(Int((Double(largest.bytes) / mean - 1) * 100))% "
              + "more memory than the average shard",
            detail: "Shards are sized for the largest: move slots (or the big keys in them) "
              + "to even them out; the slot map below shows where the memory is."))
      }
    }
    if (total.tree.children ?? []).contains(where: { $0.other == true }) {
      findings.append(
        ReportFinding(
          level: "info",
          title: "Some prefixes are grouped as (other)",
          detail: "The prefix tree keeps \(summary.settings.treeNodes) prefixes, "
            + "\(summary.settings.treeChildren) under one prefix; the rest count in (other), "
            + "so every total stays exact."))
    }
    return findings
  }

  /// `1 key`, `2 keys`.
  static func count(_ number: Int, _ noun: String) -> String {
    "\(grouped(number)) \(noun)\(number == 1 ? "" : "s")"
  }

  /// `10,000,000`.
  static func grouped(_ number: Int) -> String {
    let digits = String(number.magnitude)
    var out = ""
    for (index, digit) in digits.enumerated() {
      if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
      out.append(digit)
    }
    return (number < 0 ? "-" : "") + out
  }

  static func percent(_ part: Int, of whole: Int) -> String {
    whole == 0 ? "0%" : "\((part * 1000 / whole + 5) / 10)%"
  }
}
