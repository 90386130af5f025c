import Foundation

/// How far the writer of a file has got, as the thread reading the file back while it is
/// written (``GrowingFileInput``) needs to know it: still writing, finished (the file's end
/// is its end) or abandoned (nothing more comes).
final class WriteProgress: @unchecked Sendable {
  /// The writer's state.
  enum State {
    case writing
    case finished
    case abandoned
  }

  private let condition = NSCondition()
  private var current = State.writing

  /// The writer's state now.
  var state: State {
    condition.lock()
    defer { condition.unlock() }
    return current
  }

  /// Everything is written.
  func finish() { settle(.finished) }

  /// The file will not be finished.
  func abandon() { settle(.abandoned) }

  /// Waits until the writer finishes or gives up, or `microseconds` have passed (the reader
  /// then looks for new bytes again).
  func wait(microseconds: Int) {
    condition.lock()
    defer { condition.unlock() }
    if current == .writing {
      _ = condition.wait(until: Date(timeIntervalSinceNow: Double(microseconds) / 1e6))
    }
  }

  private func settle(_ state: State) {
    condition.lock()
    defer { condition.unlock() }
    guard current == .writing else { return }
    current = state
    condition.broadcast()
  }
}
