import ArgumentParser
import Foundation
import RDBKit
import RDBS3
import SystemPackage

/// One input rewritten into one output file: parse through the filter into the writer, check
/// what was lost, parse the new file again (``ReadBack``), then rename it into place.
struct RewriteJob {
  let source: InputSource
  /// The output path, or `-` for standard output.
  let destination: String
  let options: RDBWriter.Options
  let selection: KeySelection
  /// What to do with a key name two databases share in the output; nil: no check.
  let duplicatePolicy: DuplicateKeyPolicy?
  let allowLoss: Bool
  let client: S3Client?
  let input: InputOptions

  /// Runs the rewrite; prints the loss report and a summary to standard error.
  ///
  /// - Returns: the report, with `written` false when losses stopped it.
  /// - Throws: `ExitCode.failure` (after printing why) when the input or output fails.
  func run() throws -> RewriteReport {
    let duplicates = try DuplicateKeyPlanning.check(
      policy: duplicatePolicy, sources: [source], options: options, selection: selection,
      client: client, input: input)
    if destination == "-" {
      return try write(to: .standardOutput, readBack: nil, duplicates: duplicates)
    }
    let file = try OutputTarget.create(
      destination, s3: input.s3, client: client, parsing: true)
    let report = try write(
      to: file.descriptor, readBack: file.readsBack ? file : nil, duplicates: duplicates)
    guard report.written else { return report }
    try OutputTarget.commit(file)
    return report
  }

  /// Writes the new file to `descriptor`, leaving out what `duplicates` says, while
  /// `readBack` (nil for standard output) parses it again.
  private func write(
    to descriptor: FileDescriptor, readBack: PendingFile?, duplicates: DuplicateKeys?
  ) throws -> RewriteReport {
    // Written on a thread of its own: the kernel's copy into the page cache (slow on some
    // virtual machines, where a new page costs the host a fault) leaves the parse alone. A
    // rewrite that keeps the input's version copies its values: in blocks of 1 MiB, a quarter
    // of the default's hand-offs to that thread and writes. One that re-encodes keeps the
    // default blocks, which the compressing thread hands over in step with the parse (with
    // 1 MiB blocks, aggregates to Redis 6.2 took 2-4 % longer).
    let buffer =
      options.target == nil
      ? OutputBuffer(descriptor: descriptor, blockSize: 1 << 20, writesInBackground: true)
      : OutputBuffer(descriptor: descriptor, writesInBackground: true)
    // Re-encoded values are compressed on the second core, beside the parse.
    var options = options
    options.compressesInBackground = true
    var filter = KeyFilter(
      DatasetMerger(RDBWriter(output: buffer, options: options), duplicates: duplicates),
      selection: selection)
    try ParseRun.parse(source, into: &filter, client: client, options: input)
    do {
      try filter.next.next.finish()
    } catch {
      StandardError.report(destination, "\(error)")
      throw ExitCode.failure
    }
    let writer = filter.next.next
    var losses = writer.losses
    losses.merge(filter.next.duplicates?.losses ?? LossReport())
    var report = RewriteReport(
      input: source.name, output: destination, target: writer.engine,
      keysWritten: writer.keysWritten, bytesWritten: writer.byteCount, losses: losses)
    if losses.isBlocking, !allowLoss, readBack != nil {
      StandardError.report(
        source.name,
        "\(writer.engine.server) (\(writer.engine.version)) cannot hold everything in this file; "
          + "nothing written:")
      StandardError.writeRaw(report.lossText)
      StandardError.write("rdbtool: --allow-loss writes the file without what is listed.")
      return report
    }
    try readBack?.checkReadBack(expecting: writer.keysWritten)
    report.written = !losses.isBlocking || allowLoss
    if !losses.isEmpty {
      StandardError.report(source.name, "written without:")
      StandardError.writeRaw(report.lossText)
    }
    if !input.quiet, readBack != nil {
      StandardError.write(
        "rdbtool: \(source.name) -> \(destination): \(writer.keysWritten) keys, "
          + "\(writer.engine.version) for \(writer.engine.server), \(writer.byteCount) bytes")
    }
    return report
  }
}
