import ArgumentParser
import Foundation
import RDBKit
import RDBS3
import SystemPackage

/// Where a command's output goes: standard output (no `-o`, or `-o -`), an `-o FILE` written
/// atomically, or an `-o s3://bucket/key` uploaded in parts: either way the output appears,
/// complete, only when the command succeeds. Every command that writes files goes through
/// here or through ``PendingFile``, so each one takes `s3://` the same way.
enum OutputTarget {
  /// Calls `body` with the descriptor to write to, then commits the file or upload if there
  /// is one; `s3` says how to reach S3 for an `s3://` destination.
  static func write(to path: String?, s3: S3Options, _ body: (FileDescriptor) throws -> Void)
    throws
  {
    guard let path, path != "-" else { return try body(.standardOutput) }
    let file = try create(path, s3: s3, client: nil)
    try body(file.descriptor)
    try commit(file)
  }

  /// Creates the pending output for `destination` (a temporary file, or an upload that
  /// parses what it sends when `parsing`), making a missing local directory; uses `client`
  /// for `s3://`, or a new one from `s3`.
  /// - Throws: `ExitCode.failure` after printing why.
  static func create(_ destination: String, s3: S3Options, client: S3Client?, parsing: Bool = false)
    throws -> PendingFile
  {
    do {
      if isS3(destination) {
        return try PendingFile(
          destination: destination, client: client ?? s3.client(), upload: s3.uploadOptions,
          parsing: parsing)
      }
      let directory = URL(fileURLWithPath: destination).deletingLastPathComponent()
      try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      return try PendingFile(destination: destination, parsing: parsing)
    } catch {
      StandardError.report(destination, "cannot create: \(error)")
      throw ExitCode.failure
    }
  }

  /// Commits `file`.
  /// - Throws: `ExitCode.failure` after printing why.
  static func commit(_ file: PendingFile) throws {
    do {
      try file.commit()
    } catch {
      StandardError.report(file.destination, "cannot write: \(error)")
      throw ExitCode.failure
    }
  }

  /// Whether `destination` is an `s3://` URL.
  static func isS3(_ destination: String) -> Bool { destination.hasPrefix("s3://") }

  /// The output named `name` in the directory or `s3://` prefix `directory`.
  static func path(_ name: String, in directory: String) -> String {
    guard isS3(directory) else {
      return URL(fileURLWithPath: directory).appendingPathComponent(name).path
    }
    return directory.hasSuffix("/") ? directory + name : directory + "/" + name
  }
}
