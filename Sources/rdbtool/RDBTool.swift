import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

/// `rdbtool`: verify, inspect and convert Redis and Valkey RDB files.
@main
struct RDBTool: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rdbtool",
    abstract: "Verify, inspect and convert Redis and Valkey RDB backup files, offline.",
    discussion: """
      Every INPUT may be a path, '-' for standard input, an s3://bucket/key URL, or an \
      s3://bucket/prefix naming every shard file (<prefix>-0001.rdb, …) of an ElastiCache \
      export. gzip and zstd inputs are decompressed as they are read. S3 settings follow the \
      AWS CLI: --region, --endpoint-url, --profile, and the AWS_* environment variables and \
      ~/.aws files.

      Sizes are given as bytes or with a unit: KB, MB, GB are powers of 1000; KiB, MiB, GiB \
      (and K, M, G) powers of 1024. Reports print binary units.

      Exit status: 0 success, 1 bad data or failure, 2 usage error.

      Examples:
        rdbtool verify dump.rdb
        rdbtool info --json dump.rdb
        rdbtool stats s3://backups/my-export
        rdbtool memory --top 20 dump.rdb
        rdbtool dump --format jsonl dump.rdb -o dump.jsonl
      """,
    version: "0.1.0",
    subcommands: [
      Verify.self, Info.self, Stats.self, Report.self, Keys.self, Dump.self, Memory.self,
      Rewrite.self,
      Split.self, Merge.self, SeedCheck.self,
      Fetch.self, Export.self, S3.self,
    ])

  /// Runs the command tree; every usage error is one line on standard error and exit 2.
  static func main() {
    AllocatorSettings.apply()
    Interrupts.install()
    var arguments = Array(CommandLine.arguments.dropFirst())
    if let unknown = UsageError.unknownCommand(in: arguments, root: self) {
      StandardError.write(unknown)
      exit(withError: ExitCode(UsageError.exitStatus))
    }
    do {
      var command = try parse(&arguments)
      try command.run()
      // A command that ends while a signal's cleanup runs leaves the exit to it.
      if Interrupts.isInterrupted { Interrupts.waitForExit() }
    } catch {
      if Interrupts.isInterrupted { Interrupts.waitForExit() }
      guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
      StandardError.write(UsageError.line(message(for: error), arguments: arguments, root: self))
      exit(withError: ExitCode(UsageError.exitStatus))
    }
  }

  /// Parses `arguments`, reading a negative number after an option as its value (`--db -1`,
  /// `--expire-shift -3600000`), which swift-argument-parser alone takes for an option.
  private static func parse(_ arguments: inout [String]) throws -> any ParsableCommand {
    while true {
      do {
        return try parseAsRoot(arguments)
      } catch {
        guard
          let joined = UsageError.joiningNegativeValue(
            reportedBy: message(for: error), in: arguments)
        else { throw error }
        arguments = joined
      }
    }
  }
}
