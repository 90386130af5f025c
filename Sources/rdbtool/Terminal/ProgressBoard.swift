import Foundation
import RDBKit
import Synchronization

/// The one progress line of the process, on standard error: one input's bar, or when several
/// inputs are read (the shards of an export) one aggregate bar over all of them: files done of
/// all (`2/8 files`), bytes of all, rate, time left.
///
/// It is drawn only while a ``ProgressBar`` is open, at most 10 times a second and at once
/// when the terminal is resized (`SIGWINCH`), fitted to the terminal's width each time.
enum ProgressBoard {
  private struct Track {
    var label: String
    var progress: ParseProgress
  }

  private struct State {
    var tracks: [Int: Track] = [:]
    var nextID = 0
    var expectedFiles = 0
    var expectedBytes: Int?
    var finishedFiles = 0
    var finishedBytes = 0
    var drawing = false
    var silenced = false
    var start: ContinuousClock.Instant?
  }

  private static let state = Mutex(State())
  private static let wake = DispatchSemaphore(value: 0)

  /// Records what the whole run will read: `files` inputs of `bytes` bytes in all (nil when a
  /// size is unknown, as for a pipe).
  static func expect(files: Int, bytes: Int?) {
    state.withLock {
      $0.expectedFiles = files
      $0.expectedBytes = bytes
    }
  }

  /// Whether a progress line may be on the terminal, so that a message must clear it first.
  static var isDrawing: Bool { state.withLock { $0.drawing } }

  /// Clears the line and draws no more (the process is about to exit on a signal).
  static func silence() {
    state.withLock { state in
      if state.drawing, !state.silenced { StandardError.writeRaw("\r\u{1B}[2K") }
      state.silenced = true
      state.drawing = false
    }
  }

  /// Redraws the line now (the terminal was resized).
  static func redraw() {
    wake.signal()
  }

  /// Adds an input being read and starts drawing if nothing was; returns its id.
  static func open(_ progress: ParseProgress, label: String) -> Int {
    let (id, starts) = state.withLock { state -> (Int, Bool) in
      let id = state.nextID
      state.nextID += 1
      state.tracks[id] = Track(label: label, progress: progress)
      if state.start == nil { state.start = .now }
      defer { state.drawing = true }
      return (id, !state.drawing)
    }
    if starts { Interrupts.startHelperThread { draw() } }
    return id
  }

  /// Removes an input that is done; the line is cleared when none is left.
  static func close(_ id: Int) {
    let last = state.withLock { state -> Bool in
      if let track = state.tracks.removeValue(forKey: id) {
        state.finishedFiles += 1
        state.finishedBytes += track.progress.bytesRead
      }
      return state.tracks.isEmpty
    }
    if last {
      wake.signal()
      while state.withLock({ $0.drawing && $0.tracks.isEmpty }) {
        Thread.sleep(forTimeInterval: 0.005)
      }
    }
  }

  private enum Step {
    case stop, wait, shown, silenced
  }

  /// Redraws until no input is open; the first draw waits 0.3 s, so a quick run shows none.
  private static func draw() {
    var shown = false
    while true {
      _ = wake.wait(timeout: .now() + 0.1)
      let step = state.withLock { state -> Step in
        if state.silenced { return .silenced }
        guard !state.tracks.isEmpty else { return .stop }
        guard let start = state.start, ContinuousClock.now - start > .milliseconds(300) else {
          return .wait
        }
        // Drawn under the lock, so that no line follows ``silence()``.
        StandardError.writeRaw(
          "\r\u{1B}[2K" + line(state).rendered(columns: TerminalWidth.current()))
        return .shown
      }
      switch step {
      case .silenced: return
      case .wait: continue
      case .shown:
        shown = true
      case .stop:
        if shown { StandardError.writeRaw("\r\u{1B}[2K") }
        shown = false
        // An input opened while the line was cleared keeps this thread drawing.
        let done = state.withLock { state -> Bool in
          if state.tracks.isEmpty { state.drawing = false }
          return !state.drawing
        }
        if done { return }
      }
    }
  }

  private static func line(_ state: State) -> ProgressLine {
    let elapsed = state.start.map { (ContinuousClock.now - $0) / .seconds(1) } ?? 0
    let active = state.tracks.values
    let read = state.finishedBytes + active.reduce(0) { $0 + $1.progress.bytesRead }
    let rate = elapsed > 0 ? Double(read) / elapsed : 0
    if state.expectedFiles <= 1, active.count == 1, let track = active.first {
      return ProgressLine(
        label: track.label, bytesRead: track.progress.bytesRead,
        totalBytes: track.progress.totalBytes, bytesPerSecond: rate)
    }
    let files = max(state.expectedFiles, state.finishedFiles + active.count)
    return ProgressLine(
      label: "\(state.finishedFiles)/\(files) files", bytesRead: read,
      totalBytes: state.expectedBytes, bytesPerSecond: rate)
  }
}
