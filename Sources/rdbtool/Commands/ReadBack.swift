import ArgumentParser
import Foundation
import RDBKit
import SystemPackage

/// Parses a new RDB file again (every structure and the checksum) while it is written, on a
/// thread of its own that follows the growing file (``GrowingFileInput``), and compares its
/// key count with what was written once the writer is done. Compressed strings and
/// compressed packed values are left to the checksum, as `verify` leaves them in a mapped
/// file, their lengths and headers checked (a file written without a checksum is parsed
/// again whole, decompressing them, once it is finished).
///
/// What that proves: the file on disk is, byte for byte, what the writer produced (the
/// CRC-64 over every byte read back matches the one the writer computed as it wrote), every
/// record and uncompressed value parses, and the key count is right. A compressed value is
/// not decompressed here: one copied from the input was vouched for by the input's own
/// checksum, one the writer built was compressed by liblzf from the writer's own encoding.
final class ReadBack {
  private let path: String
  private let destination: String
  private let writer = WriteProgress()
  private let parsed = ParseOutcome()

  /// Starts reading back the file being written at `path` (named `destination` in messages).
  ///
  /// - Throws: `Errno` when the file cannot be opened.
  init(path: String, destination: String) throws {
    self.path = path
    self.destination = destination
    let descriptor = try FileDescriptor.open(FilePath(path), .readOnly)
    let input = GrowingFileInput(descriptor: descriptor, writer: writer)
    let parsed = parsed
    let thread = Thread {
      defer { try? descriptor.close() }
      parsed.set(
        Result { () throws(RDBError) -> (Int, ParseSummary) in
          var count = KeyCount()
          var parser = RDBParser()
          parser.hashesLargeValues = true
          let summary = try parser.parse(
            input: input, leavingStringsToChecksum: true, leavingPackedValuesToChecksum: true,
            into: &count)
          return (count.keys, summary)
        })
    }
    thread.start()
  }

  deinit { writer.abandon() }

  /// Waits for the parse of the finished file and checks it read back with `keys` keys.
  ///
  /// - Throws: `ExitCode.failure` (after saying why) when it did not.
  func check(expecting keys: Int) throws {
    writer.finish()
    let outcome = Result<Int, any Error> {
      let (counted, summary) = try parsed.wait().get()
      guard summary.uncheckedStrings > 0 || summary.uncheckedPackedValues > 0,
        summary.checksum == .notChecked
      else { return counted }
      var count = KeyCount()
      try RDBParser().parse(path: path, into: &count)
      return count.keys
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

/// Counts the keys of a file read back: every value decoded as `verify` decodes it (string
/// values and elements not reported, compressed ones left to the checksum), empty aggregates
/// (which a loading server skips) not counted, and plain string records
/// (``RDBHandler/plainStrings(_:database:)``) counted as the parser hands them over,
/// which checks their bounds as it would in their general events.
struct KeyCount: RDBHandler {
  static var needsStringValues: Bool { false }
  static var needsElements: Bool { false }
  static var restartsCleanly: Bool { true }
  static var takesPlainStrings: Bool { true }

  private(set) var keys = 0
  private var counts = false

  mutating func beginKey(_ key: RawSpan, info: KeyInfo) throws(RDBError) -> KeyDecision {
    counts = !info.isEmptyAggregate
    return .decode
  }

  mutating func endKey(_ summary: KeySummary) throws(RDBError) {
    if counts { keys &+= 1 }
    counts = false
  }

  mutating func plainStrings(_ run: PlainStringRun, database: Int) throws(RDBError) -> Int {
    keys &+= run.count
    return run.count
  }
}
