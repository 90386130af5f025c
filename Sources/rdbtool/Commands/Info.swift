import ArgumentParser
import Foundation
import RDBKit

extension RDBTool {
  struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "info",
      abstract: "Show an RDB file's version, metadata, functions and key counts.",
      usage: "rdbtool info [<options>] <inputs> ...",
      discussion: """
        Reads the whole file (verifying it on the way) and reports the RDB version, every AUX \
        field (server version, save time, memory in use, replication ids …), function \
        libraries, module data, and keys per database, type and encoding, with how many have \
        a TTL and how many had already expired when the file was written. Several inputs \
        (the shards of an export) are read in parallel and reported one by one, then in total.

        Keys with no elements (a list, set, sorted set or hash written empty), which a \
        loading server skips, are not counted; a warning says how many there are. What a \
        loading server accepts but no server of today writes is a warning line (with --json, \
        "warnings" and "empty_keys"); --strict makes it a failure.

        --json writes one object of the same shape for any number of inputs: "files" holds \
        each input's report, "keys" and "databases" total them all.

        Examples:
          rdbtool info dump.rdb
          rdbtool info --json dump.rdb | jq .keys
          rdbtool info s3://backups/my-export
        """)

    @Argument(help: "RDB files, '-' for standard input, or s3:// URLs and export prefixes.")
    var inputs: [String]

    @Flag(help: "Write one JSON object instead of text.")
    var json = false

    @Flag(help: ArgumentHelp(InputWarning.strictHelp))
    var strict = false

    @OptionGroup var options: InputOptions

    @OptionGroup var destination: OutputOptions

    func validate() throws {
      guard !inputs.isEmpty else { throw ValidationError("Give at least one input.") }
    }

    func run() throws {
      let (sources, client) = try InputSource.resolve(inputs, s3: options.s3)
      let options = self.options
      let quiet = options.quiet
      let strict = self.strict
      let reports = ShardRunner.mapReportingFailures(sources) { source in
        var info = FileInfo()
        let summary = try source.parse(
          into: &info, client: client, options: options.s3, quiet: quiet)
        if strict, let first = summary.warnings.first { throw first.error }
        return InfoReport(file: source.name, info: info, summary: summary)
      }
      guard !reports.isEmpty else { throw ExitCode.failure }
      var text: String
      if json {
        text = try InfoReport.jsonText(files: reports) + "\n"
      } else {
        text = reports.map { $0.text() }.joined(separator: "\n")
        if sources.count > 1 { text += "\n" + InfoReport.totalText(reports) + "\n" }
      }
      try destination.write(text: text, s3: options.s3)
      if reports.count != sources.count { throw ExitCode.failure }
    }
  }
}
