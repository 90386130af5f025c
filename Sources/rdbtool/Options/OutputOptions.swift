import ArgumentParser
import Foundation
import SystemPackage

/// Where a command's data goes: standard output, `-o FILE` written atomically, or
/// `-o s3://bucket/key` uploaded in parts (see ``OutputTarget``).
struct OutputOptions: ParsableArguments {
  @Option(
    name: .shortAndLong,
    help: ArgumentHelp(
      "Write to FILE (atomically) or to an s3://bucket/key (a multipart upload completed only on success) instead of standard output ('-': standard output).",
      valueName: "FILE"))
  var output: String?

  /// Whether the data goes to a terminal, where a progress line would tear it.
  var writesToTerminal: Bool { (output == nil || output == "-") && isatty(STDOUT_FILENO) == 1 }

  /// Calls `body` with the descriptor to write to, then commits the file or upload if there
  /// is one; `s3` says how to reach S3 for `-o s3://…`.
  func write(s3: S3Options, _ body: (FileDescriptor) throws -> Void) throws {
    try OutputTarget.write(to: output, s3: s3, body)
  }

  /// Writes `text` to standard output, to `-o FILE` atomically, or to `-o s3://…`.
  func write(text: String, s3: S3Options) throws {
    try write(s3: s3) { descriptor in _ = try descriptor.writeAll(text.utf8) }
  }

  /// Writes `text` as ``write(text:s3:)`` does, for a command that reads no inputs: an
  /// `-o s3://…` output is reached through `connection` and `region`, in default parts.
  func write(text: String, connection: S3ConnectionOptions?, region: String?) throws {
    var s3 = try S3Options.parse([])
    s3.region = region
    if let connection { s3.connection = connection }
    try write(text: text, s3: s3)
  }
}
