import ArgumentParser
import Foundation
import RDBKit
import RDBS3
import SystemPackage

/// Reads inputs for `stats` and `report`: one analysis per file, in parallel, each made into
/// a ``StatsSummary`` and then merged in input order, as `stats --merge` merges them.
enum StatsAnalysis {
  /// The merged summary of `inputs`, or of the `stats --json` documents `inputs` name when
  /// `fromSummaries` is set. Each input that fails is reported on stderr; the result covers
  /// the others (nil when none is left).
  static func run(
    _ inputs: [String], fromSummaries: Bool, analysis: AnalysisOptions,
    memory: MemoryModelOptions, selection: KeySelection, options: InputOptions
  ) throws -> (summary: StatsSummary?, failed: Bool) {
    if fromSummaries { return merge(documents: inputs) }
    let (sources, client) = try InputSource.resolve(inputs, s3: options.s3)
    let parts = analyze(
      sources, client: client, analysis: analysis, memory: memory, selection: selection,
      options: options)
    if parts.count < sources.count {
      let reported = Set(parts.flatMap { $0.files.map(\.name) })
      let skipped = sources.map(\.name).filter { !reported.contains($0) }
      StandardError.write(
        "rdbtool: skipped \(skipped.joined(separator: ", ")); "
          + (parts.isEmpty ? "nothing to report." : "the report covers the other inputs."))
    }
    guard !parts.isEmpty else { return (nil, true) }
    do {
      return (try StatsSummary.merged(parts), parts.count != sources.count)
    } catch {
      StandardError.write("rdbtool: cannot merge: \(error)")
      return (nil, true)
    }
  }

  /// The `stats --json` documents at `paths` merged in order, each read when its turn comes
  /// (one document and the running result in memory). A document that cannot be read is
  /// reported and left out; one that cannot be merged stops the merge.
  private static func merge(documents paths: [String]) -> (summary: StatsSummary?, failed: Bool) {
    var merger: StatsSummary.Merger?
    var failed = false
    for path in paths {
      do {
        let document = try read(path)
        if merger == nil {
          merger = try StatsSummary.Merger(document)
        } else {
          try merger?.add(document)
        }
      } catch let error as StatsSummary.MergeError {
        StandardError.write("rdbtool: cannot merge \(path): \(error)")
        return (nil, true)
      } catch {
        StandardError.report(path, InputFailure.describe(error))
        failed = true
      }
    }
    return (merger?.result, failed)
  }

  /// One summary per input that could be read, in input order.
  private static func analyze(
    _ sources: [InputSource], client: S3Client?, analysis: AnalysisOptions,
    memory: MemoryModelOptions, selection: KeySelection, options: InputOptions
  ) -> [StatsSummary] {
    let settings = analysis.settings
    return ShardRunner.mapReportingFailures(sources) { source in
      // --as-loaded converts values by their elements; otherwise packed values are counted
      // from their headers (StatsAnalyzer.needsLargestElementLength).
      if memory.asLoaded {
        return try summarize(
          source, memory.estimator(ReadingPackedElements(analysis.analyzer)), \.next,
          client: client, settings: settings, memory: memory, selection: selection,
          options: options)
      }
      return try summarize(
        source, memory.estimator(analysis.analyzer), \.self, client: client,
        settings: settings, memory: memory, selection: selection, options: options)
    }
  }

  /// One input's summary, estimated by `estimator`, whose consumer's `analyzer` path leads
  /// to the stats analyzer.
  private static func summarize<C: KeyMemoryConsumer>(
    _ source: InputSource, _ estimator: MemoryEstimator<SizeFilter<C>>,
    _ analyzer: KeyPath<C, StatsAnalyzer>, client: S3Client?, settings: StatsSummary.Settings,
    memory: MemoryModelOptions, selection: KeySelection, options: InputOptions
  ) throws -> StatsSummary {
    var handler = KeyFilter(estimator, selection: selection)
    let summary = try source.parse(
      into: &handler, client: client, options: options.s3, quiet: options.quiet)
    EmptyKeyOptions.note(summary, input: source.name, selection: selection)
    let model = handler.next.model
    let file = StatsSummary.File(
      name: source.name, fileBytes: summary.byteCount, keys: 0, bytes: 0,
      memoryModel: MemoryModelNote.name(model.version), rdbVersion: summary.version.number,
      server: handler.next.writer, snapshotTime: nil, slots: [])
    return StatsSummary(
      handler.next.consumer.next[keyPath: analyzer], file: file, settings: settings,
      model: StatsSummary.Model(
        allocator: model.allocator.rawValue,
        note: MemoryModelNote.line([model], options: memory)))
  }

  /// A `stats --json` document, from the file at `path` or from standard input (`-`).
  static func read(_ path: String) throws -> StatsSummary {
    let data = path == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try contents(of: path)
    do {
      return try JSONDecoder().decode(StatsSummary.self, from: data)
    } catch let error as DecodingError {
      throw StatsInputError(
        message: "not a stats --json document (format_version "
          + "\(StatsSummary.currentFormatVersion)): \(describe(error))")
    }
  }

  /// The bytes of the file at `path`. A file that cannot be opened throws its `Errno`, which
  /// ``InputFailure`` words as it does for an RDB input ("cannot open: no such file").
  private static func contents(of path: String) throws -> Data {
    let descriptor = try FileDescriptor.open(FilePath(path), .readOnly)
    defer { try? descriptor.close() }
    guard !MappedFile.isDirectory(descriptor) else {
      throw StatsInputError(message: "is a directory: give the stats --json documents in it")
    }
    return try FileHandle(fileDescriptor: descriptor.rawValue).readToEnd() ?? Data()
  }

  private static func describe(_ error: DecodingError) -> String {
    switch error {
    case .keyNotFound(let key, let context):
      "no \(path(context.codingPath + [key]))"
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
      "unexpected value at \(path(context.codingPath))"
    case .dataCorrupted(let context):
      context.codingPath.isEmpty ? "not JSON" : "bad value at \(path(context.codingPath))"
    @unknown default: "unreadable"
    }
  }

  private static func path(_ keys: [any CodingKey]) -> String {
    keys.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
  }
}

/// A `stats --json` document that cannot be read.
struct StatsInputError: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}
