import ArgumentParser
import Foundation
import RDBKit
import RDBS3

extension RDBTool {
  struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "stats",
      abstract:
        "Summarize what uses memory: keys and memory by database, type, encoding, TTL and prefix.",
      discussion: """
        Estimates every key's memory (as `rdbtool memory` does) and reports keys and memory \
        per database, type and encoding; the TTL distribution at the time the file was \
        written (none, already expired, under 1 hour, 1 day, 7 days, 30 days, 1 year, \
        longer); histograms of element counts and sizes; the biggest keys of each type; and \
        memory by key prefix (the part before the --depth-th --separator), largest first, or \
        with --tree as a tree of prefixes over --tree-depth levels.

        Several inputs are the shards of one export: they are read in parallel, one task per \
        file, reported per file and in total. An s3:// prefix names every shard of an export.

        --json writes everything `rdbtool report` draws, in a document that merges: \
        `stats --merge a.json b.json` combines the documents of shards read on different \
        machines into the one `stats` writes for all those shards read together. \
        --format folded writes the prefix tree as folded stacks (prefix segments as frames, \
        estimated bytes as the count) for flamegraph.pl or speedscope.

        Examples:
          rdbtool stats dump.rdb
          rdbtool stats --separator : --depth 2 --prefixes 50 dump.rdb
          rdbtool stats --tree --tree-depth 3 dump.rdb
          rdbtool stats --format folded dump.rdb | flamegraph.pl > memory.svg
          rdbtool stats --json s3://backups/my-export-0001.rdb > 0001.json
          rdbtool stats --merge 0001.json 0002.json --json > export.json
        """)

    /// What `stats` writes.
    enum Format: String, ArgumentChoice {
      case text, json, folded
    }

    @Argument(
      help: """
        RDB files, '-' for standard input, or s3:// URLs and export prefixes; with --merge, \
        stats --json documents.
        """)
    var inputs: [String]

    @Flag(help: "Write one JSON object instead of tables (--format json).")
    var json = false

    @Option(help: "Output format (--json is --format json).")
    var format: Format?

    @Flag(help: "Draw the prefix tree instead of the flat prefix list (text).")
    var tree = false

    @Flag(help: "The inputs are stats --json documents to merge, not RDB files.")
    var merge = false

    @Option(
      help: ArgumentHelp(
        "Prefixes listed (default 20 in tables, 50 rows of --tree, all in JSON).", valueName: "N"))
    var prefixes: Int?

    @OptionGroup(title: "Grouping and lists") var analysis: AnalysisOptions
    @OptionGroup(title: "Memory model") var memory: MemoryModelOptions
    @OptionGroup(title: "Filters") var filters: FilterOptions
    @OptionGroup var emptyKeys: EmptyKeyOptions
    @OptionGroup var options: InputOptions

    @OptionGroup var destination: OutputOptions

    var resolvedFormat: Format { format ?? (json ? .json : .text) }

    func validate() throws {
      guard !inputs.isEmpty else { throw ValidationError("Give at least one input.") }
      guard prefixes ?? 1 >= 1 else {
        throw ValidationError("--top and --prefixes must be at least 1.")
      }
      if json, let format, format != .json {
        throw ValidationError("--json and --format \(format.rawValue) cannot be combined.")
      }
      if tree, resolvedFormat != .text {
        let name = json ? "--json" : "--format \(resolvedFormat.rawValue)"
        throw ValidationError("--tree draws a table; \(name) always holds the prefix tree.")
      }
      if merge {
        try SummaryInputCheck.refuseReadingOptions(
          with: "--merge", analysis: analysis, memory: memory, filters: filters,
          emptyKeys: emptyKeys)
      }
    }

    func run() throws {
      let selection = emptyKeys.applied(to: filters.selection)
      let (summary, failed) = try StatsAnalysis.run(
        inputs, fromSummaries: merge, analysis: analysis, memory: memory, selection: selection,
        options: options)
      guard let summary else { throw ExitCode.failure }
      let report = StatsReport(
        summary: summary,
        prefixLimit: prefixes ?? (resolvedFormat == .json || tree ? nil : 20))
      if !merge, report.total.total.keys == 0, !selection.keepsEverything {
        StandardError.write("rdbtool: no key matches the filters.")
      }
      switch resolvedFormat {
      case .text: try destination.write(text: report.text(tree: tree), s3: options.s3)
      case .json: try destination.write(text: try report.jsonText() + "\n", s3: options.s3)
      case .folded: try destination.write(text: report.foldedText(), s3: options.s3)
      }
      if failed { throw ExitCode.failure }
    }
  }
}
