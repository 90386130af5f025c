extension StatsSummary {
  /// The summary of one file's analysis.
  ///
  /// - Parameters:
  ///   - stats: the file's analyzer, after the parse.
  ///   - file: the file's entry; its keys, bytes, snapshot time and slots are filled in here.
  ///   - settings: the options `stats` was built with.
  ///   - model: the memory model in use.
  public init(
    _ stats: StatsAnalyzer, file: File, settings: Settings, model: Model
  ) {
    var file = file
    file.keys = stats.total.keys
    file.bytes = stats.total.bytes
    file.snapshotTime = stats.snapshot
    file.slots = stats.slots.enumerated().compactMap { slot, tally in
      tally.keys > 0 ? [slot, tally.keys, tally.bytes] : nil
    }
    let name = file.name
    func keys(_ top: TopKeys) -> [Key] { top.largestFirst().map { Key($0, file: name) } }
    var biggest: [String: [Key]] = [:]
    for (type, top) in stats.biggest { biggest[type.rawValue] = keys(top) }
    var tree = settings.emptyTree
    tree.add(stats.tree.node(naming: KeyText.text))
    let total = Part(
      total: stats.total,
      databases: Dictionary(uniqueKeysWithValues: stats.databases.map { (String($0), $1) }),
      types: stats.types,
      encodings: Dictionary(uniqueKeysWithValues: stats.encodings.map { ($0.rawValue, $1) }),
      ttl: Dictionary(uniqueKeysWithValues: stats.ttls.map { ($0.rawValue, $1) }),
      elementHistogram: Bucket.list(stats.elementHistogram),
      stringLengthHistogram: Bucket.list(stats.stringLengthHistogram),
      sizeHistogram: Bucket.list(stats.sizeHistogram),
      biggest: biggest,
      topKeys: keys(stats.biggestOverall),
      bigKeys: BigKeys(total: stats.bigKeyTally, keys: keys(stats.bigKeys)),
      prefixes: [],
      prefixOverflow: stats.prefixes.overflow,
      tree: tree.node(naming: { String(decoding: $0, as: UTF8.self) }))
    self.init(settings: settings, files: [file], total: total, memoryModel: model)
    self.total.prefixes = Self.merge(
      [],
      stats.prefixes.byMemory().map {
        Prefix(prefix: KeyText.text($0.prefix), keys: $0.tally.keys, bytes: $0.tally.bytes)
      }, overflow: &self.total.prefixOverflow)
  }
}
