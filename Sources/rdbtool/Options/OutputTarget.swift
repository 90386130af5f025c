import ArgumentParser
import Foundation
import RDBKit
import SystemPackage

/// Standard output (no `-o`, or `-o -`), or an `-o FILE` written atomically: the file
/// appears, complete, only when the command succeeds.
enum OutputTarget {
  /// Calls `body` with the descriptor to write to, then commits the file if there is one.
  static func write(to path: String?, _ body: (FileDescriptor) throws -> Void) throws {
    guard let path, path != "-" else { return try body(.standardOutput) }
    let file: AtomicFile
    do {
      file = try AtomicFile(destination: FilePath(path))
    } catch {
      StandardError.report(path, "cannot create: \(error)")
      throw ExitCode.failure
    }
    try body(file.descriptor)
    do {
      try file.commit()
    } catch {
      StandardError.report(path, "cannot write: \(error)")
      throw ExitCode.failure
    }
  }
}
