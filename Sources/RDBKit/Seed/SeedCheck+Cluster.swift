extension SeedCheck {
  /// The engine rule: the target loads every file's version, and a rewrite for it would lose
  /// nothing that blocks (empty aggregates, which the server drops on load, only warn).
  func engineFinding(_ scans: [SeedScanSummary], losses: LossReport) -> SeedFinding {
    let versions = Set(scans.map(\.version.description)).sorted().joined(separator: ", ")
    let refused = zip(fileNames, scans).filter { !target.loads($0.1.version) }
    var problems: [String] = []
    if !refused.isEmpty {
      let list = refused.map { "\($0.0) (\($0.1.version))" }.joined(separator: ", ")
      problems.append("\(target.server) loads \(target.version) and older, not \(list)")
    }
    if losses.isBlocking {
      let kinds = losses.entries.keys.filter(\.isBlocking).sorted().map { kind in
        "\(losses.entries[kind]?.items ?? 0) \(kind.rawValue)"
      }
      problems.append("it cannot hold \(kinds.joined(separator: "; "))")
    }
    guard problems.isEmpty else {
      return SeedFinding(
        .engine, .fail, problems.joined(separator: "; "),
        advice: losses.isBlocking
          ? "rewrite the files for \(target.name); the rewrite leaves out what is listed"
          : "rewrite the files for \(target.name); nothing is lost",
        command: rewriteCommand(allowLoss: losses.isBlocking),
        losses: losses.isEmpty ? nil : losses)
    }
    if !losses.isEmpty {
      return SeedFinding(
        .engine, .warn,
        "\(target.server) loads \(versions) but drops what is listed on load",
        advice: "a rewrite leaves it out of the file", command: rewriteCommand(allowLoss: false),
        losses: losses)
    }
    return SeedFinding(
      .engine, .pass, "\(target.server) (\(target.version)) loads \(versions) and every type in it")
  }

  /// The cluster rules: database 0, slot placement and no shared keys with cluster mode
  /// enabled; one file with it disabled.
  func clusterFindings(_ scans: [SeedScanSummary], allowLoss: Bool) -> [SeedFinding] {
    let duplicates = sharedKeys(scans)
    switch clusterMode {
    case .disabled:
      guard fileNames.count > 1 else {
        return [SeedFinding(.cluster, .pass, "one file, as cluster mode disabled needs")]
      }
      var message =
        "\(fileNames.count) files: a cluster with cluster mode disabled is seeded from one"
      var extra: [String] = []
      if duplicates.count > 0 {
        message +=
          "; \(duplicates.count) keys are in more than one file (e.g. "
          + "\(duplicates.examples.joined(separator: ", ")))"
        extra = ["--on-duplicate", "first"]
      }
      return [
        SeedFinding(
          .cluster, .fail, message, advice: "merge them into one file",
          command: mergeCommand(allowLoss: allowLoss, extra: extra))
      ]
    case .enabled:
      return [databaseFinding(scans, allowLoss: allowLoss)]
        + placementFindings(scans, allowLoss: allowLoss)
        + duplicateFindings(duplicates, allowLoss: allowLoss)
    }
  }

  private func databaseFinding(_ scans: [SeedScanSummary], allowLoss: Bool) -> SeedFinding {
    var outside = 0
    var databases: Set<Int> = []
    var examples: [String] = []
    for scan in scans {
      for (database, count) in scan.tally.keysByDatabase where database != 0 {
        outside += count
        databases.insert(database)
      }
      examples += scan.tally.otherDatabaseExamples
    }
    guard outside > 0 else {
      return SeedFinding(.cluster, .pass, "every key is in database 0")
    }
    let list = databases.sorted().map(String.init).joined(separator: ", ")
    let command =
      shardCount > 1 || fileNames.count > 1
      ? splitCommand(shards: shardCount, allowLoss: allowLoss, extra: ["--single-db"])
      : rewriteCommand(allowLoss: allowLoss, extra: ["--single-db"])
    return SeedFinding(
      .cluster, .fail,
      "\(outside) keys are in database \(list) (e.g. "
        + "\(examples.prefix(SeedTally.exampleLimit).joined(separator: ", "))): "
        + "a cluster has database 0 only",
      advice: "put every database's keys into database 0 (--single-db), or leave the other "
        + "databases out (--db 0)",
      command: command)
  }

  private func placementFindings(_ scans: [SeedScanSummary], allowLoss: Bool) -> [SeedFinding] {
    let ranges = SlotRanges.dealt(shards: shardCount)
    if filesAreShards {
      let misplaced = zip(fileNames, scans).filter { $0.1.tally.misplacedKeys > 0 }
      guard !misplaced.isEmpty else {
        return [
          SeedFinding(
            .cluster, .pass,
            "every key of file k is in the slots of shard k of \(shardCount) (\(ranges))")
        ]
      }
      let total = misplaced.reduce(0) { $0 + $1.1.tally.misplacedKeys }
      let examples = misplaced.prefix(3).map { name, scan in
        "\(name): \(scan.tally.misplacedExamples.prefix(2).joined(separator: ", "))"
      }
      return [
        SeedFinding(
          .cluster, .fail,
          "\(total) keys are outside the slots their file owns as shard k of \(shardCount) "
            + "(\(ranges)); e.g. \(examples.joined(separator: "; "))",
          advice: "split the data anew so each file holds its shard's slots",
          command: splitCommand(shards: shardCount, allowLoss: allowLoss))
      ]
    }
    guard shardCount > 1 else { return [] }
    return [
      SeedFinding(
        .cluster, .warn,
        "\(fileNames.count) file\(fileNames.count == 1 ? "" : "s") for \(shardCount) shards: "
          + "the keys are dealt to the shards by slot (\(ranges))",
        advice: "split the files into one per shard, and seed each shard from its file",
        command: splitCommand(shards: shardCount, allowLoss: allowLoss))
    ]
  }

  private func duplicateFindings(_ duplicates: (count: Int, examples: [String]), allowLoss: Bool)
    -> [SeedFinding]
  {
    guard fileNames.count > 1 else { return [] }
    guard duplicates.count > 0 else {
      return [SeedFinding(.cluster, .pass, "no key is in two files")]
    }
    return [
      SeedFinding(
        .cluster, .fail,
        "\(duplicates.count) keys are in more than one file (e.g. "
          + "\(duplicates.examples.joined(separator: ", ")))",
        advice: "split again, keeping the first file's copy of each key",
        command: splitCommand(
          shards: shardCount, allowLoss: allowLoss, extra: ["--on-duplicate", "first"]))
    ]
  }

  /// The keys that more than one file holds: how many, and the first few.
  private func sharedKeys(_ scans: [SeedScanSummary]) -> (count: Int, examples: [String]) {
    guard scans.count > 1 else { return (0, []) }
    var seen: Set<[UInt8]> = []
    var count = 0
    var examples: [String] = []
    for scan in scans {
      for name in scan.tally.keyNames where !seen.insert(name).inserted {
        count += 1
        if examples.count < SeedTally.exampleLimit { examples.append(SeedTally.printable(name)) }
      }
    }
    return (count, examples.sorted())
  }
}
