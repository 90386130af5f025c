#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A detached thread for an output worker (``BackgroundWriter``, ``JSONLinesBatcher``).
///
/// It starts with SIGINT, SIGTERM and SIGHUP blocked, so that they still reach the threads
/// that took them before (see rdbtool's Interrupts); SIGPIPE is left to it.
enum DetachedThread {
  /// Runs `body` on a new thread, which holds what `body` captures until it returns; false
  /// when no thread can be started.
  static func start(_ body: @escaping () -> Void) -> Bool {
    var blocked = sigset_t()
    var previous = sigset_t()
    unsafe sigemptyset(&blocked)
    for signal in [SIGINT, SIGTERM, SIGHUP] { unsafe sigaddset(&blocked, signal) }
    unsafe pthread_sigmask(SIG_BLOCK, &blocked, &previous)
    defer { unsafe pthread_sigmask(SIG_SETMASK, &previous, nil) }
    let context = Unmanaged.passRetained(Body(body)).toOpaque()
    var thread = pthread_t()
    let started = unsafe pthread_create(
      &thread, nil,
      { context in
        guard let context = unsafe context else { return nil }
        unsafe Unmanaged<Body>.fromOpaque(context).takeRetainedValue().run()
        return nil
      }, context)
    guard started == 0 else {
      unsafe Unmanaged<Body>.fromOpaque(context).release()
      return false
    }
    pthread_detach(thread)
    return true
  }

  /// What the thread runs, passed to it as one retained reference.
  private final class Body {
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }
  }
}
