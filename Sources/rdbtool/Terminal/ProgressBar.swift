import Foundation
import RDBKit
import Synchronization

/// A progress line on standard error — bytes read of the total, rate, time left — redrawn at
/// most 10 times a second, and only when standard error is a terminal.
final class ProgressBar: Sendable {
  private let progress: ParseProgress
  private let label: String
  private let stopped = Atomic<Bool>(false)
  private let done = DispatchSemaphore(value: 0)

  /// Starts drawing for `progress`, or returns nil when there is no terminal or `quiet`.
  init?(_ progress: ParseProgress, label: String, quiet: Bool) {
    guard !quiet, isatty(STDERR_FILENO) == 1 else { return nil }
    self.progress = progress
    self.label = label
    let thread = Thread { [self] in self.draw() }
    thread.start()
  }

  /// Stops drawing and clears the line.
  func stop() {
    stopped.store(true, ordering: .relaxed)
    done.wait()
    StandardError.writeRaw("\r\u{1B}[2K")
  }

  private func draw() {
    let start = ContinuousClock.now
    while !stopped.load(ordering: .relaxed) {
      Thread.sleep(forTimeInterval: 0.1)
      let elapsed = (ContinuousClock.now - start) / .seconds(1)
      guard elapsed > 0.3 else { continue }
      StandardError.writeRaw("\r\u{1B}[2K" + line(elapsed: elapsed))
    }
    done.signal()
  }

  private func line(elapsed: Double) -> String {
    let read = progress.bytesRead
    let rate = Double(read) / elapsed
    var text = "\(label) \(ByteSize.text(read))"
    if let total = progress.totalBytes, total > 0 {
      let fraction = min(1, Double(read) / Double(total))
      let filled = Int(fraction * 24)
      text =
        "\(label) [" + String(repeating: "#", count: filled)
        + String(repeating: " ", count: 24 - filled)
        + "] \(Int(fraction * 100))% \(ByteSize.text(read))/\(ByteSize.text(total))"
      if rate > 0 { text += " ETA \(Int((Double(total - read) / rate).rounded()))s" }
    }
    return text + " \(ByteSize.text(Int(rate)))/s"
  }
}
