import Dispatch
import RDBKit
import RDBS3

#if canImport(Glibc)
import Glibc
#endif

/// What rdbtool does on SIGINT, SIGTERM and SIGHUP: remove every temporary output file, abort
/// every `-o s3://` upload (AbortMultipartUpload, after at most 2 s for parts in flight), say
/// so in one line, and exit with 128 + the signal number, as shells expect. A second signal
/// while that runs ends the process at once. Leaving the process also ends every download.
///
/// SIGPIPE keeps its default action, as `cat` does: `rdbtool dump … | head` ends quietly, with
/// status 141, when `head` stops reading.
enum Interrupts {
  nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

  /// Installs the handlers (and the progress line's redraw on SIGWINCH); call once, before
  /// any output file is opened.
  static func install() {
    _ = Glibc.signal(SIGPIPE, SIG_DFL)
    for (signal, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM"), (SIGHUP, "SIGHUP")] {
      // The signal goes to the dispatch source instead of killing the process.
      _ = Glibc.signal(signal, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: signal, queue: .global())
      source.setEventHandler {
        for other in [SIGINT, SIGTERM, SIGHUP] { _ = Glibc.signal(other, SIG_DFL) }
        let removed = TemporaryFiles.removeAll()
        let aborted = ActiveUploads.abortAll()
        var cleanup = removed > 0 ? "; \(removed) partial output file(s) removed" : ""
        if aborted > 0 { cleanup += "; \(aborted) upload(s) aborted" }
        // The message replaces a progress line rather than following it.
        if isatty(STDERR_FILENO) == 1 { StandardError.writeRaw("\r\u{1B}[2K") }
        StandardError.write("rdbtool: interrupted by \(name)\(cleanup)")
        exit(128 + signal)
      }
      source.resume()
      sources.append(source)
    }
    let resized = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: .global())
    resized.setEventHandler { ProgressBoard.redraw() }
    resized.resume()
    sources.append(resized)
  }
}
