import Foundation
import Testing

/// Every usage error is one line on standard error that names the problem, and exit 2.
@Suite struct UsageErrorTests {
  static let fixture = RDBToolProcess.fixture("redis-7.4.1/default.rdb")

  @Test(arguments: [
    (
      ["hello"],
      "rdbtool: unknown command 'hello'; commands: verify, info, stats, report, keys, dump,"
    ),
    (
      ["s3", "hello"],
      "rdbtool s3: unknown command 'hello'; commands: check-bucket, prepare-bucket, policy"
    ),
    (["keys", "--db", "-1", fixture], "rdbtool keys: --db takes a database number, not -1"),
    (["stats", "--top", "-3", fixture], "rdbtool stats: --top and --top-keys must be at least 1"),
    (["verify", "s3://"], "rdbtool verify: invalid S3 location: ''"),
    (["fetch", "s3://", "-o", "x"], "rdbtool fetch: invalid S3 location: ''"),
    (
      ["fetch", "s3://bucket/dump.rdb", "-o", "-"],
      "rdbtool fetch: -o takes the directory to save the files in, not '-'"
    ),
    (["verify"], "rdbtool verify: missing expected argument '<inputs> ...'"),
    (["keys", "--bogus", fixture], "rdbtool keys: unknown option '--bogus'"),
    (
      ["keys", "--type", "nosuch", fixture],
      "one of 'string', 'list', 'set', 'hash', 'stream', 'module' or 'zset'"
    ),
    (
      ["dump", "--format", "xml", fixture], "rdbtool dump: the value 'xml' is invalid for '--format"
    ),
    (
      ["memory", "--min-size", "1XB", fixture], "'1XB' is not a size: give bytes, or a number with"
    ),
  ])
  func oneLineAndExit2(_ arguments: [String], _ expected: String) throws {
    let result = try RDBToolProcess.run(arguments)
    #expect(result.status == 2, "\(arguments): \(result.stderr)")
    #expect(result.stdout.isEmpty)
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.count == 1, "\(arguments): \(result.stderr)")
    #expect(result.stderr.contains(expected), "\(arguments): \(result.stderr)")
    #expect(!result.stderr.contains("Usage:") && !result.stderr.contains("Error:"))
    let pointers = result.stderr.components(separatedBy: "--help").count - 1
    #expect(pointers <= 1, "one pointer to help at most")
  }

  /// Every command, the newest included, answers a usage error the same way: one line that
  /// starts with its name, nothing on standard output, exit 2.
  @Test(arguments: HelpTextTests.commands.filter { !$0.isEmpty })
  func everyCommandAnswersAUsageErrorInOneLine(_ command: [String]) throws {
    let result = try RDBToolProcess.run(command + ["--no-such-option", "x"])
    #expect(result.status == 2, "\(command): \(result.stderr)")
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.split(separator: "\n").count == 1, "\(command): \(result.stderr)")
    #expect(
      result.stderr.hasPrefix("rdbtool \(command.joined(separator: " ")): "),
      "\(command): \(result.stderr)")
  }

  @Test func helpAndVersionAreNotErrors() throws {
    for arguments in [["--help"], ["help", "keys"], ["keys", "--help"], ["--version"]] {
      let result = try RDBToolProcess.run(arguments)
      #expect(result.status == 0, "\(arguments)")
      #expect(!result.stdout.isEmpty && result.stderr.isEmpty, "\(arguments)")
    }
  }

  /// A negative number after an option is its value, as `--opt=-N` would be.
  @Test func aNegativeValueIsTheOptionsValue() throws {
    let spaced = try RDBToolProcess.run([
      "dump", "--format", "resp", "--expire-shift", "-3600000", Self.fixture,
    ])
    let joined = try RDBToolProcess.run([
      "dump", "--format", "resp", "--expire-shift=-3600000", Self.fixture,
    ])
    #expect(spaced.status == 0, "\(spaced.stderr)")
    #expect(spaced.stdout == joined.stdout && !spaced.stdout.isEmpty)
  }

  @Test func aGoodCommandIsNotAUsageError() throws {
    let result = try RDBToolProcess.run(["keys", "--db", "1", Self.fixture])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.split(separator: "\n").count == 10)
  }
}
