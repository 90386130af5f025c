/// The checks a backup must pass to seed a new cluster, the logic behind
/// `rdbtool seed-check`.
///
/// The rules, each reported as one or more ``SeedFinding``s with the `rdbtool` command that
/// fixes a failure:
/// - **engine**: the target loads the files' RDB version and every type in them; a rewrite
///   for the target (``SeedScan``'s ``RDBWriter``) would lose nothing;
/// - **cluster**: with cluster mode enabled, keys in database 0 only, each file's keys in
///   the slots its shard owns (when the files are an existing cluster's export: as many
///   files as shards, dealt as `redis-cli --cluster create` deals them), no key in two
///   files; with cluster mode disabled, one file;
/// - **memory**: each resulting shard's estimated memory, with the target's memory model,
///   fits the node's memory less ElastiCache's reserved share, or `--max-memory`;
/// - **functions-modules**: functions and module values the target cannot load.
///
/// Scan every input with a ``SeedScan`` built from ``tallyRanges`` and
/// ``expectedShard(ofFile:)``, then call ``findings(for:)``.
public struct SeedCheck: Sendable {
  /// Whether the target cluster shards its keys.
  public enum ClusterMode: String, Sendable, CaseIterable {
    /// Cluster mode enabled: database 0, keys by hash slot over the shards.
    case enabled
    /// Cluster mode disabled: one shard, seeded from one file.
    case disabled
  }

  /// What a shard may hold.
  public enum MemoryLimit: Sendable, Equatable {
    /// A node type's memory less the reserved share.
    case nodeType(NodeType)
    /// A number of bytes (`--max-memory`), nothing reserved.
    case bytes(Int)
  }

  /// The engine and version the seed is for.
  public var target: TargetEngine
  /// The cluster mode of the target cluster.
  public var clusterMode: ClusterMode
  /// The shard count asked for (`--shards`); nil: one per file.
  public var shards: Int?
  /// What each shard may hold; nil: memory is estimated but not checked.
  public var memoryLimit: MemoryLimit?
  /// The inputs as the user gave them, for the commands in the findings.
  public var inputs: [String]
  /// The input files (an `s3://` prefix counts its objects).
  public var fileNames: [String]

  /// A check of the files `fileNames` (given as `inputs`) for `target`.
  public init(
    target: TargetEngine, clusterMode: ClusterMode, shards: Int?, memoryLimit: MemoryLimit?,
    inputs: [String], fileNames: [String]
  ) {
    self.target = target
    self.clusterMode = clusterMode
    self.shards = shards
    self.memoryLimit = memoryLimit
    self.inputs = inputs
    self.fileNames = fileNames
  }

  /// The number of shards of the seeded cluster.
  public var shardCount: Int {
    clusterMode == .enabled ? shards ?? max(1, fileNames.count) : 1
  }

  /// The slot ranges keys are tallied by: the dealt ranges of ``shardCount`` shards with
  /// cluster mode enabled, nil without.
  public var tallyRanges: SlotRanges? {
    clusterMode == .enabled ? .dealt(shards: shardCount) : nil
  }

  /// Whether the files are taken as an existing cluster's export, file k being shard k.
  public var filesAreShards: Bool {
    clusterMode == .enabled && fileNames.count > 1 && fileNames.count == shardCount
  }

  /// The shard whose slots file `index`'s keys must be in, or nil when not checked.
  public func expectedShard(ofFile index: Int) -> Int? {
    filesAreShards ? index : nil
  }

  /// Whether scans keep key names, to find keys two files share.
  public var keepsKeyNames: Bool { fileNames.count > 1 }

  /// Every finding for the files' scans, given in ``fileNames`` order, in rule order.
  public func findings(for scans: [SeedScanSummary]) -> [SeedFinding] {
    var losses = LossReport()
    for scan in scans { losses.merge(scan.losses) }
    let allowLoss = losses.isBlocking
    return [engineFinding(scans, losses: losses)]
      + clusterFindings(scans, allowLoss: allowLoss)
      + [memoryFinding(scans, allowLoss: allowLoss)]
      + moduleFindings(scans)
  }

  // MARK: Commands

  /// `rdbtool rewrite --target T [--allow-loss] INPUT... -o OUT`.
  func rewriteCommand(allowLoss: Bool, extra: [String] = []) -> [String] {
    ["rdbtool", "rewrite", "--target", target.name] + (allowLoss ? ["--allow-loss"] : []) + extra
      + inputs + ["-o", rewriteOutput]
  }

  /// `rdbtool split --shards N --target T … INPUT... -o DIR`.
  func splitCommand(shards: Int, allowLoss: Bool, extra: [String] = []) -> [String] {
    ["rdbtool", "split", "--shards", "\(shards)", "--target", target.name]
      + (allowLoss ? ["--allow-loss"] : []) + extra + inputs
      + ["-o", "\(baseName)-\(shards)-shards/"]
  }

  /// `rdbtool merge --target T … INPUT... -o FILE`.
  func mergeCommand(allowLoss: Bool, extra: [String] = []) -> [String] {
    ["rdbtool", "merge", "--target", target.name] + (allowLoss ? ["--allow-loss"] : []) + extra
      + inputs + ["-o", "\(baseName)-merged.rdb"]
  }

  /// Where the rewrite goes: beside a single local file as `NAME-TARGET.rdb`, else into a
  /// directory `NAME-TARGET/`.
  var rewriteOutput: String {
    guard inputs.count == 1, fileNames.count == 1, !inputs[0].hasPrefix("s3://") else {
      return "\(baseName)-\(target.name)/"
    }
    var path = inputs[0]
    if path.hasSuffix(".rdb") { path.removeLast(4) }
    return path == "-" ? "dump-\(target.name).rdb" : "\(path)-\(target.name).rdb"
  }

  /// The first input's name without directory, `.rdb` and shard suffix.
  var baseName: String {
    guard let first = inputs.first, first != "-" else { return "dump" }
    var name = first.split(separator: "/").last.map(String.init) ?? first
    if name.hasSuffix(".rdb") { name.removeLast(4) }
    if let match = name.wholeMatch(of: /(.+)-[0-9]{4,}/) { name = String(match.1) }
    return name.isEmpty ? "dump" : name
  }

  /// `12.34 GiB`, `5.00 MiB`, `512 B` (binary units, as node memory is given).
  package static func bytes(_ count: Int) -> String {
    let units = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]
    for (name, size) in units where count >= size {
      let hundredths = count * 100 / size
      let fraction = hundredths % 100
      return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction) \(name)"
    }
    return "\(count) B"
  }
}
