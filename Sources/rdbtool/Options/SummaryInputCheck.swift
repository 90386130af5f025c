import ArgumentParser

/// Refuses the reading options that `stats --merge` and `report --from-stats` cannot apply.
///
/// Those commands take finished `stats --json` documents: the prefixes, biggest keys, memory
/// model and key selection were fixed when each document was made, so a grouping, memory-model
/// or filter option given to the merge would change nothing. As everywhere in rdbtool, an
/// option that cannot apply is a usage error (exit 2), not silently ignored.
enum SummaryInputCheck {
  /// Throws a `ValidationError` naming every reading option given alongside `flag`.
  static func refuseReadingOptions(
    with flag: String, analysis: AnalysisOptions, memory: MemoryModelOptions,
    filters: FilterOptions, emptyKeys: EmptyKeyOptions
  ) throws {
    let defaults = try AnalysisOptions.parse([])
    let given: [(name: String, isGiven: Bool)] = [
      ("--separator", analysis.separator != defaults.separator),
      ("--depth", analysis.depth != defaults.depth),
      ("--tree-depth", analysis.treeDepth != defaults.treeDepth),
      ("--top", analysis.top != defaults.top),
      ("--top-keys", analysis.topKeys != defaults.topKeys),
      ("--big-string", analysis.bigString != defaults.bigString),
      ("--big-elements", analysis.bigElements != defaults.bigElements),
      ("--model", memory.model != nil),
      ("--as-loaded", memory.asLoaded),
      ("--target", memory.target != nil),
      ("--allocator", memory.allocator != .bundled),
      ("--list-compress-depth", memory.listCompressDepth != 0),
      ("--min-size", memory.minSize != nil),
      (
        "filters (--db, --type, --match, --regex, --expiry, --exclude-*)",
        !filters.selection.keepsEverything
      ),
      ("--empty-keys", emptyKeys.policy != .skip),
    ]
    let names = given.filter(\.isGiven).map(\.name)
    guard names.isEmpty else {
      throw ValidationError(
        "\(names.joined(separator: ", ")) cannot apply to \(flag): the documents were made "
          + "with their own; give \(names.count == 1 ? "it" : "them") to the stats --json runs.")
    }
  }
}
