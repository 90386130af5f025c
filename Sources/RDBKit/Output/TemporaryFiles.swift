import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The temporary files that ``AtomicFile`` values have open, so that a program stopped by a
/// signal can remove them before it exits: an interrupted run leaves no partial file behind.
public enum TemporaryFiles {
  private static let paths = Mutex<Set<String>>([])

  /// Records a temporary file that exists until ``forget(_:)``.
  static func remember(_ path: String) {
    paths.withLock { _ = $0.insert(path) }
  }

  /// Drops a temporary file that was renamed into place or removed.
  static func forget(_ path: String) {
    paths.withLock { _ = $0.remove(path) }
  }

  /// Removes every temporary file still open and returns how many there were. Call it only
  /// when the program is about to exit: the files' writers are not told.
  @discardableResult
  public static func removeAll() -> Int {
    paths.withLock { paths in
      for path in paths { _ = unsafe unlink(path) }
      defer { paths.removeAll() }
      return paths.count
    }
  }
}
