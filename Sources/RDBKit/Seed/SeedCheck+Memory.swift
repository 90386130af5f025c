extension SeedCheck {
  /// The bytes a shard may hold, and how that figure was arrived at.
  var memoryBudget: (bytes: Int, source: String)? {
    switch memoryLimit {
    case .nodeType(let node)?:
      return (
        node.usableBytes,
        "\(node.name)'s \(node.memoryGiB) GiB less the \(NodeType.reservedMemoryPercent) % "
          + "reserved-memory-percent"
      )
    case .bytes(let bytes)?: return (bytes, "--max-memory")
    case nil: return nil
    }
  }

  /// Each resulting shard's estimated memory: by shard of the split asked for (`--shards`),
  /// else by file; with cluster mode disabled, all files as one.
  func shardMemory(_ scans: [SeedScanSummary]) -> [(name: String, bytes: Int)] {
    if clusterMode == .disabled {
      return [("the data", scans.reduce(0) { $0 + $1.tally.shardBytes.reduce(0, +) })]
    }
    if shards != nil {
      var totals = [Int](repeating: 0, count: shardCount)
      for scan in scans {
        for (index, bytes) in scan.tally.shardBytes.enumerated() { totals[index] += bytes }
      }
      return totals.enumerated().map { ("shard \($0.offset + 1)", $0.element) }
    }
    return zip(fileNames, scans).map { ($0.0, $0.1.tally.shardBytes.reduce(0, +)) }
  }

  /// The memory rule: the largest shard fits the budget.
  func memoryFinding(_ scans: [SeedScanSummary], allowLoss: Bool) -> SeedFinding {
    let shards = shardMemory(scans)
    let largest = shards.max { $0.bytes < $1.bytes } ?? ("the data", 0)
    let total = shards.reduce(0) { $0 + $1.bytes }
    let model =
      "\(target.server)'s memory model (\(target.memoryModelVersion.rawValue)) after loading"
    let estimate =
      shards.count == 1
      ? "\(largest.name) needs about \(Self.bytes(largest.bytes))"
      : "the largest of \(shards.count) shards, \(largest.name), needs about "
        + "\(Self.bytes(largest.bytes)) (\(Self.bytes(total)) in all)"
    guard let budget = memoryBudget else {
      return SeedFinding(
        .memory, .warn, "\(estimate) by \(model); not checked against a node",
        advice: "give --node-type (such as cache.r7g.large) or --max-memory SIZE")
    }
    guard largest.bytes > budget.bytes else {
      return SeedFinding(
        .memory, .pass,
        "\(estimate) by \(model), within \(Self.bytes(budget.bytes)) (\(budget.source))")
    }
    var advice: String
    if let node = NodeType.smallest(holding: largest.bytes) {
      advice = "use a node type that holds it, such as \(node.name)"
    } else {
      advice = "no node type of the table holds it"
    }
    var command: [String]?
    if clusterMode == .enabled {
      let needed = min(
        HashSlot.count, max(shardCount + 1, (total + budget.bytes - 1) / budget.bytes))
      advice += ", or split the data over more shards (\(needed) at least)"
      command = splitCommand(shards: needed, allowLoss: allowLoss)
    }
    return SeedFinding(
      .memory, .fail,
      "\(estimate) by \(model), more than \(Self.bytes(budget.bytes)) (\(budget.source))",
      advice: advice, command: command)
  }

  /// The functions and modules rule: function libraries need RDB 10 (Redis 7.0); vector sets
  /// need a target with them built in (Redis 8.0); other module types need their module.
  func moduleFindings(_ scans: [SeedScanSummary]) -> [SeedFinding] {
    var findings: [SeedFinding] = []
    let functions = scans.reduce(0) { $0 + $1.functions }
    var values: [String: Int] = [:]
    var auxTypes: Set<String> = []
    for scan in scans {
      values.merge(scan.moduleValues, uniquingKeysWith: +)
      auxTypes.formUnion(scan.moduleAuxTypes)
    }
    if functions > 0, !WriteFormat(target.version).hasFunctions {
      findings.append(
        SeedFinding(
          .modules, .fail,
          "\(functions) function librar\(functions == 1 ? "y" : "ies"): \(target.server) has "
            + "no functions (they need Redis 7.0, RDB 10)",
          advice: "seed an engine with functions, or rewrite without them (load them again "
            + "with FUNCTION LOAD)",
          command: rewriteCommand(allowLoss: true)))
    }
    for module in Set(values.keys).union(auxTypes).sorted() {
      let count = values[module] ?? 0
      let what = count > 0 ? "\(count) values of module type \(module)" : "module \(module)'s data"
      if module == "vectorset" {
        guard !target.builtInModules.contains(module) else { continue }
        findings.append(
          SeedFinding(
            .modules, .fail,
            "\(count) vector set\(count == 1 ? "" : "s"): \(target.server) has no vector "
              + "sets (they need Redis 8.0)",
            advice: "seed Redis 8.0 or later, or rewrite without the vector sets",
            command: rewriteCommand(allowLoss: true)))
      } else {
        findings.append(
          SeedFinding(
            .modules, .warn,
            "\(what): \(target.server) loads them only with that module, which it does not "
              + "have built in",
            advice: "load the module on the target, or remove these keys from the seed"))
      }
    }
    if findings.isEmpty {
      let what =
        functions > 0
        ? "\(functions) function librar\(functions == 1 ? "y" : "ies"), which it loads"
        : "no functions or module data it cannot load"
      findings.append(SeedFinding(.modules, .pass, "\(target.server): \(what)"))
    }
    return findings
  }
}
