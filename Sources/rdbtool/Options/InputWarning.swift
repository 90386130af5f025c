import RDBKit

/// How rdbtool describes what a server accepts but no server of today writes, in one line,
/// in the form ``InputFailure`` gives errors.
enum InputWarning {
  /// `what at byte N (key "k")`; for empty keys `N empty keys: … (the first: key "k" at
  /// byte N)`.
  static func describe(_ warning: RDBWarning) -> String {
    if case .emptyKeys = warning.kind { return warning.description }
    var text = "\(warning.kind) at byte \(warning.offset)"
    if let key = warning.key { text += " (key \"\(key)\")" }
    return text
  }

  /// `OK with N warning(s)`, or nil when there are none.
  static func status(_ warnings: [RDBWarning]) -> String? {
    guard !warnings.isEmpty else { return nil }
    return "OK with \(warnings.count) warning\(warnings.count == 1 ? "" : "s")"
  }

  /// The help of `--strict`, shared by verify and info.
  static let strictHelp: String =
    "Treat what a loading server accepts but no server of today writes (a stream length that "
    + "disagrees with its entries, empty keys, …: the README lists them) as corruption."
}
