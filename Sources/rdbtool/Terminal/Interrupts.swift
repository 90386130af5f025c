import Dispatch
import Foundation
import RDBKit
import RDBS3
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// What rdbtool does on SIGINT, SIGTERM and SIGHUP: remove every temporary output file, abort
/// every `-o s3://` upload (AbortMultipartUpload, after at most 2 s for parts in flight), say
/// so in one line, and exit with 128 + the signal number, as shells expect. A second signal
/// ends the process at once. Leaving the process also ends every download.
///
/// The signal handler does only what is safe in a signal handler: it records the signal,
/// gives these signals back their default action (the second one), ignores SIGTTIN and
/// SIGTTOU, and wakes a cleanup thread through a pipe; that thread, which blocks every
/// signal, does the rest. Ignoring SIGTTIN is for a process stopped in the background while
/// reading its terminal (`rdbtool verify - &`): the signal that ends it comes with SIGCONT,
/// and the reading thread, the one thread that takes these signals, runs the handler before
/// its read is restarted, so the restarted read fails (EIO, see ``TerminalInput``) instead of
/// stopping the process again before the cleanup thread could end it.
///
/// SIGPIPE keeps its default action, as `cat` does: `rdbtool dump … | head` ends quietly, with
/// status 141, when `head` stops reading.
enum Interrupts {
  /// The signal being handled, 0 before one arrives.
  private static let received = Atomic<Int32>(0)
  /// The pipe's write end, which the handler wakes the cleanup thread through.
  private static let wakeDescriptor = Atomic<Int32>(-1)
  nonisolated(unsafe) private static var resized: (any DispatchSourceSignal)?

  /// Whether a signal has started the cleanup (the process is about to exit).
  static var isInterrupted: Bool { received.load(ordering: .acquiring) != 0 }

  /// Installs the handlers (and the progress line's redraw on SIGWINCH); call once, before
  /// any output file is opened.
  static func install() {
    setAction(SIGPIPE, SIG_DFL)
    var descriptors: [Int32] = [-1, -1]
    guard unsafe pipe(&descriptors) == 0 else { return }
    for descriptor in descriptors { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
    // Both statics are initialized here, never first inside the handler.
    _ = isInterrupted
    wakeDescriptor.store(descriptors[1], ordering: .releasing)
    startCleanupThread(reading: descriptors[0])
    var handled = sigset_t()
    unsafe sigemptyset(&handled)
    for signal in [SIGINT, SIGTERM, SIGHUP] { unsafe sigaddset(&handled, signal) }
    for signal in [SIGINT, SIGTERM, SIGHUP] {
      // A signal ignored from the start stays ignored (`nohup`, a background job of a script).
      var current = sigaction()
      _ = unsafe sigaction(signal, nil, &current)
      let ignored = unsafe unsafeBitCast(SIG_IGN, to: Int.self)
      if unsafe unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == ignored {
        continue
      }
      var action = sigaction()
      unsafe action.__sigaction_handler.sa_handler = handler
      action.sa_mask = handled
      action.sa_flags = SA_RESTART
      _ = unsafe sigaction(signal, &action, nil)
    }
    // A mask inherited from the parent (a thread of a program that blocks them) would keep
    // these signals pending forever.
    _ = unsafe pthread_sigmask(SIG_UNBLOCK, &handled, nil)
    let source = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: .global())
    source.setEventHandler { ProgressBoard.redraw() }
    source.resume()
    resized = source
  }

  /// Blocks the calling thread until the cleanup thread ends the process: for a thread whose
  /// work failed because of the interrupt, so that its error is not reported.
  static func waitForExit() -> Never {
    while true { pause() }
  }

  /// The signal handler (async-signal-safe: atomics, `sigaction`, `write` and `raise` only).
  private static let handler: @convention(c) (Int32) -> Void = { signal in
    guard
      received.compareExchange(expected: 0, desired: signal, ordering: .sequentiallyConsistent)
        .exchanged
    else {
      // A second signal, before its default action was restored: take that action now.
      setAction(signal, SIG_DFL)
      raise(signal)
      return
    }
    setAction(SIGINT, SIG_DFL)
    setAction(SIGTERM, SIG_DFL)
    setAction(SIGHUP, SIG_DFL)
    setAction(SIGTTIN, SIG_IGN)
    setAction(SIGTTOU, SIG_IGN)
    var byte = UInt8(truncatingIfNeeded: signal)
    _ = unsafe Glibc.write(wakeDescriptor.load(ordering: .acquiring), &byte, 1)
  }

  /// Gives `signal` the action `action` (`SIG_DFL` or `SIG_IGN`).
  private static func setAction(_ signal: Int32, _ action: __sighandler_t?) {
    var change = sigaction()
    unsafe change.__sigaction_handler.sa_handler = action
    unsafe sigemptyset(&change.sa_mask)
    _ = unsafe sigaction(signal, &change, nil)
  }

  /// Starts a thread that runs `body` with every signal blocked (a helper thread: the cleanup
  /// thread, the progress line's), so that these signals go to the threads whose reads they
  /// must interrupt. The new thread inherits the mask its creator has while starting it.
  static func startHelperThread(_ body: @escaping @Sendable () -> Void) {
    var all = sigset_t()
    var previous = sigset_t()
    unsafe sigfillset(&all)
    _ = unsafe pthread_sigmask(SIG_BLOCK, &all, &previous)
    Thread(block: body).start()
    _ = unsafe pthread_sigmask(SIG_SETMASK, &previous, nil)
  }

  /// Starts the thread that waits on the pipe's read end `descriptor` and cleans up.
  private static func startCleanupThread(reading descriptor: Int32) {
    startHelperThread {
      var byte: UInt8 = 0
      while unsafe Glibc.read(descriptor, &byte, 1) != 1 {}
      cleanUpAndExit(Int32(byte))
    }
  }

  /// Removes the temporary files, aborts the uploads, says so, and exits.
  private static func cleanUpAndExit(_ signal: Int32) -> Never {
    ProgressBoard.silence()
    let removed = TemporaryFiles.removeAll()
    let aborted = ActiveUploads.abortAll()
    var cleanup = removed > 0 ? "; \(removed) partial output file(s) removed" : ""
    if aborted > 0 { cleanup += "; \(aborted) upload(s) aborted" }
    let name =
      switch signal {
      case SIGINT: "SIGINT"
      case SIGTERM: "SIGTERM"
      default: "SIGHUP"
      }
    StandardError.write("rdbtool: interrupted by \(name)\(cleanup)")
    exit(128 + signal)
  }
}
