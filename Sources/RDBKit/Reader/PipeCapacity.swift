import Foundation
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// A larger buffer for a pipe: Linux gives a pipe 64 KiB, so a writer of 256 KiB blocks
/// waits for its reader four times a block, and a reader wakes for every 64 KiB. Raised to
/// 1 MiB (or less when `/proc/sys/fs/pipe-max-size` says so), the two sides trade 16 times
/// fewer wake-ups: `dump`'s reader (`jq`, `gzip`) drains while the next blocks are made, and
/// the parser reads what `cat` or `redis-cli --rdb -` wrote in larger pieces.
public enum PipeCapacity {
  /// `fcntl` commands Linux has and Glibc's Swift module does not export.
  private static let setSize: Int32 = 1031  // F_SETPIPE_SZ = F_LINUX_SPECIFIC_BASE + 7
  private static let getSize: Int32 = 1032  // F_GETPIPE_SZ

  /// The size asked for: four blocks of ``OutputBuffer``.
  private static let wanted: Int32 = 1 << 20

  /// Raises the buffer of `descriptor` to ``wanted`` (at most the system's limit) when it is
  /// a pipe; anything else, or a refusal (a user over `pipe-user-pages-soft`), leaves it as
  /// it is.
  public static func enlarge(_ descriptor: FileDescriptor) {
    #if os(Linux)
    var status = stat()
    guard unsafe fstat(descriptor.rawValue, &status) == 0, status.st_mode & S_IFMT == S_IFIFO
    else { return }
    let limit =
      (try? String(contentsOfFile: "/proc/sys/fs/pipe-max-size", encoding: .utf8))
      .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? wanted
    let size = min(limit, wanted)
    guard size > fcntl(descriptor.rawValue, getSize) else { return }
    _ = fcntl(descriptor.rawValue, setSize, size)
    #endif
  }
}
