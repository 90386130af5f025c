import RDBKit
import SystemPackage

/// An ``AtomicFile`` that a command holds among several (one per output of `split`): a class
/// box, because an array cannot hold a noncopyable value. Released without ``commit()``, the
/// temporary file is removed.
final class PendingFile {
  /// Where the file goes once committed.
  let destination: String
  private var file: AtomicFile?

  /// Creates the temporary sibling of `destination`.
  init(destination: String) throws(Errno) {
    self.destination = destination
    file = try AtomicFile(destination: FilePath(destination))
  }

  /// The descriptor to write to; -1 once committed.
  var descriptor: FileDescriptor { file?.descriptor ?? FileDescriptor(rawValue: -1) }

  /// Where the data is being written (the temporary file).
  var writtenPath: String { file?.writtenPath.string ?? destination }

  /// Flushes the file and renames it over the destination.
  func commit() throws(Errno) {
    guard let file = file.take() else { return }
    try file.commit()
  }
}
