import ArgumentParser
import Foundation
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

    @Flag(name: .shortAndLong, help: "Show no progress bar (one is drawn only on a terminal).")
    var quiet = false

    /// Data is going to a terminal: a progress line there would tear it.
    private var writesToTerminal: Bool { output == nil && isatty(STDOUT_FILENO) == 1 }

    func run() throws {
      try OutputTarget.write(to: output) { descriptor in
        var lister = KeyFilter(KeyNameWriter(output: OutputBuffer(descriptor: descriptor)), selection: filters.selection)
        try ParseRun.parse(input, into: &lister, quiet: quiet || writesToTerminal)
        try lister.next.output.flush()
      }
    }
  }
}
