import ArgumentParser
import Foundation
import RDBKit
import RDBS3
import SystemPackage

extension RDBTool {
  struct Dump: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "dump",
      abstract: "Convert an RDB file's keys to JSON lines, JSON, CSV or Redis protocol.",
      discussion: """
        --format resp writes the Redis protocol that recreates the data (SELECT, SET, RPUSH, \
        SADD, ZADD, HSET, XADD with consumer groups, PEXPIREAT, HPEXPIREAT, FUNCTION LOAD), \
        for `redis-cli --pipe`.

        --format json writes one JSON document grouping keys by database, in the shape \
        redis-rdb-tools users know: [{"key": value, …}, …]. --format csv flattens strings \
        and hashes into database,type,key,field,value rows (RFC 4180 quoting, every field in \
        the text form described below, or base64 with --bytes base64).

        --format jsonl writes one JSON object per key, in file order, losslessly: "db", \
        "key", "type", "encoding", "expire_ms" and "value", plus "idle_s" / "freq" when the \
        file has them. Byte strings that are valid UTF-8 are \
        JSON strings, others {"base64":"…"}; --bytes base64 writes every byte string as a \
        base64 string; --bytes text writes every byte string as a JSON string in a lossless \
        text form: UTF-8 as it is, a backslash as \\\\, any other byte as \\xHH (what SQL \
        readers such as DuckDB want: keys are always strings). The README describes every \
        value shape.

        Keys that had expired when the file was written are dumped (they are in the file); \
        --expired skip leaves them out.

        Examples:
          rdbtool dump --format jsonl dump.rdb > dump.jsonl
          rdbtool dump --format jsonl dump.rdb -o dump.jsonl
          rdbtool dump --format jsonl --type hash --match 'user:*' dump.rdb
          rdbtool dump --format jsonl --bytes base64 --expired skip - < dump.rdb
          rdbtool dump --format resp --expired skip dump.rdb | redis-cli --pipe
          rdbtool dump --format resp --target redis-7.0 --expire-shift 3600000 dump.rdb
          rdbtool dump --format jsonl s3://backups/my-export -o export.jsonl
        """)

    enum Format: String, ArgumentChoice {
      case jsonl, json, resp, csv
    }

    enum ExpiredKeys: String, ArgumentChoice {
      case keep, skip
    }

    @Argument(help: "RDB files, '-' for standard input, or s3:// URLs and export prefixes.")
    var inputs: [String]

    @Option(help: "Output format.")
    var format: Format = .jsonl

    @Option(
      help: ArgumentHelp(
        "How byte strings are written: utf8 (UTF-8 as strings, the rest as base64 objects; the default of jsonl), text (lossless text, \\xHH escapes; the default of csv) or base64.",
        valueName: "STYLE"))
    var bytes: ByteStringStyle?

    @Option(help: "What to do with keys already expired when the file was written.")
    var expired: ExpiredKeys = .keep

    @Option(
      help: ArgumentHelp(
        "With --format resp: write only commands this server has, such as redis-7.0 or valkey-8.0 (rdbtool rewrite --list-targets); what it lacks is left out and counted on standard error.",
        valueName: "ENGINE-VERSION"))
    var target: String?

    @Flag(
      help:
        "With --format resp: write no PEXPIREAT or HPEXPIREAT, so every key is loaded without its TTL."
    )
    var noExpire = false

    @Option(
      help: ArgumentHelp(
        "With --format resp: add MS milliseconds to every key and field expiry (--expire-shift=-MS subtracts), to reload an old backup whose TTLs have passed.",
        valueName: "MS"))
    var expireShift: Int64?

    @OptionGroup var filters: FilterOptions

    @OptionGroup var emptyKeys: EmptyKeyOptions

    @OptionGroup var destination: OutputOptions

    @OptionGroup var options: InputOptions

    func validate() throws {
      try filters.validate(expired: expired)
      if format != .resp {
        let respOnly = [
          target.map { _ in "--target" }, noExpire ? "--no-expire" : nil,
          expireShift.map { _ in "--expire-shift" },
        ].compactMap { $0 }
        if let option = respOnly.first {
          throw ValidationError("\(option) applies to --format resp only.")
        }
      }
      if noExpire, expireShift != nil {
        throw ValidationError("--no-expire writes no expiry for --expire-shift to shift: give one.")
      }
      if let target, TargetEngine.named(target) == nil {
        throw ValidationError(
          "unknown --target '\(target)'; known: \(TargetEngine.all.map(\.name).joined(separator: ", "))."
        )
      }
      switch (format, bytes) {
      case (.resp, .some):
        throw ValidationError(
          "--bytes does not apply to --format resp, which writes bytes as they are.")
      case (.json, .utf8):
        throw ValidationError(
          "--format json cannot write --bytes utf8: its object keys must be strings; use text or base64."
        )
      case (.csv, .utf8):
        throw ValidationError(
          "--format csv cannot write --bytes utf8 (base64 objects are JSON); use text or base64.")
      default: break
      }
    }

    func run() throws {
      var selection = emptyKeys.applied(to: filters.selection)
      if expired == .skip, selection.expiry == .any { selection.expiry = .live }
      let (sources, client) = try InputSource.resolve(inputs, s3: options.s3)
      try destination.write(s3: options.s3) { descriptor in
        // Gigabytes of text, often into a pipe (`| jq`): a larger pipe buffer, and writes on a
        // thread of their own, so that the parse does not wait for the reader.
        PipeCapacity.enlarge(descriptor)
        let buffer = OutputBuffer(descriptor: descriptor, writesInBackground: true)
        switch format {
        case .jsonl:
          var filter = KeyFilter(
            JSONLinesWriter(output: buffer, style: bytes ?? .utf8), selection: selection)
          for source in sources where try !dumpInBatches(source, into: &filter) {
            try parse([source], into: &filter, client: client, flushingOnFailure: buffer)
          }
          try finish(after: sources) { () throws(RDBError) in try filter.next.finish() }
        case .json:
          var filter = KeyFilter(
            JSONDocumentWriter(output: buffer, style: bytes), selection: selection)
          try parse(sources, into: &filter, client: client)
          try finish(after: sources) { () throws(RDBError) in try filter.next.finish() }
        case .csv:
          var filter = KeyFilter(
            CSVWriter(output: buffer, style: bytes ?? .text), selection: selection)
          try parse(sources, into: &filter, client: client, flushingOnFailure: buffer)
          try finish(after: sources) { () throws(RDBError) in try filter.next.finish() }
          if filter.next.skippedKeys > 0 {
            StandardError.write(
              "rdbtool: \(filter.next.skippedKeys) keys of types other than string and hash left out of the CSV"
            )
          }
        case .resp:
          var writer = RESPWriter(
            output: buffer,
            target: target.flatMap(TargetEngine.named).map(RESPTarget.init) ?? .newest)
          writer.writesExpiries = !noExpire
          writer.expiryShift = expireShift ?? 0
          var filter = KeyFilter(writer, selection: selection)
          try parse(sources, into: &filter, client: client, flushingOnFailure: buffer)
          try finish(after: sources) { () throws(RDBError) in try filter.next.finish() }
          let omitted = filter.next.omitted
          if !omitted.isEmpty {
            StandardError.write(
              "rdbtool: left out for \(filter.next.target.server), which lacks them: "
                + omitted.phrases.joined(separator: ", "))
          }
          if filter.next.skippedModuleValues > 0 {
            StandardError.write(
              "rdbtool: \(filter.next.skippedModuleValues) module values left out: a module type "
                + "needs its module"
            )
          }
        }
      }
    }

    /// Dumps `source` as JSON lines with a ``JSONLinesBatcher`` (keys of some size formatted on
    /// a second thread) when it is a mapped file; false, having written nothing, when it is
    /// not one. A batch that fails to parse, or a failure inside a copied record, has the file
    /// parsed again from the first key not written, so that the output, the message and the
    /// exit status are those of one parse.
    private func dumpInBatches(
      _ source: InputSource, into filter: inout KeyFilter<JSONLinesWriter>
    ) throws -> Bool {
      guard source.isMappable, let (descriptor, owned) = source.openLocal() else { return false }
      defer { if owned { try? descriptor.close() } }
      guard let file = try? MappedFile(descriptor: descriptor),
        let base = unsafe file.withUnsafeBytes({ unsafe $0.baseAddress }),
        let batcher = unsafe JSONLinesBatcher(
          output: filter.next.output, style: bytes ?? .utf8, base: base)
      else { return false }
      let progress = ParseProgress()
      let bar = ProgressBar(
        progress, label: source.name, quiet: options.quiet || destination.writesToTerminal)
      filter.next.batch(with: batcher)
      let outcome: Result<ParseSummary, RDBError>
      do {
        outcome = .success(try RDBParser(progress: progress).parse(file, into: &filter))
      } catch {
        outcome = .failure(error)
      }
      bar?.stop()
      batcher.settle()
      filter.next.batch(with: nil)
      if let resumeOffset = batcher.resumeOffset {
        var writer = JSONLinesWriter(output: batcher.output, style: bytes ?? .utf8)
        writer.resumeOffset = resumeOffset
        filter.next = writer
        try parse([source], into: &filter, client: nil, flushingOnFailure: batcher.output)
        return true
      }
      switch outcome {
      case .success(let summary):
        EmptyKeyOptions.note(
          summary, input: source.name, selection: emptyKeys.applied(to: KeySelection()))
      case .failure(let error):
        // The keys before the failure first, as `ParseRun.parse` writes them.
        try? batcher.output.flush()
        StandardError.report(source.name, InputFailure.describe(error))
        throw ExitCode.failure
      }
      return true
    }

    /// Runs `body`, the writer's last flush; a write that fails there (a full disk) is
    /// reported as one during the parse is, and the command fails (no `-o` file is left).
    private func finish(after sources: [InputSource], _ body: () throws(RDBError) -> Void)
      throws
    {
      do {
        try body()
      } catch {
        StandardError.report(sources.last?.name ?? "-", InputFailure.describe(error))
        throw ExitCode.failure
      }
    }

    /// Parses the inputs one after the other into one output; when one fails, first writes
    /// what `flushingOnFailure` holds (the keys before the failure, as they were written).
    private func parse<H: RDBHandler>(
      _ sources: [InputSource], into handler: inout H, client: S3Client?,
      flushingOnFailure buffer: OutputBuffer? = nil
    ) throws {
      for source in sources {
        try ParseRun.parse(
          source, into: &handler, client: client, options: options,
          quiet: destination.writesToTerminal, selection: emptyKeys.applied(to: KeySelection()),
          flushingOnFailure: buffer)
      }
    }
  }
}

extension ByteStringStyle: ArgumentChoice {}
