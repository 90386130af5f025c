import ArgumentParser
import RDBKit
import RDBS3

/// Running the parser for a command, with failures reported the rdbtool way.
enum ParseRun {
  /// Parses `source` into `handler`; on failure writes what `flushingOnFailure` holds, then
  /// prints `rdbtool: INPUT: message` (after that output where both go to one place, as with
  /// `2>&1`) and exits 1. With a `selection` that leaves out empty keys, says how many there
  /// were.
  @discardableResult
  static func parse<H: RDBHandler>(
    _ source: InputSource, into handler: inout H, client: S3Client?, options: InputOptions,
    quiet: Bool = false, selection: KeySelection? = nil,
    flushingOnFailure output: OutputBuffer? = nil
  ) throws -> ParseSummary {
    do {
      let summary = try source.parse(
        into: &handler, client: client, options: options.s3, quiet: options.quiet || quiet)
      if let selection { EmptyKeyOptions.note(summary, input: source.name, selection: selection) }
      return summary
    } catch {
      try? output?.flush()
      StandardError.report(source.name, InputFailure.describe(error))
      throw ExitCode.failure
    }
  }
}
