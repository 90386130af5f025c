import ArgumentParser
import RDBKit
import SystemPackage

extension RDBTool {
  struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List key names, one per line, without decoding values.",
      discussion: """
        Writes each key name's bytes followed by a newline, in file order. Values are stepped \
        over without being decoded, so this runs at close to the speed of reading the file. \
        Names that contain a newline are written as they are; use `dump --format jsonl` when \
        you need an unambiguous form.

        Examples:
          rdbtool keys dump.rdb | wc -l
          rdbtool keys --match 'session:*' --expiry live dump.rdb
          rdbtool keys --db 0 --type hash dump.rdb -o hashes.txt
        """)

    @Argument(help: "An RDB file, or '-' for standard input.")
    var input: String

    @OptionGroup var filters: FilterOptions

    @Option(name: .shortAndLong, help: "Write to FILE (atomically) instead of standard output.")
    var output: String?

    func run() throws {
      try OutputTarget.write(to: output) { descriptor in
        var lister = KeyFilter(KeyNameWriter(output: OutputBuffer(descriptor: descriptor)), selection: filters.selection)
        try ParseRun.parse(input, into: &lister)
        try lister.next.output.flush()
      }
    }
  }
}
