import ArgumentParser
import RDBKit
import RDBS3
import SystemPackage

extension RDBTool {
  struct Memory: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "memory",
      abstract: "Estimate each key's memory as the server reports it (MEMORY USAGE).",
      discussion: """
        Writes one row per key, in file order, with redis-rdb-tools' columns: database, \
        type, key, size_in_bytes, encoding, num_elements, len_largest_element, expiry.

        size_in_bytes estimates `MEMORY USAGE key SAMPLES 0` on the server that wrote the \
        file (picked from its redis-ver / valkey-ver AUX field; --model overrides it). \
        Blobs the server keeps byte for byte count exactly; hash-table buckets, skiplist \
        levels and stream radix trees are modelled. Keys are written as `dump --format csv` \
        writes them: RFC 4180 quoting, bytes that are not UTF-8 as \\xHH and a backslash as \
        \\\\. expiry is ISO-8601 UTC, or empty. --format jsonl writes the same figures under \
        the names `rdbtool dump` uses: db, key (as --bytes says), type, encoding, \
        size_in_bytes, num_elements, len_largest_element and expire_ms (Unix ms or null).

        The memory model and allocator used are named on standard error (unless -q), with a \
        reminder that servers installed from Debian or Ubuntu packages use the system \
        jemalloc (--allocator system).

        With several inputs every row ends with a file column (a "file" field in JSON lines) \
        naming the input it came from.

        Several inputs (the shards of an export) are written one after the other; --top N \
        keeps only the N largest keys of all of them (in bounded memory), largest first.

        Examples:
          rdbtool memory dump.rdb > memory.csv
          rdbtool memory --top 20 s3://backups/my-export
          rdbtool memory --type hash --min-size 1MiB dump.rdb
          rdbtool memory --format jsonl --model 7.0 --allocator system dump.rdb
        """)

    @Argument(help: "RDB files, '-' for standard input, or s3:// URLs and export prefixes.")
    var inputs: [String]

    @Option(help: "Output format.")
    var format: MemoryReportWriter.Format = .csv

    @Option(help: ArgumentHelp("Report only the N largest keys, largest first.", valueName: "N"))
    var top: Int?

    @Option(
      help: ArgumentHelp(
        "How key names are written: utf8 (UTF-8 as strings, the rest as base64 objects; the default of jsonl), text (lossless text, \\xHH escapes; the default of csv) or base64.",
        valueName: "STYLE"))
    var bytes: ByteStringStyle?

    @OptionGroup(title: "Memory model") var memory: MemoryModelOptions
    @OptionGroup(title: "Filters") var filters: FilterOptions
    @OptionGroup var emptyKeys: EmptyKeyOptions
    @OptionGroup var options: InputOptions

    @OptionGroup var destination: OutputOptions

    func validate() throws {
      guard !inputs.isEmpty else { throw ValidationError("Give at least one input.") }
      if let top, top < 1 { throw ValidationError("--top must be at least 1.") }
      if format == .csv, bytes == .utf8 {
        throw ValidationError(
          "--format csv cannot write --bytes utf8 (base64 objects are JSON); use text or base64.")
      }
    }

    func run() throws {
      let (sources, client) = try InputSource.resolve(inputs, s3: options.s3)
      let withFile = sources.count > 1
      var models: [MemoryModel] = []
      defer {
        // The model line goes to stderr: stdout holds the rows.
        if !models.isEmpty, !options.quiet {
          StandardError.write("rdbtool: " + MemoryModelNote.line(models, options: memory))
        }
      }
      let selection = emptyKeys.applied(to: filters.selection)
      try destination.write(s3: options.s3) { descriptor in
        // A row per key, hundreds of megabytes for millions of keys, often into a pipe: as
        // `dump` writes, with a larger pipe buffer and the writes on a thread of their own.
        PipeCapacity.enlarge(descriptor)
        let output = OutputBuffer(descriptor: descriptor, writesInBackground: true)
        var writer = MemoryReportWriter(
          output: output, format: format,
          style: bytes ?? (format == .csv ? .text : .utf8), withFile: withFile)
        if let top {
          // Each input's largest keys, then the largest of all, each knowing its input.
          var largest: [(report: KeyMemoryReport, input: Int)] = []
          for (index, source) in sources.enumerated() {
            // --as-loaded converts values by their elements: every packed element is read.
            let kept =
              memory.asLoaded
              ? try estimate(
                source, into: ReadingPackedElements(TopKeys(limit: top)), client: client,
                selection: selection, models: &models
              ).next
              : try estimate(
                source, into: TopKeys(limit: top), client: client, selection: selection,
                models: &models)
            largest += kept.largestFirst().map { ($0, index) }
            largest.sort { $0.report.sizeInBytes > $1.report.sizeInBytes }
            largest.removeLast(max(0, largest.count - top))
          }
          for (report, input) in largest {
            if withFile { writer.file = sources[input].name }
            try writer.consume(report)
          }
          try writer.finish()
          return
        }
        for source in sources {
          if withFile { writer.file = source.name }
          writer =
            memory.asLoaded
            ? try estimate(
              source, into: ReadingPackedElements(writer), client: client, selection: selection,
              models: &models, flushingOnFailure: output
            ).next
            : try estimate(
              source, into: writer, client: client, selection: selection, models: &models,
              flushingOnFailure: output)
        }
        try writer.finish()
      }
    }

    /// Parses `source` into an estimator whose reports go to `consumer`; notes the model
    /// used in `models` and returns the consumer. On failure, the rows in `flushingOnFailure`
    /// are written before the message.
    private func estimate<C: KeyMemoryConsumer>(
      _ source: InputSource, into consumer: C, client: S3Client?, selection: KeySelection,
      models: inout [MemoryModel], flushingOnFailure output: OutputBuffer? = nil
    ) throws -> C {
      var measuring = memory.estimator(consumer)
      // Packed values are decompressed and walked for their largest element on a second core.
      measuring.measuresOnSecondCore = true
      var estimator = KeyFilter(measuring, selection: selection)
      try ParseRun.parse(
        source, into: &estimator, client: client, options: options,
        quiet: destination.writesToTerminal, selection: selection, flushingOnFailure: output)
      models.append(estimator.next.model)
      return estimator.next.consumer.next
    }
  }
}

extension MemoryReportWriter.Format: ArgumentChoice {}
