import ArgumentParser
import RDBKit

/// The keys a command that writes RDB files keeps (`rewrite`, `split`, `merge`): the filters
/// every reading command has, plus exclusions and what to do with expired keys.
struct RewriteSelectionOptions: ParsableArguments {
  @OptionGroup var filters: FilterOptions

  @Option(
    name: .customLong("exclude-match"),
    help: ArgumentHelp("Leave out keys matching a Redis glob (repeatable).", valueName: "GLOB"))
  var excludedGlobs: [String] = []

  @Option(
    name: .customLong("exclude-regex"),
    help: ArgumentHelp(
      "Leave out keys matching a regular expression (repeatable).", valueName: "RE"))
  var excludedRegexes: [String] = []

  @Option(help: "Keys already expired (at the file's ctime, or --now): keep or skip.")
  var expired: RDBTool.Dump.ExpiredKeys = .keep

  @Option(help: ArgumentHelp("Judge expiry at this Unix time in ms.", valueName: "MS"))
  var now: Int64?

  func validate() throws {
    for pattern in excludedRegexes where (try? Regex(pattern)) == nil {
      throw ValidationError("--exclude-regex '\(pattern)' is not a valid regular expression.")
    }
  }

  /// The selection these options describe.
  var selection: KeySelection {
    var selection = filters.selection
    selection.excludedGlobs = excludedGlobs.map(GlobPattern.init)
    selection.excludedRegexes = excludedRegexes.compactMap { try? Regex($0) }
    selection.referenceTime = now
    if expired == .skip, selection.expiry == .any { selection.expiry = .live }
    return selection
  }
}
