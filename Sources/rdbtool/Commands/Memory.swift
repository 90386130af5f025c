import ArgumentParser
import RDBKit
import SystemPackage

extension RDBTool {
  struct Memory: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Estimate each key's memory as the server reports it (MEMORY USAGE).",
      discussion: """
        Writes one row per key, in file order, with redis-rdb-tools' columns:
          database,type,key,size_in_bytes,encoding,num_elements,len_largest_element,expiry
        size_in_bytes estimates `MEMORY USAGE key SAMPLES 0` on the server that wrote the \
        file (picked from its redis-ver / valkey-ver AUX field; --model overrides it). \
        Blobs the server keeps byte for byte count exactly; hash-table buckets, skiplist \
        levels and stream radix trees are modelled. Keys are CSV-quoted when needed; keys that \
        are not UTF-8 get \\xHH escapes. expiry is ISO-8601 UTC, or empty. --format jsonl \
        writes the same fields as JSON objects, keys as in `rdbtool dump`, expiry in Unix ms.

        Several inputs (the shards of an export) are written one after the other; --top N \
        keeps only the N largest keys of all of them (in bounded memory), largest first.

        Examples:
          rdbtool memory dump.rdb > memory.csv
          rdbtool memory --top 20 s3://backups/my-export
          rdbtool memory --type hash --min-size 1MB dump.rdb
          rdbtool memory --format jsonl --model 7.0 --allocator system dump.rdb -o memory.jsonl
        """)

    @Argument(help: "RDB files, '-' for standard input, or s3:// URLs and export prefixes.")
    var inputs: [String]

    @Option(help: "Output format: csv or jsonl.")
    var format: MemoryReportWriter.Format = .csv

    @Option(help: ArgumentHelp("Report only the N largest keys, largest first.", valueName: "N"))
    var top: Int?

    @OptionGroup(title: "Memory model") var memory: MemoryModelOptions
    @OptionGroup(title: "Filters") var filters: FilterOptions
    @OptionGroup var options: InputOptions

    @OptionGroup var destination: OutputOptions

    func validate() throws {
      guard !inputs.isEmpty else { throw ValidationError("Give at least one input.") }
      if let top, top < 1 { throw ValidationError("--top must be at least 1.") }
    }

    func run() throws {
      let (sources, client) = try InputSource.resolve(inputs, s3: options.s3)
      try destination.write { descriptor in
        var writer = MemoryReportWriter(
          output: OutputBuffer(descriptor: descriptor), format: format)
        if let top {
          var largest = TopKeys(limit: top)
          for source in sources {
            var estimator = KeyFilter(
              memory.estimator(TopKeys(limit: top)), selection: filters.selection)
            try ParseRun.parse(
              source, into: &estimator, client: client, options: options,
              quiet: destination.writesToTerminal)
            largest.merge(estimator.next.consumer.next)
          }
          for report in largest.largestFirst() { try writer.consume(report) }
          try writer.finish()
          return
        }
        for source in sources {
          var estimator = KeyFilter(memory.estimator(writer), selection: filters.selection)
          defer { try? estimator.next.consumer.next.finish() }
          try ParseRun.parse(
            source, into: &estimator, client: client, options: options,
            quiet: destination.writesToTerminal)
          writer = estimator.next.consumer.next
        }
        try writer.finish()
      }
    }
  }
}

extension MemoryReportWriter.Format: ExpressibleByArgument {}
