#if canImport(Glibc)
import Glibc
#endif

/// The width of the terminal on standard error, as the kernel reports it.
enum TerminalWidth {
  /// Columns of the terminal on standard error (`ioctl(TIOCGWINSZ)`), else `COLUMNS`, else 80.
  static func current() -> Int {
    var size = winsize()
    if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
      return Int(size.ws_col)
    }
    if let text = getenv("COLUMNS"), let columns = Int(String(cString: text)), columns > 0 {
      return columns
    }
    return 80
  }
}
