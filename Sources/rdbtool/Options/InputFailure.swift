import RDBKit
import SystemPackage

/// How rdbtool describes a failure to read an input, in one line that says what to do.
enum InputFailure {
  /// `what at byte N (key "k")` for bad data; for an input that could not be read, a format
  /// newer than rdbtool or a compression it does not read, what was found and what to do.
  static func describe(_ error: any Error) -> String {
    switch error {
    case let error as RDBError:
      switch error.kind {
      case .unsupportedVersion:
        return "\(error.kind); a newer rdbtool may read it"
      case .compressed:
        return "\(error.kind)"
      case .handlerFailed(let reason):
        // The output failed (a full disk): where the input was is beside the point.
        return reason
      default:
        return error.located
      }
    case let error as Errno:
      switch error {
      case .isDirectory:
        return "is a directory: give the RDB files in it (DIR/*.rdb)"
      case .permissionDenied, .notPermitted:
        return "cannot open: permission denied; run as a user who may read it"
      case .noSuchFileOrDirectory:
        return "cannot open: no such file"
      default:
        return "cannot open: \(error.description)"
      }
    default: return "\(error)"
    }
  }

  /// The verdict word for `verify`: CORRUPT for bad data, ERROR when the input could not be
  /// read, is in a newer format than rdbtool knows, or is compressed in a format it does not
  /// read.
  static func verdict(_ error: any Error) -> String {
    guard let error = error as? RDBError else { return "ERROR" }
    switch error.kind {
    case .unsupportedVersion, .compressed, .readFailed, .handlerFailed: return "ERROR"
    default: return "CORRUPT"
    }
  }
}
