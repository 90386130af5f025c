import ArgumentParser
import Foundation
import RDBKit

extension RDBTool {
  struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "merge",
      abstract: "Merge several RDB files into one (a cluster export into a single instance).",
      discussion: """
        The INPUTs (files, or an s3:// export prefix naming every shard file) are read one \
        after another into one file: the header and the AUX fields of the first input, every \
        key of every input, each function library once. A key that two inputs hold is an \
        error naming it, and nothing is written, unless --on-duplicate first or last keeps \
        the first or the last copy (in input order, then file order). A library that two \
        inputs hold with different code is an error naming it. Every rewrite option applies \
        (--target, filters, --db-map, loss policy). To find duplicates, local files are read \
        twice: the key names first (8 bytes of memory a key), then the writing pass; standard \
        input and S3 objects are read once, keeping every key name in memory (except with \
        --on-duplicate last, which reads S3 objects twice and refuses standard input).

        The output is written atomically and read back before it replaces FILE. With -o - \
        it goes to standard output as it is made: a failure part way (a duplicate key, a \
        damaged input) leaves what already went out, and the exit status says so.

        Examples:
          rdbtool merge s3://backups/my-export -o single.rdb
          rdbtool merge shard-0001.rdb shard-0002.rdb shard-0003.rdb -o all.rdb
          rdbtool merge --target redis-7.0 --on-duplicate first a.rdb b.rdb -o c.rdb
        """)

    @Argument(help: "RDB files, '-' for standard input, or s3:// URLs and export prefixes.")
    var inputs: [String] = []

    @Option(
      name: .shortAndLong,
      help: "The output file, an s3://bucket/key, or - for standard output (not parsed again).")
    var output: String?

    @OptionGroup(title: "Target") var rewrite: RewriteOptions

    @OptionGroup var selection: RewriteSelectionOptions

    @OptionGroup var options: InputOptions

    func validate() throws {
      guard !inputs.isEmpty else { throw ValidationError("Missing an INPUT.") }
      try rewrite.validate(inputs: inputs)
      guard let output else { throw ValidationError("Missing -o FILE: where to write the file.") }
      guard !output.hasSuffix("/") else {
        throw ValidationError("-o takes a file name, not '\(output)'.")
      }
    }

    func run() throws {
      guard let output else { return }
      let selection = self.selection.selection
      var writerOptions = try rewrite.writerOptions(filtering: !selection.keepsEverything)
      writerOptions.writesSizeHints = false
      let (sources, client) = try InputSource.resolve(inputs, s3: options.s3)
      let job = DatasetWriteJob(
        sources: sources, destinations: [output], options: writerOptions, selection: selection,
        duplicatePolicy: try rewrite.duplicatePolicy(mergingInputs: true),
        allowLoss: rewrite.allowLoss, client: client, input: options)
      let reports = try job.run { writers in writers[0] }
      if let path = rewrite.report {
        try RewriteReport.writeJSON(reports, to: path, s3: options.s3)
      }
      if reports.contains(where: { !$0.written }) { throw ExitCode.failure }
    }
  }
}
