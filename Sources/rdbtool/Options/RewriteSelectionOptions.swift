import ArgumentParser
import RDBKit

/// The keys a command that writes RDB files keeps (`rewrite`, `split`, `merge`): the filters
/// every reading command has, plus what to do with expired keys and when.
struct RewriteSelectionOptions: ParsableArguments {
  @OptionGroup var filters: FilterOptions

  @Option(help: "What to do with keys already expired (at the file's ctime, or --now).")
  var expired: RDBTool.Dump.ExpiredKeys = .keep

  @Option(help: ArgumentHelp("Judge expiry at this Unix time in ms.", valueName: "MS"))
  var now: Int64?

  func validate() throws {
    try filters.validate(expired: expired)
    if now != nil, expired == .keep, filters.expiry == .any || filters.expiry == .none {
      throw ValidationError(
        "--now sets the time expiry is judged at: it needs --expired skip or --expiry live|expired."
      )
    }
  }

  /// The selection these options describe.
  var selection: KeySelection {
    var selection = filters.selection
    selection.referenceTime = now
    if expired == .skip, selection.expiry == .any { selection.expiry = .live }
    return selection
  }
}
