import Foundation
import RDBKit

/// One input's place on the progress line (``ProgressBoard``) while it is read: drawn only when
/// standard error is a terminal and `quiet` is off.
final class ProgressBar: Sendable {
  private let id: Int

  /// Adds `progress` to the progress line, or returns nil when there is no terminal or `quiet`.
  init?(_ progress: ParseProgress, label: String, quiet: Bool) {
    guard !quiet, isatty(STDERR_FILENO) == 1 else { return nil }
    id = ProgressBoard.open(progress, label: label)
  }

  /// Takes this input off the progress line; the line is cleared when it was the last.
  func stop() {
    ProgressBoard.close(id)
  }
}
