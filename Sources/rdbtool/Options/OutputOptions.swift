import ArgumentParser
import Foundation
import SystemPackage

/// Where a command's data goes: standard output, or `-o FILE` written atomically.
struct OutputOptions: ParsableArguments {
  @Option(
    name: .shortAndLong,
    help: "Write to FILE (atomically) instead of standard output ('-': standard output).")
  var output: String?

  /// Whether the data goes to a terminal, where a progress line would tear it.
  var writesToTerminal: Bool { (output == nil || output == "-") && isatty(STDOUT_FILENO) == 1 }

  /// Calls `body` with the descriptor to write to, then commits the file if there is one.
  func write(_ body: (FileDescriptor) throws -> Void) throws {
    try OutputTarget.write(to: output, body)
  }

  /// Writes `text` to standard output, or to `-o FILE` atomically.
  func write(text: String) throws {
    try write { descriptor in _ = try descriptor.writeAll(text.utf8) }
  }
}
