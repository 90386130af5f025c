extension StatsSummary {
  /// Why summaries cannot be merged.
  public enum MergeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Nothing to merge.
    case empty
    /// A document of another shape: its `format_version`.
    case formatVersion(Int)
    /// Summaries made with different options (the option's JSON name).
    case settings(String)

    public var description: String {
      switch self {
      case .empty: "nothing to merge"
      case .formatVersion(let version):
        "format_version \(version) is not \(StatsSummary.currentFormatVersion), the one this "
          + "rdbtool reads; make the file again with this rdbtool's stats --json"
      case .settings(let name):
        "made with a different \(name) than the first file; make both with the same options"
      }
    }
  }

  /// The most flat prefixes a merged summary lists, as ``PrefixReport`` keeps at most; the
  /// rest count in `prefix_overflow`.
  public static let prefixLimit = 100_000

  /// The summary of all of `summaries`' files together, in their order.
  ///
  /// Counts, memory, histograms, TTL classes and slots add up exactly. Biggest-key lists keep
  /// the largest of all (equal sizes in input order), so the merged top N is the top N of the
  /// union. Prefix lists and the prefix tree add up by name under the same limits; totals
  /// stay exact when a limit folds prefixes away. Merging is the same operation `stats` uses
  /// for the files of one run, so merging per-file summaries gives the summary of one run
  /// over those files.
  ///
  /// - Throws: ``MergeError`` for an empty list, another format version or other settings.
  public static func merged(_ summaries: [StatsSummary]) throws(MergeError) -> StatsSummary {
    guard let first = summaries.first else { throw .empty }
    var merger = try Merger(first)
    for summary in summaries.dropFirst() { try merger.add(summary) }
    return merger.result
  }

  /// `existing` and `added` summed by prefix, most bytes first (equal sizes by name), at most
  /// ``prefixLimit``; what is cut counts in `overflow`.
  static func merge(_ existing: [Prefix], _ added: [Prefix], overflow: inout StatsAnalyzer.Tally)
    -> [Prefix]
  {
    var sums: [String: Int] = [:]
    var list = existing
    for (index, prefix) in list.enumerated() { sums[prefix.prefix] = index }
    for prefix in added {
      if let index = sums[prefix.prefix] {
        list[index].keys += prefix.keys
        list[index].bytes += prefix.bytes
      } else {
        sums[prefix.prefix] = list.count
        list.append(prefix)
      }
    }
    list.sort {
      $0.bytes != $1.bytes
        ? $0.bytes > $1.bytes : $0.prefix.utf8.lexicographicallyPrecedes($1.prefix.utf8)
    }
    for cut in list.dropFirst(prefixLimit) {
      overflow.add(StatsAnalyzer.Tally(keys: cut.keys, bytes: cut.bytes))
    }
    return Array(list.prefix(prefixLimit))
  }
}

extension StatsSummary.Settings {
  /// The JSON name of the first setting that differs, or nil.
  func difference(_ other: Self) -> String? {
    if separator != other.separator { return "separator" }
    if depth != other.depth { return "depth" }
    if top != other.top { return "top" }
    if topKeys != other.topKeys { return "top_keys" }
    if treeDepth != other.treeDepth || treeNodes != other.treeNodes
      || treeChildren != other.treeChildren
    {
      return "prefix tree limit"
    }
    if bigKeys != other.bigKeys { return "big-key threshold" }
    return nil
  }
}

extension StatsSummary.Part {
  /// Adds `other`'s figures (the tree aside, which ``StatsSummary/merged(_:)`` merges once).
  mutating func merge(_ other: Self, settings: StatsSummary.Settings) {
    total.add(other.total)
    Self.add(other.databases, to: &databases)
    Self.add(other.types, to: &types)
    Self.add(other.encodings, to: &encodings)
    Self.add(other.ttl, to: &ttl)
    elementHistogram = Self.merge(elementHistogram, other.elementHistogram)
    stringLengthHistogram = Self.merge(stringLengthHistogram, other.stringLengthHistogram)
    sizeHistogram = Self.merge(sizeHistogram, other.sizeHistogram)
    for (type, keys) in other.biggest {
      biggest[type] = Self.largest(biggest[type] ?? [], keys, count: settings.top)
    }
    topKeys = Self.largest(topKeys, other.topKeys, count: settings.topKeys)
    bigKeys.total.add(other.bigKeys.total)
    bigKeys.keys = Self.largest(bigKeys.keys, other.bigKeys.keys, count: BigKeyThresholds.listed)
    prefixOverflow.add(other.prefixOverflow)
    prefixes = StatsSummary.merge(prefixes, other.prefixes, overflow: &prefixOverflow)
  }

  private static func add(
    _ tallies: [String: StatsAnalyzer.Tally], to target: inout [String: StatsAnalyzer.Tally]
  ) {
    for (name, tally) in tallies { target[name, default: StatsAnalyzer.Tally()].add(tally) }
  }

  private static func merge(_ left: [StatsSummary.Bucket], _ right: [StatsSummary.Bucket])
    -> [StatsSummary.Bucket]
  {
    var byMin: [Int: StatsSummary.Bucket] = [:]
    for bucket in left + right {
      if var existing = byMin[bucket.min] {
        existing.count += bucket.count
        byMin[bucket.min] = existing
      } else {
        byMin[bucket.min] = bucket
      }
    }
    return byMin.values.sorted { $0.min < $1.min }
  }

  /// The `count` largest of two largest-first lists; equal sizes keep `left`'s first.
  private static func largest(
    _ left: [StatsSummary.Key], _ right: [StatsSummary.Key], count: Int
  ) -> [StatsSummary.Key] {
    var result: [StatsSummary.Key] = []
    result.reserveCapacity(min(count, left.count + right.count))
    var (i, j) = (0, 0)
    while result.count < count, i < left.count || j < right.count {
      if j >= right.count || (i < left.count && left[i].bytes >= right[j].bytes) {
        result.append(left[i])
        i += 1
      } else {
        result.append(right[j])
        j += 1
      }
    }
    return result
  }
}
