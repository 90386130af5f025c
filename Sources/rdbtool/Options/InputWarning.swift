import RDBKit

/// How rdbtool reports what a server accepts but no server of today writes (each warning
/// itself in one line: ``RDBWarning/located``).
enum InputWarning {
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
