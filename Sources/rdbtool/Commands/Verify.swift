import ArgumentParser
import Foundation
import RDBKit
import RDBS3

extension RDBTool {
  struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "verify",
      abstract: "Check that RDB files parse completely and their checksums match.",
      usage: "rdbtool verify [<options>] <inputs> ...",
      discussion: """
        Every record and value is read and checked as a server loading the file with its \
        default configuration checks it, and the CRC-64 trailer is compared with the bytes. \
        A compressed string or packed value (listpack, ziplist, intset, quicklist or stream \
        node) is checked by its sizes and header and its bytes left to the CRC-64, which \
        proves they are the bytes the server wrote; the line says how many were. One line \
        per file: OK; OK (checksum not checked) when the writer had rdbchecksum off (a file \
        is then read again, decoding everything); CORRUPT with the reason, the byte offset \
        and the key for bad data (in a file, the first damage); UNCHECKED for a pipe or S3 \
        object without a checksum whose compressed values were therefore not checked; or \
        ERROR with what to do for an input that cannot be read, is newer than this rdbtool, \
        or is compressed with lz4, xz or bzip2 (gzip and zstd are read). Several files (the \
        shards of an export) are verified in parallel.

        --deep decompresses and walks every value, checking every element and repeat, as \
        redis-check-rdb (sanitize-dump-payload yes) does: slower on files of many packed \
        values, and it finds damage in a compressed value whose checksum was recomputed, or \
        in a pipe without a checksum.

        What a loading server accepts but no server of today writes (a stream whose stored \
        length disagrees with its entries, entries out of ID order, empty keys, which a server \
        skips) is a warning: OK with N warnings, then one line per warning with its byte \
        offset and key. --strict makes each a failure.

        An s3:// URL names one object; an s3:// prefix names every shard file of an \
        ElastiCache export (<prefix>-0001.rdb, -0002.rdb, …), streamed from S3 into the \
        parser without a temporary file.

        -o FILE writes the verdicts (or the JSON lines) to FILE instead of standard output, \
        whatever they are.

        Exits 0 when every input is valid, 1 when one is corrupt, unreadable or unchecked, 2 \
        for usage errors.

        Examples:
          rdbtool verify dump.rdb
          rdbtool verify --deep dump.rdb
          rdbtool verify my-export-0001.rdb my-export-0002.rdb
          rdbtool verify s3://backups/my-export
          rdbtool verify --json s3://backups/my-export -o verify.jsonl
          redis-cli --rdb - | rdbtool verify -
        """)

    @Argument(help: "RDB files, '-' for standard input, or s3:// URLs and export prefixes.")
    var inputs: [String]

    @Flag(
      help:
        "Write one JSON object per input instead (input, status, checksum, version, keys, left_to_checksum, reason, offset, key, warnings)."
    )
    var json = false

    @Flag(help: ArgumentHelp(InputWarning.strictHelp))
    var strict = false

    @Flag(
      help:
        "Decompress and check every value, as redis-check-rdb does, instead of leaving compressed values to the checksum."
    )
    var deep = false

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
      let deep = self.deep
      let results = ShardRunner.map(sources) { source in
        var handler = KeyCountAnalyzer()
        do {
          let summary = try source.parse(
            into: &handler, client: client, options: options.s3, quiet: quiet,
            leavingToChecksum: !deep, decodesEverything: deep)
          if strict, let first = summary.warnings.first { throw first.error }
          return VerifyResult(input: source.name, summary: summary, keys: handler.total.keys)
        } catch {
          return VerifyResult(
            input: source.name, error: error, streamed: !deep && !source.isMappable)
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
