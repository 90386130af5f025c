import ArgumentParser
import RDBKit

/// Running the parser for a command, with failures reported the rdbtool way.
enum ParseRun {
  /// Parses `source` into `handler`; on failure prints `rdbtool: INPUT: message` and exits 1.
  @discardableResult
  static func parse<H: RDBHandler>(
    _ source: InputSource, into handler: inout H, client: S3Client?, options: InputOptions,
    quiet: Bool = false
  ) throws -> ParseSummary {
    do {
      return try source.parse(
        into: &handler, client: client, options: options.s3, quiet: options.quiet || quiet)
    } catch {
      StandardError.report(source.name, InputFailure.describe(error))
      throw ExitCode.failure
    }
  }
}
