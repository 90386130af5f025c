import Foundation
import RDBKit

/// What a ``ReadBack``'s thread found: the key count and summary of its parse, or the error
/// that stopped it; set once by that thread, read after ``wait()``.
final class ParseOutcome: @unchecked Sendable {
  private let done = DispatchSemaphore(value: 0)
  private var outcome: Result<(Int, ParseSummary), RDBError>?

  /// Records the parse's outcome; call once.
  func set(_ outcome: Result<(Int, ParseSummary), RDBError>) {
    self.outcome = outcome
    done.signal()
  }

  /// Waits for the outcome. The parse ends by itself once its writer has finished or given
  /// up (``WriteProgress``): its input's end is then known.
  func wait() -> Result<(Int, ParseSummary), RDBError> {
    done.wait()
    done.signal()
    // Set before the semaphore was signalled.
    return outcome ?? .failure(RDBError(.readFailed("the file was not parsed"), at: 0))
  }
}
