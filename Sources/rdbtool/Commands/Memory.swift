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

        --top N keeps only the N largest keys (in bounded memory), largest first.

        Examples:
          rdbtool memory dump.rdb > memory.csv
          rdbtool memory --top 20 dump.rdb
          rdbtool memory --format jsonl --model 7.0 --allocator system dump.rdb -o memory.jsonl
          rdbtool memory --list-compress-depth 1 - < dump.rdb
        """)

    @Argument(help: "An RDB file, or '-' for standard input.")
    var input: String

    @Option(help: "Output format: csv or jsonl.")
    var format: MemoryReportWriter.Format = .csv

    @Option(help: ArgumentHelp("Report only the N largest keys, largest first.", valueName: "N"))
    var top: Int?

    @Option(
      help: ArgumentHelp(
        "Server version whose rules apply (default: the one that wrote the file).",
        valueName: "VERSION"))
    var model: MemoryModel.Version?

    @Option(help: "Allocator size classes: bundled (source builds, the default) or system.")
    var allocator: MemoryModel.Allocator = .bundled

    @Option(help: ArgumentHelp("The server's list-compress-depth.", valueName: "N"))
    var listCompressDepth: Int = 0

    @Option(name: .shortAndLong, help: "Write to FILE (atomically) instead of standard output.")
    var output: String?

    func validate() throws {
      if let top, top < 1 { throw ValidationError("--top must be at least 1.") }
      if listCompressDepth < 0 {
        throw ValidationError("--list-compress-depth cannot be negative.")
      }
    }

    func run() throws {
      guard let output else {
        try write(to: .standardOutput)
        return
      }
      let file: AtomicFile
      do {
        file = try AtomicFile(destination: FilePath(output))
      } catch {
        StandardError.report(output, "cannot create: \(error)")
        throw ExitCode.failure
      }
      try write(to: file.descriptor)
      do {
        try file.commit()
      } catch {
        StandardError.report(output, "cannot write: \(error)")
        throw ExitCode.failure
      }
    }

    private func write(to descriptor: FileDescriptor) throws {
      let writer = MemoryReportWriter(output: OutputBuffer(descriptor: descriptor), format: format)
      do {
        if let top {
          var estimator = makeEstimator(TopKeys(limit: top))
          try RDBParser().parse(path: input, into: &estimator)
          var writer = writer
          for report in estimator.consumer.largestFirst() { try writer.consume(report) }
          try writer.finish()
        } else {
          var estimator = makeEstimator(writer)
          defer { try? estimator.consumer.finish() }
          try RDBParser().parse(path: input, into: &estimator)
          try estimator.consumer.finish()
        }
      } catch {
        StandardError.report(input, InputFailure.describe(error))
        throw ExitCode.failure
      }
    }

    private func makeEstimator<C: KeyMemoryConsumer>(_ consumer: C) -> MemoryEstimator<C> {
      guard let model else {
        return MemoryEstimator(
          consumer: consumer, allocator: allocator, listCompressDepth: listCompressDepth)
      }
      return MemoryEstimator(
        consumer: consumer,
        model: MemoryModel(
          version: model, allocator: allocator, listCompressDepth: listCompressDepth))
    }
  }
}

extension MemoryReportWriter.Format: ExpressibleByArgument {}
extension MemoryModel.Version: ExpressibleByArgument {}
extension MemoryModel.Allocator: ExpressibleByArgument {}
