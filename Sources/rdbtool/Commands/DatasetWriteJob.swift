import ArgumentParser
import Foundation
import RDBKit
import RDBS3
import SystemPackage

/// Several inputs read as one dataset into one or more new RDB files (`split`, `merge`):
/// every input is parsed in turn through the key filter and a ``DatasetMerger`` into the
/// writing handler; then each new file is parsed again (``ReadBack``, or the upload's own
/// parse of its bytes for `s3://`); when nothing blocking was lost and every file read
/// back, all are renamed into place (or their uploads completed). On any failure every
/// temporary file is removed and every upload aborted, so no output appears.
struct DatasetWriteJob {
  let sources: [InputSource]
  let destinations: [String]
  let options: RDBWriter.Options
  let selection: KeySelection
  /// What to do with a key name two inputs or databases share; nil: no check.
  let duplicatePolicy: DuplicateKeyPolicy?
  let allowLoss: Bool
  let client: S3Client?
  let input: InputOptions

  /// Writes the files through the handler `makeHandler` builds from one writer per file.
  ///
  /// - Returns: one report per file, with `written` false when losses stopped the run.
  /// - Throws: `ExitCode.failure` (after printing why) when an input or an output fails.
  func run<Handler: FileWriting>(_ makeHandler: ([RDBWriter]) -> Handler) throws
    -> [RewriteReport]
  {
    let duplicates = try DuplicateKeyPlanning.check(
      policy: duplicatePolicy, sources: sources, options: options, selection: selection,
      client: client, input: input)
    let files = try createFiles()
    let writers = files.map { file in
      RDBWriter(output: OutputBuffer(descriptor: file.descriptor), options: options)
    }
    var filter = KeyFilter(
      DatasetMerger(makeHandler(writers), duplicates: duplicates), selection: selection)
    for source in sources {
      try ParseRun.parse(source, into: &filter, client: client, options: input)
    }
    do {
      try filter.next.next.finishFiles()
    } catch {
      StandardError.report(destinations[0], "\(error)")
      throw ExitCode.failure
    }
    let written = filter.next.next.fileWriters
    let inputNames = sources.map(\.name).joined(separator: ", ")
    var reports = zip(destinations, written).map { destination, writer in
      RewriteReport(
        input: inputNames, output: destination, target: writer.engine,
        keysWritten: writer.keysWritten, bytesWritten: writer.byteCount, losses: writer.losses)
    }
    // Duplicates are left out in front of the writers: with one file they are its losses,
    // with several they count in the total only (both copies of a key are in one shard).
    let duplicateLosses = filter.next.duplicates?.losses ?? LossReport()
    if reports.count == 1 { reports[0].losses.merge(duplicateLosses) }
    var losses = duplicateLosses
    for writer in written { losses.merge(writer.losses) }
    let lossText = RewriteReport(
      input: inputNames, output: "", target: written[0].engine, keysWritten: 0, bytesWritten: 0,
      losses: losses
    ).lossText
    // Standard output has the file already; its report says what it was written without.
    if losses.isBlocking, !allowLoss, files.allSatisfy(\.readsBack) {
      let engine = written[0].engine
      StandardError.report(
        inputNames,
        "\(engine.server) (\(engine.version)) cannot hold everything in these inputs; "
          + "nothing written:")
      StandardError.writeRaw(lossText)
      StandardError.write("rdbtool: --allow-loss writes the files without what is listed.")
      return reports
    }
    for (file, writer) in zip(files, written) {
      try file.checkReadBack(expecting: writer.keysWritten)
    }
    for file in files { try OutputTarget.commit(file) }
    for index in reports.indices { reports[index].written = !losses.isBlocking || allowLoss }
    if !losses.isEmpty {
      StandardError.report(inputNames, "written without:")
      StandardError.writeRaw(lossText)
    }
    if !input.quiet {
      for report in reports {
        StandardError.write(
          "rdbtool: -> \(report.output): \(report.keysWritten) keys, "
            + "\(report.target.version) for \(report.target.server), \(report.bytesWritten) bytes")
      }
    }
    return reports
  }

  /// The pending outputs: temporary files (in a directory created when missing) or uploads.
  private func createFiles() throws -> [PendingFile] {
    var files: [PendingFile] = []
    var client = self.client
    for destination in destinations {
      if OutputTarget.isS3(destination), client == nil {
        do {
          client = try input.s3.client()
        } catch {
          StandardError.report(destination, "cannot create: \(error)")
          throw ExitCode.failure
        }
      }
      files.append(
        try OutputTarget.create(destination, s3: input.s3, client: client, parsing: true))
    }
    return files
  }
}
