import ArgumentParser
import Foundation
import RDBKit
import RDBS3
import SystemPackage

extension RDBTool {
  struct Rewrite: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "rewrite",
      abstract: "Write an RDB file for another server version or engine, filtered and remapped.",
      discussion: """
        Every value is written in the encoding a server of the target version would hold it \
        in with its default configuration (listpack, ziplist, intset, quicklist, hash table, \
        streams of the target's stream type), so the target server loads the file as if it \
        had written it. Without --target or --rdb-version the input's version is kept (a \
        filtering rewrite).

        What the target cannot hold (hash field TTLs before Redis 7.4, functions before RDB \
        10, streams before RDB 9, stream metadata before RDB 10, LRU/LFU data before RDB 9, \
        module values before RDB 8, vector sets before Redis 8.0, key metadata and stream \
        IDMP state before Redis 8.6) is listed with counts and example keys, and nothing is \
        written (exit 1); --allow-loss writes the file without it and prints the same report.

        The output is written atomically and parsed again (structure, key count, checksum) \
        before it replaces OUT. With several inputs, OUT is a directory and each file keeps \
        its name.

        Examples:
          rdbtool rewrite --target redis-6.2 dump.rdb -o dump-6.2.rdb
          rdbtool rewrite --target elasticache-valkey-8.0 redis-7.4.rdb -o seed.rdb
          rdbtool rewrite --single-db --exclude-match 'tmp:*' dump.rdb -o db0.rdb
          rdbtool rewrite --db-map 3=0 --db 3 dump.rdb -o only-db3-as-db0.rdb
          rdbtool rewrite --target redis-7.0 --allow-loss --report r.json a.rdb -o b
          rdbtool rewrite --target valkey-8.0 s3://backups/my-export -o ./seed/
        """)

    @Argument(help: "RDB files, '-' for standard input, or s3:// URLs and export prefixes.")
    var inputs: [String] = []

    @Option(
      name: .shortAndLong,
      help: "The output file, or a directory for several inputs (either may be s3://).")
    var output: String?

    @Flag(help: "List the --target names with their RDB versions, and exit.")
    var listTargets = false

    @OptionGroup(title: "Target") var rewrite: RewriteOptions

    @OptionGroup var selection: RewriteSelectionOptions

    @OptionGroup var options: InputOptions

    func validate() throws {
      if listTargets { return }
      guard !inputs.isEmpty else { throw ValidationError("Missing an INPUT.") }
      try rewrite.validate(inputs: inputs)
      guard output != nil else { throw ValidationError("Missing -o OUT: where to write the file.") }
      if rewrite.onDuplicate == .first, !rewrite.singleDb, rewrite.databaseMaps.isEmpty {
        throw ValidationError(
          "--on-duplicate decides between keys of databases merged by --single-db or --db-map; give one of them."
        )
      }
    }

    func run() throws {
      if listTargets {
        for engine in TargetEngine.all {
          print("\(engine.name)\t\(engine.version)\t\(engine.server)")
        }
        return
      }
      guard let output else { return }
      let selection = self.selection.selection
      let writerOptions = try rewrite.writerOptions(filtering: !selection.keepsEverything)
      let (sources, client) = try InputSource.resolve(inputs, s3: options.s3)
      guard output != "-" || sources.count == 1 else {
        throw ValidationError(
          "\(sources.count) inputs are rewritten into a directory; standard output ('-') holds one file."
        )
      }
      var isDirectory: ObjCBool = false
      let outputIsDirectory =
        sources.count > 1 || output.hasSuffix("/")
        || (FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory)
          && isDirectory.boolValue)
      let destinations = sources.map { source in
        outputIsDirectory ? OutputTarget.path(Self.fileName(of: source), in: output) : output
      }
      if let repeated = Self.firstRepeated(destinations) {
        let names = zip(sources, destinations).filter { $0.1 == repeated }.map(\.0.name)
        throw ValidationError(
          "\(names.joined(separator: " and ")) would both be written to \(repeated); "
            + "rewrite them into different directories.")
      }
      var reports: [RewriteReport] = []
      var failed = false
      for (source, destination) in zip(sources, destinations) {
        let job = RewriteJob(
          source: source, destination: destination, options: writerOptions, selection: selection,
          duplicatePolicy: try rewrite.duplicatePolicy(mergingInputs: false),
          allowLoss: rewrite.allowLoss, client: client, input: options)
        let report = try job.run()
        failed = failed || !report.written
        reports.append(report)
      }
      if let path = rewrite.report {
        try RewriteReport.writeJSON(reports, to: path, s3: options.s3)
      }
      if failed { throw ExitCode.failure }
    }

    /// The first path that occurs twice, if any.
    static func firstRepeated(_ paths: [String]) -> String? {
      var seen: Set<String> = []
      return paths.first { !seen.insert($0).inserted }
    }

    /// The output file name for an input: its last path component (`dump.rdb` for stdin).
    static func fileName(of source: InputSource) -> String {
      let name = source.name.split(separator: "/").last.map(String.init) ?? source.name
      return name == "-" ? "dump.rdb" : name
    }
  }
}
