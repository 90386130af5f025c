import ArgumentParser
import Foundation
import RDBKit

extension RDBTool {
  struct Split: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "split",
      abstract: "Split a dataset into one RDB file per cluster shard, by hash slot.",
      discussion: """
        All INPUTs are one dataset (the shard files of a cluster export, or an s3:// export \
        prefix), read in one pass. Each key goes to the file of the shard that owns its hash \
        slot: CRC16 of the key, or of its {hash tag}, modulo 16384, as Redis Cluster and \
        ElastiCache place keys. With --shards N the slots are dealt into N contiguous ranges \
        as `redis-cli --cluster create` deals them (for 3: 0-5460, 5461-10922, 10923-16383); \
        --slots gives the ranges of the target cluster instead (from its CLUSTER SHARDS or \
        CLUSTER SLOTS), one shard per comma, '+' joining the ranges of a shard that owns \
        several. Header, AUX fields, functions and module AUX data go to every file.

        The files are DIR/<name>-0001.rdb ... DIR/<name>-000N.rdb, <name> being the input's \
        name without '.rdb' and without a shard suffix (-0001), or --name. Every rewrite \
        option applies. A cluster has only database 0: a key in another database stops the \
        run unless --db-map or --single-db puts it in 0 (or --db 0 leaves it out). A key in \
        two inputs is an error naming it, unless --on-duplicate first or last (see rdbtool \
        merge --help for how duplicates are found). All files are \
        written, read back, and only then renamed into place; on a failure none appears.

        Examples:
          rdbtool split --shards 5 s3://backups/my-export -o ./reshard/
          rdbtool split --slots 0-5460,5461-10922,10923-16383 dump.rdb -o ./seed/
          rdbtool split --shards 3 --single-db --target valkey-8.0 dump.rdb -o out/
          rdbtool split --shards 16 --db 0 --name cache dump.rdb -o ./shards/
        """)

    @Argument(help: "RDB files, '-' for standard input, or s3:// URLs and export prefixes.")
    var inputs: [String] = []

    @Option(
      name: .shortAndLong,
      help: "The directory (or s3://bucket/prefix/) the shard files are written to.")
    var output: String?

    @Option(help: ArgumentHelp("Deal the slots into N shards as redis-cli does.", valueName: "N"))
    var shards: Int?

    @Option(
      help: ArgumentHelp(
        "The slot ranges of each shard, such as 0-5460,5461-10922,10923-16383.",
        valueName: "RANGES"))
    var slots: String?

    @Option(help: "The files' base name (default: the first input's).")
    var name: String?

    @OptionGroup(title: "Target") var rewrite: RewriteOptions

    @OptionGroup var selection: RewriteSelectionOptions

    @OptionGroup var options: InputOptions

    func validate() throws {
      guard !inputs.isEmpty else { throw ValidationError("Missing an INPUT.") }
      try rewrite.validate(inputs: inputs)
      guard let output else {
        throw ValidationError("Missing -o DIR: where to write the shard files.")
      }
      guard output != "-" else {
        throw ValidationError(
          "-o takes a directory for the shard files; standard output ('-') holds one file.")
      }
      switch (shards, slots) {
      case (nil, nil), (.some, .some):
        throw ValidationError("Give --shards N or --slots RANGES (one of them).")
      case (let count?, nil):
        guard (1...HashSlot.count).contains(count) else {
          throw ValidationError("--shards takes 1-\(HashSlot.count), not \(count).")
        }
      case (nil, let text?):
        do { _ = try SlotRanges(parsing: text) } catch {
          throw ValidationError("--slots '\(text)': \(error).")
        }
      }
      if let name, name.isEmpty || name.contains("/") {
        throw ValidationError("--name takes a file name without '/', not '\(name)'.")
      }
    }

    func run() throws {
      guard let output else { return }
      let ranges = try slotRanges()
      let selection = self.selection.selection
      var writerOptions = try rewrite.writerOptions(filtering: !selection.keepsEverything)
      writerOptions.writesSizeHints = false
      let (sources, client) = try InputSource.resolve(inputs, s3: options.s3)
      let base = name ?? Self.baseName(of: inputs[0])
      let width = max(4, String(ranges.count).count)
      let destinations = (1...ranges.count).map { index in
        let number = String(repeating: "0", count: width - String(index).count) + "\(index)"
        return OutputTarget.path("\(base)-\(number).rdb", in: output)
      }
      let job = DatasetWriteJob(
        sources: sources, destinations: destinations, options: writerOptions,
        selection: selection,
        duplicatePolicy: try rewrite.duplicatePolicy(mergingInputs: sources.count > 1),
        allowLoss: rewrite.allowLoss, client: client, input: options)
      let reports = try job.run { writers in SlotRouter(writers: writers, ranges: ranges) }
      if let path = rewrite.report {
        try RewriteReport.writeJSON(reports, to: path, s3: options.s3)
      }
      if reports.contains(where: { !$0.written }) { throw ExitCode.failure }
    }

    /// The ranges `--shards` or `--slots` describe.
    private func slotRanges() throws -> SlotRanges {
      if let slots { return try SlotRanges(parsing: slots) }
      return SlotRanges.dealt(shards: shards ?? 1)
    }

    /// The shard files' base name for an input: an export prefix's last component, or a
    /// file's name without `.rdb` and without a shard suffix such as `-0001`.
    static func baseName(of input: String) -> String {
      if input == "-" { return "dump" }
      var name = input.split(separator: "/").last.map(String.init) ?? input
      if name.hasSuffix(".rdb") { name.removeLast(4) }
      if let match = name.wholeMatch(of: /(.+)-[0-9]{4,}/) { name = String(match.1) }
      return name.isEmpty ? "dump" : name
    }
  }
}
