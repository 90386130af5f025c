import RDBKit
import SystemPackage

/// How rdbtool describes a failure to read an input, in one line.
enum InputFailure {
  /// `what at byte N (key "k")` for bad data, `cannot open: reason` for I/O errors.
  static func describe(_ error: any Error) -> String {
    switch error {
    case let error as RDBError:
      var text = "\(error.kind) at byte \(error.offset)"
      if let key = error.key { text += " (key \"\(key)\")" }
      return text
    case let error as Errno: return "cannot open: \(error.description)"
    default: return "\(error)"
    }
  }

  /// The verdict word for `verify`: CORRUPT for bad data, ERROR when the input could not be read.
  static func verdict(_ error: any Error) -> String {
    error is RDBError ? "CORRUPT" : "ERROR"
  }
}
