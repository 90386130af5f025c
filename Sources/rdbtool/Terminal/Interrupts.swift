import Dispatch
import RDBKit

#if canImport(Glibc)
import Glibc
#endif

/// What rdbtool does on SIGINT, SIGTERM and SIGHUP: remove every temporary output file, say
/// so in one line, and exit with 128 + the signal number, as shells expect.
enum Interrupts {
  nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

  /// Installs the handlers; call once, before any output file is opened.
  static func install() {
    for (signal, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM"), (SIGHUP, "SIGHUP")] {
      // The signal goes to the dispatch source instead of killing the process.
      _ = Glibc.signal(signal, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: signal, queue: .global())
      source.setEventHandler {
        let removed = TemporaryFiles.removeAll()
        let cleanup = removed > 0 ? "; \(removed) partial output file(s) removed" : ""
        StandardError.write("rdbtool: interrupted by \(name)\(cleanup)")
        exit(128 + signal)
      }
      source.resume()
      sources.append(source)
    }
  }
}
