import ArgumentParser
import Foundation
import RDBKit
import SystemPackage

/// Parses a new RDB file again (every structure and the checksum) while it is being written,
/// on a thread of its own that follows the writer, so that on two cores the check costs
/// little time beyond the write. ``check(expecting:)`` waits for it and compares the key
/// count with what was written. Released unchecked (the write failed), it stops the reader.
final class ReadBack {
  /// What the reading thread shares with its owner.
  private final class Reader: @unchecked Sendable {
    let progress = GrowingFileInput.Progress()
    let done = DispatchSemaphore(value: 0)
    /// The keys the parse counted, or why it failed; written before `done` is signalled.
    var outcome: Result<Int, any Error> = .success(0)

    func parse(_ path: String) throws -> Int {
      let descriptor = try FileDescriptor.open(FilePath(path), .readOnly)
      defer { try? descriptor.close() }
      var count = KeyCountAnalyzer()
      try RDBParser().parse(
        input: GrowingFileInput(descriptor: descriptor, progress: progress), into: &count)
      return count.total.keys
    }
  }

  private let destination: String
  private let reader = Reader()
  private var finished = false

  /// Starts following the file being written at `path` (named `destination` in messages).
  init(path: String, destination: String) {
    self.destination = destination
    let thread = Thread { [reader] in
      reader.outcome = Result { try reader.parse(path) }
      reader.done.signal()
    }
    thread.name = "read-back"
    thread.start()
  }

  /// Tells the reader the file is complete, waits for it, and checks it read back with
  /// `keys` keys.
  ///
  /// - Throws: `ExitCode.failure` (after saying why) when it did not.
  func check(expecting keys: Int) throws {
    try Self.check(finish(), expecting: keys, destination: destination)
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

  /// Ends the reader (the writer is done or gave up) and waits for it.
  @discardableResult
  private func finish() -> Result<Int, any Error> {
    if !finished {
      reader.progress.finish()
      reader.done.wait()
      finished = true
    }
    return reader.outcome
  }

  deinit { finish() }
}
