import ArgumentParser
import RDBKit

/// The key filters every command that reads keys offers.
struct FilterOptions: ParsableArguments {
  @Option(
    name: .customLong("db"),
    help: ArgumentHelp("Keep only database N (repeatable).", valueName: "N"))
  var databases: [Int] = []

  @Option(
    name: .customLong("type"),
    help: ArgumentHelp(
      "Keep only keys of TYPE (repeatable).",
      valueName: "TYPE"))
  var types: [DataType] = []

  @Option(
    name: .customLong("match"),
    help: ArgumentHelp(
      "Keep only keys matching a Redis glob, as SCAN MATCH does.", valueName: "GLOB"))
  var glob: String?

  @Option(help: ArgumentHelp("Keep only keys matching a regular expression.", valueName: "RE"))
  var regex: String?

  @Option(help: "Keep keys by their expiry at the time the file was written.")
  var expiry: KeySelection.Expiry = .any

  @Option(
    name: .customLong("exclude-match"),
    help: ArgumentHelp("Leave out keys matching a Redis glob (repeatable).", valueName: "GLOB"))
  var excludedGlobs: [String] = []

  @Option(
    name: .customLong("exclude-regex"),
    help: ArgumentHelp(
      "Leave out keys matching a regular expression (repeatable).", valueName: "RE"))
  var excludedRegexes: [String] = []

  func validate() throws {
    if let negative = databases.first(where: { $0 < 0 }) {
      throw ValidationError("--db takes a database number, not \(negative).")
    }
    if let regex {
      do { _ = try Regex(regex) } catch {
        throw ValidationError("--regex '\(regex)' is not a valid regular expression.")
      }
    }
    for pattern in excludedRegexes where (try? Regex(pattern)) == nil {
      throw ValidationError("--exclude-regex '\(pattern)' is not a valid regular expression.")
    }
  }

  /// Refuses `--expired skip` with `--expiry expired`, which would keep nothing.
  func validate(expired: RDBTool.Dump.ExpiredKeys) throws {
    if expired == .skip, expiry == .expired {
      throw ValidationError(
        "--expired skip leaves out the keys --expiry expired keeps: give one of them.")
    }
  }

  /// The selection these options describe.
  var selection: KeySelection {
    var selection = KeySelection()
    selection.databases = Set(databases)
    selection.types = Set(types)
    selection.glob = glob.map(GlobPattern.init)
    selection.regex = regex.flatMap { try? Regex($0) }
    selection.expiry = expiry
    selection.excludedGlobs = excludedGlobs.map(GlobPattern.init)
    selection.excludedRegexes = excludedRegexes.compactMap { try? Regex($0) }
    return selection
  }
}

extension DataType: ArgumentChoice {}
extension KeySelection.Expiry: ArgumentChoice {}
