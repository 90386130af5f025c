import ArgumentParser
import RDBKit

extension RDBTool {
  struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check that RDB files parse completely and their checksums match.",
      discussion: """
        Every value is decoded and every inner structure checked, as a server loading the \
        file would, and the CRC-64 trailer is compared with the bytes. One line per file:
        OK, OK (checksum not checked) when the writer had rdbchecksum off, or CORRUPT with
        the reason, the byte offset and the key.

        Exits 0 when every input is valid, 1 when one is corrupt or unreadable, 2 for usage \
        errors.

        Examples:
          rdbtool verify dump.rdb
          rdbtool verify my-export-0001.rdb my-export-0002.rdb
          redis-cli --rdb - | rdbtool verify -
        """)

    @Argument(help: "RDB files, or '-' for standard input.")
    var inputs: [String]

    @Flag(name: .shortAndLong, help: "Print only failures and the summary, and no progress bar.")
    var quiet = false

    func validate() throws {
      guard !inputs.isEmpty else { throw ValidationError("Give at least one file to verify.") }
      guard inputs.filter({ $0 == "-" }).count <= 1 else {
        throw ValidationError("'-' (standard input) can be given only once.")
      }
    }

    func run() throws {
      var good = 0
      for input in inputs {
        var handler = KeyCountAnalyzer()
        let progress = ParseProgress()
        let bar = ProgressBar(progress, label: input, quiet: quiet)
        let outcome: Result<ParseSummary, any Error>
        do {
          outcome = .success(try RDBParser(progress: progress).parse(path: input, into: &handler))
        } catch {
          outcome = .failure(error)
        }
        bar?.stop()
        do {
          let summary = try outcome.get()
          good += 1
          if !quiet {
            let keys = handler.total.keys
            let status = summary.checksum == .notChecked ? "OK (checksum not checked)" : "OK"
            print("\(input): \(status), \(summary.version), \(keys) key\(keys == 1 ? "" : "s")")
          }
        } catch {
          print("\(input): \(InputFailure.verdict(error)): \(InputFailure.describe(error))")
        }
      }
      if inputs.count > 1 || quiet {
        print("\(inputs.count) files: \(good) OK, \(inputs.count - good) failed")
      }
      if good != inputs.count { throw ExitCode.failure }
    }
  }
}
