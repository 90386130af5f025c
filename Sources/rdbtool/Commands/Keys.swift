import ArgumentParser
import Foundation
import RDBKit
import SystemPackage

extension RDBTool {
  struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "keys",
      abstract: "List key names, one per line, without decoding values.",
      discussion: """
        Writes each key name's bytes followed by a newline, in file order. Values are stepped \
        over without being decoded, so this runs at close to the speed of reading the file. \
        Names that contain a newline are written as they are: -0 ends each name with a NUL \
        byte instead, as `find -print0` does, for `xargs -0`.

        Examples:
          rdbtool keys dump.rdb | wc -l
          rdbtool keys --match 'session:*' --expiry live dump.rdb
          rdbtool keys --db 0 --type hash dump.rdb -o hashes.txt
          rdbtool keys s3://backups/my-export > all-keys.txt
          rdbtool keys -0 --match 'tmp:*' dump.rdb | xargs -0 -n 100 redis-cli DEL
        """)

    @Argument(help: "RDB files, '-' for standard input, or s3:// URLs and export prefixes.")
    var inputs: [String]

    @Flag(
      name: [.customShort("0"), .customLong("null")],
      help: "End each name with a NUL byte instead of a newline.")
    var nullTerminated = false

    @OptionGroup var filters: FilterOptions

    @OptionGroup var emptyKeys: EmptyKeyOptions

    @OptionGroup var destination: OutputOptions

    @OptionGroup var options: InputOptions

    func run() throws {
      let (sources, client) = try InputSource.resolve(inputs, s3: options.s3)
      let selection = emptyKeys.applied(to: filters.selection)
      try destination.write(s3: options.s3) { descriptor in
        let output = OutputBuffer(descriptor: descriptor)
        var lister = KeyFilter(
          KeyNameWriter(output: output, terminator: nullTerminated ? 0 : UInt8(ascii: "\n")),
          selection: selection)
        for source in sources {
          // The names read before a failure are written, then its message.
          try ParseRun.parse(
            source, into: &lister, client: client, options: options,
            quiet: destination.writesToTerminal, selection: selection, flushingOnFailure: output)
        }
        try output.flush()
      }
    }
  }
}
