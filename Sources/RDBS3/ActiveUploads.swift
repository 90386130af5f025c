import Foundation
import RDBKit
import Synchronization

/// The ``S3Upload``s of this process that are neither completed nor aborted, so that a
/// program stopped by a signal can abort them and leave no pending upload behind (as
/// `TemporaryFiles` lets it remove its temporary files).
public enum ActiveUploads {
  private static let uploads = Mutex<[ObjectIdentifier: S3Upload]>([:])

  static func add(_ upload: S3Upload) {
    uploads.withLock { $0[ObjectIdentifier(upload)] = upload }
  }

  static func remove(_ upload: S3Upload) {
    _ = uploads.withLock { $0.removeValue(forKey: ObjectIdentifier(upload)) }
  }

  /// Aborts every open upload, each waiting at most `patience` seconds for its parts in
  /// flight, all at once.
  /// - Returns: How many uploads there were.
  @discardableResult
  public static func abortAll(patience: Double = 2) -> Int {
    let open = uploads.withLock { Array($0.values) }
    DispatchQueue.concurrentPerform(iterations: open.count) { index in
      open[index].abort(patience: patience)
    }
    return open.count
  }
}
