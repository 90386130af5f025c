import ArgumentParser
import RDBKit

/// What `stats` and `report` keep and how they group key names: the prefix separator and
/// depths, the biggest-key lists and the big-key thresholds.
struct AnalysisOptions: ParsableArguments {
  @Option(help: "The separator that splits key names into prefixes.")
  var separator: String = ":"

  @Option(
    help: ArgumentHelp("How many separated parts make a prefix in the flat list.", valueName: "N"))
  var depth: Int = 1

  @Option(
    help: ArgumentHelp(
      "Levels of the prefix tree (at most \(Self.treeNodes) prefixes, \(Self.treeChildren) "
        + "under one prefix; the rest count in an (other) entry).",
      valueName: "N"))
  var treeDepth: Int = 4

  @Option(help: ArgumentHelp("Biggest keys listed per type.", valueName: "N"))
  var top: Int = 5

  @Option(help: ArgumentHelp("Biggest keys of any type listed.", valueName: "N"))
  var topKeys: Int = 100

  @Option(
    help: ArgumentHelp("A string longer than SIZE is a big key.", valueName: "SIZE"),
    transform: ByteSize.parse)
  var bigString: Int = 10_000_000

  @Option(
    help: ArgumentHelp(
      "A list, set, sorted set, hash or stream of more elements is big.",
      valueName: "N"))
  var bigElements: Int = 5_000

  static let treeNodes = 20_000
  static let treeChildren = 500

  func validate() throws {
    guard separator.utf8.count == 1 else {
      throw ValidationError("--separator must be one byte.")
    }
    guard depth >= 1, treeDepth >= 1 else {
      throw ValidationError("--depth and --tree-depth must be at least 1.")
    }
    guard top >= 1, topKeys >= 1 else {
      throw ValidationError("--top and --top-keys must be at least 1.")
    }
    guard bigElements >= 0 else { throw ValidationError("--big-elements must not be negative.") }
  }

  var separatorByte: UInt8 { separator.utf8.first ?? UInt8(ascii: ":") }

  /// An empty prefix tree with the limits above.
  var tree: PrefixTree {
    PrefixTree(
      separator: separatorByte, maxDepth: treeDepth, nodeLimit: Self.treeNodes,
      childLimit: Self.treeChildren)
  }

  var bigKeys: BigKeyThresholds {
    BigKeyThresholds(stringBytes: bigString, elements: bigElements)
  }

  /// An analyzer for one file.
  var analyzer: StatsAnalyzer {
    StatsAnalyzer(
      topCount: top, prefixes: PrefixReport(separator: separatorByte, depth: depth), tree: tree,
      overallCount: topKeys, bigKeys: bigKeys)
  }

  var settings: StatsSummary.Settings {
    StatsSummary.Settings(
      separator: separatorByte, depth: depth, top: top, topKeys: topKeys, tree: tree,
      bigKeys: bigKeys)
  }
}
