import ArgumentParser
import RDBKit

/// Parses a new RDB file again (every structure and the checksum) once it is written, and
/// compares its key count with what was written. The file is mapped, so compressed strings
/// are left to the checksum as `verify` leaves them: following the file on a second thread
/// while it was written meant reading it sequentially, which decompresses every string, and
/// measured 1.5 times slower in all (2.63 s against 1.74 s for a 1.2 GB rewrite).
final class ReadBack {
  private let path: String
  private let destination: String

  /// Reads back the file being written at `path` (named `destination` in messages) when
  /// ``check(expecting:)`` is called.
  init(path: String, destination: String) {
    self.path = path
    self.destination = destination
  }

  /// Parses the finished file and checks it read back with `keys` keys.
  ///
  /// - Throws: `ExitCode.failure` (after saying why) when it did not.
  func check(expecting keys: Int) throws {
    let outcome = Result<Int, any Error> {
      var count = KeyCountAnalyzer()
      try RDBParser().parse(path: path, into: &count)
      return count.total.keys
    }
    try Self.check(outcome, expecting: keys, destination: destination)
  }

  /// Checks that a parse of the file written to `destination` counted `keys` keys (an
  /// upload's parse of its bytes comes here too).
  ///
  /// - Throws: `ExitCode.failure` (after saying why) when it did not.
  static func check(_ outcome: Result<Int, any Error>, expecting keys: Int, destination: String)
    throws
  {
    let counted: Int
    do {
      counted = try outcome.get()
    } catch {
      StandardError.report(destination, "the written file does not read back: \(error)")
      throw ExitCode.failure
    }
    guard counted == keys else {
      StandardError.report(
        destination, "the written file has \(counted) keys, \(keys) were written")
      throw ExitCode.failure
    }
  }
}
