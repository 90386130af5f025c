import ArgumentParser
import RDBKit
import SystemPackage

extension RDBTool {
  struct Dump: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Convert an RDB file's keys to JSON lines.",
      discussion: """
        --format jsonl writes one JSON object per key, in file order, losslessly:
          {"db":0,"key":"k","type":"hash","encoding":"listpack","expire_ms":null,"value":{…}}
        plus "idle_s" / "freq" when the file has them. Byte strings that are valid UTF-8 are \
        JSON strings, others {"base64":"…"}; --bytes base64 writes every byte string as a \
        base64 string. The README describes every value shape.

        Keys that had expired when the file was written are dumped (they are in the file); \
        --expired skip leaves them out.

        Examples:
          rdbtool dump --format jsonl dump.rdb > dump.jsonl
          rdbtool dump --format jsonl dump.rdb -o dump.jsonl
          rdbtool dump --format jsonl --type hash --match 'user:*' dump.rdb
          rdbtool dump --format jsonl --bytes base64 --expired skip - < dump.rdb
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
      case jsonl
    }

    enum ExpiredKeys: String, ExpressibleByArgument, CaseIterable {
      case keep, skip
    }

    @Argument(help: "An RDB file, or '-' for standard input.")
    var input: String

    @Option(help: "Output format.")
    var format: Format = .jsonl

    @Option(help: "How byte strings are written: utf8 (base64 objects for the rest) or base64.")
    var bytes: ByteStringStyle = .utf8

    @Option(help: "Keys already expired when the file was written: keep or skip.")
    var expired: ExpiredKeys = .keep

    @OptionGroup var filters: FilterOptions

    @Option(name: .shortAndLong, help: "Write to FILE (atomically) instead of standard output.")
    var output: String?

    func run() throws {
      try OutputTarget.write(to: output) { descriptor in
        let writer = JSONLinesWriter(
          output: OutputBuffer(descriptor: descriptor), style: bytes,
          skipExpired: expired == .skip)
        var filter = KeyFilter(writer, selection: filters.selection)
        defer { try? filter.next.finish() }
        try ParseRun.parse(input, into: &filter)
      }
    }
  }
}

extension ByteStringStyle: ExpressibleByArgument {}
