import ArgumentParser
import Foundation
import RDBKit
import RDBS3

extension RDBTool {
  struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Summarize what uses memory: keys and memory by database, type, encoding, TTL and prefix.",
      discussion: """
        Estimates every key's memory (as `rdbtool memory` does) and reports keys and memory \
        per database, type and encoding; the TTL distribution at the time the file was \
        written (none, already expired, under 1 hour, 1 day, 7 days, longer); histograms of \
        element counts and sizes; the biggest keys of each type; and memory by key prefix \
        (the part before the --depth-th --separator), largest first.

        Several inputs are the shards of one export: they are read in parallel, one task per \
        file, reported per file and in total. An s3:// prefix names every shard of an export.

        Examples:
          rdbtool stats dump.rdb
          rdbtool stats --separator : --depth 2 --prefixes 50 dump.rdb
          rdbtool stats --json s3://backups/my-export > stats.json
        """)

    @Argument(help: "RDB files, '-' for standard input, or s3:// URLs and export prefixes.")
    var inputs: [String]

    @Flag(help: "Write one JSON object instead of tables.")
    var json = false

    @Option(help: "The separator that splits key names into prefixes.")
    var separator: String = ":"

    @Option(
      help: ArgumentHelp("How many separated parts make a prefix.", valueName: "N"))
    var depth: Int = 1

    @Option(help: ArgumentHelp("Biggest keys listed per type.", valueName: "N"))
    var top: Int = 5

    @Option(
      help: ArgumentHelp("Prefixes listed (default 20 in tables, 1000 in JSON).", valueName: "N"))
    var prefixes: Int?

    @OptionGroup(title: "Memory model") var memory: MemoryModelOptions
    @OptionGroup(title: "Filters") var filters: FilterOptions
    @OptionGroup var emptyKeys: EmptyKeyOptions
    @OptionGroup var options: InputOptions

    @OptionGroup var destination: OutputOptions

    func validate() throws {
      guard !inputs.isEmpty else { throw ValidationError("Give at least one input.") }
      guard separator.utf8.count == 1 else {
        throw ValidationError("--separator must be one byte.")
      }
      guard depth >= 1 else { throw ValidationError("--depth must be at least 1.") }
      guard top >= 1, prefixes ?? 1 >= 1 else {
        throw ValidationError("--top and --prefixes must be at least 1.")
      }
    }

    func run() throws {
      let (sources, client) = try InputSource.resolve(inputs, s3: options.s3)
      let options = self.options
      let quiet = options.quiet
      let grouping = PrefixReport(
        separator: separator.utf8.first ?? UInt8(ascii: ":"), depth: depth)
      let (top, memory) = (self.top, self.memory)
      let selection = emptyKeys.applied(to: filters.selection)
      let shards = ShardRunner.mapReportingFailures(sources) { source in
        var handler = KeyFilter(
          memory.estimator(StatsAnalyzer(topCount: top, prefixes: grouping)), selection: selection)
        let summary = try source.parse(
          into: &handler, client: client, options: options.s3, quiet: quiet)
        EmptyKeyOptions.note(summary, input: source.name, selection: selection)
        return StatsReport.Shard(
          name: source.name, bytes: summary.byteCount, stats: handler.next.consumer.next,
          model: handler.next.model)
      }
      if shards.count < sources.count {
        let reported = Set(shards.map(\.name))
        let skipped = sources.map(\.name).filter { !reported.contains($0) }
        StandardError.write(
          "rdbtool: skipped \(skipped.joined(separator: ", ")); "
            + (shards.isEmpty ? "nothing to report." : "the report covers the other inputs."))
      }
      guard !shards.isEmpty else { throw ExitCode.failure }
      let report = StatsReport(
        shards: shards, prefixLimit: prefixes ?? (json ? 1000 : 20),
        modelNote: MemoryModelNote.line(shards.map(\.model), options: memory))
      if report.total.total.keys == 0, !selection.keepsEverything {
        StandardError.write("rdbtool: no key matches the filters.")
      }
      try destination.write(text: json ? try report.jsonText() + "\n" : report.text())
      if shards.count != sources.count { throw ExitCode.failure }
    }
  }
}
