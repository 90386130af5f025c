import ArgumentParser
import Foundation
import RDBKit

extension RDBTool {
  struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "report",
      abstract: "Write one self-contained HTML page that shows where the memory goes.",
      discussion: """
        Reads the inputs as `stats` does (several inputs are the shards of one export, read \
        in parallel) and writes one HTML file with everything inline: no network request, \
        no external font or library; it opens from disk, offline. The page shows keys and \
        estimated memory per shard with their skew; memory by type, encoding and database; \
        a zoomable prefix chart (key names split at --separator) with the top prefixes at \
        each depth; the TTL distribution overall and per prefix; the biggest keys, sortable; \
        histograms of element counts, string lengths and key sizes; memory per hash slot \
        and per shard; and findings: keys over the big-key thresholds (--big-string, \
        --big-elements), prefixes whose keys have no TTL, keys already expired, shard skew. \
        Its size is bounded (a few MB at most, whatever the input).

        --from-stats draws the page from `stats --json` documents instead (merged as \
        `stats --merge` does), so an export analysed by many machines is reported once.

        Examples:
          rdbtool report dump.rdb -o report.html
          rdbtool report --title "cache, 3 Dec" s3://backups/my-export -o report.html
          rdbtool report --from-stats merged.json -o report.html
          rdbtool report dump.rdb -o - | gzip > report.html.gz
        """)

    @Argument(help: "RDB files, '-' for standard input, or s3:// URLs and export prefixes.")
    var inputs: [String] = []

    @Option(
      help: ArgumentHelp(
        "Draw the page from stats --json documents (repeatable) instead of RDB files.",
        valueName: "FILE"))
    var fromStats: [String] = []

    @Option(help: "The page's title (default: the input's name).")
    var title: String?

    @Option(
      name: .shortAndLong,
      help:
        "The HTML file to write (atomically), or an s3://bucket/key; '-' for standard output.")
    var output: String

    @OptionGroup(title: "Grouping and lists") var analysis: AnalysisOptions
    @OptionGroup(title: "Memory model") var memory: MemoryModelOptions
    @OptionGroup(title: "Filters") var filters: FilterOptions
    @OptionGroup var emptyKeys: EmptyKeyOptions
    @OptionGroup var options: InputOptions

    func validate() throws {
      guard inputs.isEmpty != fromStats.isEmpty else {
        throw ValidationError("Give either inputs or --from-stats documents.")
      }
      if !fromStats.isEmpty {
        try SummaryInputCheck.refuseReadingOptions(
          with: "--from-stats", analysis: analysis, memory: memory, filters: filters,
          emptyKeys: emptyKeys)
      }
    }

    func run() throws {
      let selection = emptyKeys.applied(to: filters.selection)
      let fromSummaries = !fromStats.isEmpty
      let (summary, failed) = try StatsAnalysis.run(
        fromSummaries ? fromStats : inputs, fromSummaries: fromSummaries, analysis: analysis,
        memory: memory, selection: selection, options: options)
      guard let summary else { throw ExitCode.failure }
      let name =
        summary.files.count == 1
        ? summary.files[0].name : "\(summary.files.count) shards"
      let data = ReportData(
        summary, title: title ?? "Memory report: \(name)",
        findings: ReportFinding.all(in: summary))
      let page = try ReportPage.html(data)
      try OutputTarget.write(to: output, s3: options.s3) { descriptor in
        _ = try descriptor.writeAll(page.utf8)
      }
      if failed { throw ExitCode.failure }
    }
  }
}
