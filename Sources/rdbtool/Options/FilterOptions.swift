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
      "Keep only keys of TYPE: string, list, set, zset, hash, stream, module (repeatable).",
      valueName: "TYPE"))
  var types: [DataType] = []

  @Option(
    name: .customLong("match"),
    help: ArgumentHelp(
      "Keep only keys matching a Redis glob, as SCAN MATCH does.", valueName: "GLOB"))
  var glob: String?

  @Option(help: ArgumentHelp("Keep only keys matching a regular expression.", valueName: "RE"))
  var regex: String?

  @Option(help: "Keep keys by expiry at the time the file was written: any, none, expired or live.")
  var expiry: KeySelection.Expiry = .any

  func validate() throws {
    if let negative = databases.first(where: { $0 < 0 }) {
      throw ValidationError("--db takes a database number, not \(negative).")
    }
    if let regex {
      do { _ = try Regex(regex) } catch {
        throw ValidationError("--regex '\(regex)' is not a valid regular expression.")
      }
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
    return selection
  }
}

extension DataType: ExpressibleByArgument {}
extension KeySelection.Expiry: ExpressibleByArgument {}
