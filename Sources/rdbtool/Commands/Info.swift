import ArgumentParser
import Foundation
import RDBKit

extension RDBTool {
  struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Show an RDB file's version, metadata, functions and key counts.",
      discussion: """
        Reads the whole file (verifying it on the way) and reports the RDB version, every AUX \
        field (server version, save time, memory in use, replication ids …), function \
        libraries, module data, and keys per database, type and encoding, with how many have \
        a TTL and how many had already expired when the file was written.

        Examples:
          rdbtool info dump.rdb
          rdbtool info --json dump.rdb | jq .databases
        """)

    @Argument(help: "An RDB file, or '-' for standard input.")
    var input: String

    @Flag(help: "Write one JSON object instead of text.")
    var json = false

    @Flag(name: .shortAndLong, help: "Show no progress bar (one is drawn only on a terminal).")
    var quiet = false

    func run() throws {
      var info = FileInfo()
      let summary = try ParseRun.parse(input, into: &info, quiet: quiet)
      let report = InfoReport(file: input, info: info, summary: summary)
      if json {
        print(try report.jsonText())
      } else {
        print(report.text(), terminator: "")
      }
    }
  }
}
