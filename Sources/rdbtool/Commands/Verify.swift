import ArgumentParser
import Foundation
import RDBKit
import RDBS3

extension RDBTool {
  struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check that RDB files parse completely and their checksums match.",
      usage: "rdbtool verify [<options>] <inputs> ...",
      discussion: """
        Every value is decoded and every inner structure checked, as a server loading the \
        file would, and the CRC-64 trailer is compared with the bytes. One line per file: \
        OK; OK (checksum not checked) when the writer had rdbchecksum off; CORRUPT with the \
        reason, the byte offset and the key for bad data; or ERROR with what to do for an \
        input that cannot be read, is newer than this rdbtool, or is compressed with lz4, xz \
        or bzip2 (gzip and zstd are read). Several files (the shards of an export) are \
        verified in parallel.

        What a loading server accepts but no server of today writes (a stream whose stored \
        length disagrees with its entries, entries out of ID order, empty keys, which a server \
        skips) is a warning: OK with N warnings, then one line per warning with its byte \
        offset and key. --strict makes each a failure.

        An s3:// URL names one object; an s3:// prefix names every shard file of an \
        ElastiCache export (<prefix>-0001.rdb, -0002.rdb, …), streamed from S3 into the \
        parser without a temporary file.

        -o FILE writes the verdicts (or the JSON lines) to FILE instead of standard output, \
        whatever they are.

        Exits 0 when every input is valid, 1 when one is corrupt or unreadable, 2 for usage \
        errors.

        Examples:
          rdbtool verify dump.rdb
          rdbtool verify my-export-0001.rdb my-export-0002.rdb
          rdbtool verify s3://backups/my-export
          rdbtool verify --json s3://backups/my-export -o verify.jsonl
          redis-cli --rdb - | rdbtool verify -
        """)

    @Argument(help: "RDB files, '-' for standard input, or s3:// URLs and export prefixes.")
    var inputs: [String]

    @Flag(
      help:
        "Write one JSON object per input instead (input, status, checksum, version, keys, reason, offset, key, warnings)."
    )
    var json = false

    @Flag(help: ArgumentHelp(InputWarning.strictHelp))
    var strict = false

    @OptionGroup var options: InputOptions

    @OptionGroup var destination: OutputOptions

    func validate() throws {
      guard !inputs.isEmpty else { throw ValidationError("Give at least one file to verify.") }
      guard inputs.filter({ $0 == "-" }).count <= 1 else {
        throw ValidationError("'-' (standard input) can be given only once.")
      }
    }

    func run() throws {
      let (sources, client) = try InputSource.resolve(inputs, s3: options.s3)
      let options = self.options
      let quiet = options.quiet
      let strict = self.strict
      let results = ShardRunner.map(sources) { source in
        var handler = KeyCountAnalyzer()
        do {
          let summary = try source.parse(
            into: &handler, client: client, options: options.s3, quiet: quiet)
          if strict, let first = summary.warnings.first { throw first.error }
          return VerifyResult(input: source.name, summary: summary, keys: handler.total.keys)
        } catch {
          return VerifyResult(input: source.name, error: error)
        }
      }
      let good = results.filter(\.isOK).count
      var lines: [String] = []
      if json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for result in results {
          lines.append(String(decoding: try encoder.encode(result), as: UTF8.self))
        }
      } else {
        for result in results where !result.isOK || !options.quiet { lines.append(result.line) }
        if sources.count > 1 || options.quiet {
          lines.append("\(sources.count) files: \(good) OK, \(sources.count - good) failed")
        }
      }
      try destination.write(text: lines.map { $0 + "\n" }.joined(), s3: options.s3)
      if good != sources.count { throw ExitCode.failure }
    }
  }
}
