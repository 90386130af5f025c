extension StatsSummary {
  /// ``StatsSummary/merged(_:)`` one summary at a time, so that a thousand shards' documents
  /// are never all in memory: only the running result and the summary being added.
  public struct Merger: Sendable {
    private var summary: StatsSummary
    private var tree: PrefixTree

    /// Starts with `first`.
    ///
    /// - Throws: ``MergeError/formatVersion(_:)`` for a document of another shape.
    public init(_ first: StatsSummary) throws(MergeError) {
      guard first.formatVersion == currentFormatVersion else {
        throw .formatVersion(first.formatVersion)
      }
      summary = first
      tree = first.settings.emptyTree
      tree.add(first.total.tree)
    }

    /// Adds the next summary, in input order.
    ///
    /// - Throws: ``MergeError`` for another format version or other settings.
    public mutating func add(_ next: StatsSummary) throws(MergeError) {
      guard next.formatVersion == currentFormatVersion else {
        throw .formatVersion(next.formatVersion)
      }
      if let name = summary.settings.difference(next.settings) { throw .settings(name) }
      summary.files += next.files
      summary.total.merge(next.total, settings: summary.settings)
      tree.add(next.total.tree)
      if !summary.memoryModel.note.split(separator: "\n").contains(
        Substring(next.memoryModel.note))
      {
        summary.memoryModel.note += "\n" + next.memoryModel.note
      }
    }

    /// The summary of everything added.
    public var result: StatsSummary {
      var result = summary
      result.total.tree = tree.node(naming: { String(decoding: $0, as: UTF8.self) })
      return result
    }
  }
}
