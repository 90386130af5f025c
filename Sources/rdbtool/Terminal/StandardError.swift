import SystemPackage

/// Diagnostics for the user, on standard error (standard output is data only).
enum StandardError {
  /// Writes `line` and a newline to standard error, over the progress line if one is drawn
  /// (it is drawn again below).
  static func write(_ line: String) {
    var text = line.hasSuffix("\n") ? line : line + "\n"
    if ProgressBoard.isDrawing { text = "\r\u{1B}[2K" + text }
    _ = try? FileDescriptor.standardError.writeAll(text.utf8)
  }

  /// Writes `text` as it is (a progress line redraw).
  static func writeRaw(_ text: String) {
    _ = try? FileDescriptor.standardError.writeAll(text.utf8)
  }

  /// Writes `rdbtool: INPUT: message`.
  static func report(_ input: String, _ message: String) {
    write("rdbtool: \(input): \(message)")
  }
}
