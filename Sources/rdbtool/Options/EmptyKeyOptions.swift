import ArgumentParser
import RDBKit

/// `--empty-keys`: whether the reading commands (dump, memory, stats, keys) leave out lists,
/// sets, sorted sets and hashes written with no elements, which a loading server skips.
struct EmptyKeyOptions: ParsableArguments {
  /// What to do with an empty key.
  enum Policy: String, ArgumentChoice {
    /// Leave it out, as a loading server does, and say how many on stderr.
    case skip
    /// Include it.
    case keep
  }

  @Option(
    name: .customLong("empty-keys"),
    help: ArgumentHelp(
      "Keys with no elements (a server skips them when loading): skip, saying how many on "
        + "stderr, or keep."))
  var policy: Policy = .skip

  /// `selection` with empty keys left out or not, as asked.
  func applied(to selection: KeySelection) -> KeySelection {
    var selection = selection
    selection.skipsEmptyKeys = policy == .skip
    return selection
  }

  /// Says on stderr how many empty keys of `input` were left out, if any were.
  static func note(_ summary: ParseSummary, input: String, selection: KeySelection) {
    guard selection.skipsEmptyKeys, summary.emptyKeys > 0 else { return }
    let count = summary.emptyKeys
    StandardError.report(
      input,
      "\(count) empty key\(count == 1 ? "" : "s") left out (a server skips them when loading; "
        + "--empty-keys keep includes them)")
  }
}
