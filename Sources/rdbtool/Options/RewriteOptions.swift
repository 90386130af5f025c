import ArgumentParser
import RDBKit

/// What `rewrite` writes: the target format, database mapping and what may be lost.
struct RewriteOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "The server the file is for, such as redis-6.2, valkey-8.0 or elasticache-valkey-8.1 "
        + "(rdbtool rewrite --list-targets).", valueName: "ENGINE-VERSION"))
  var target: String?

  @Option(help: ArgumentHelp("Write RDB version N (80: Valkey 9's VALKEY080).", valueName: "N"))
  var rdbVersion: Int?

  @Option(
    name: .customLong("db-map"),
    help: ArgumentHelp(
      "Move database SRC's keys to database DST (repeatable).", valueName: "SRC=DST"))
  var databaseMaps: [String] = []

  @Flag(help: "Put every database's keys into database 0 (a cluster needs that).")
  var singleDb = false

  @Option(
    help: ArgumentHelp(
      "When inputs or databases are merged and a key name repeats: error, or keep the first "
        + "or the last occurrence."))
  var onDuplicate: DuplicateKeyPolicy = .error

  @Flag(help: "Write the file even if the target cannot hold everything; report what was left out.")
  var allowLoss = false

  @Option(help: ArgumentHelp("Also write the loss report as JSON to FILE.", valueName: "FILE"))
  var report: String?

  @Flag(help: "Do not LZF-compress strings (as rdbcompression no).")
  var noCompress = false

  @Flag(help: "Write a zero checksum trailer (as rdbchecksum no).")
  var noChecksum = false

  func validate() throws {
    if target != nil, rdbVersion != nil {
      throw ValidationError("--target and --rdb-version are alternatives: give one.")
    }
    if let target, TargetEngine.named(target) == nil {
      throw ValidationError(
        "unknown --target '\(target)'; known: \(TargetEngine.all.map(\.name).joined(separator: ", "))."
      )
    }
    if let rdbVersion, !(1...RDBVersion.newestRedis).contains(rdbVersion),
      rdbVersion != RDBVersion.newestValkey
    {
      throw ValidationError(
        "--rdb-version takes 1-\(RDBVersion.newestRedis) or \(RDBVersion.newestValkey), not \(rdbVersion)."
      )
    }
    _ = try databaseMap()
  }

  /// `--db-map` as a dictionary.
  func databaseMap() throws -> [Int: Int] {
    var map: [Int: Int] = [:]
    for entry in databaseMaps {
      let parts = entry.split(separator: "=")
      guard parts.count == 2, let source = Int(parts[0]), let destination = Int(parts[1]),
        source >= 0, destination >= 0
      else {
        throw ValidationError("--db-map takes SRC=DST with two database numbers, not '\(entry)'.")
      }
      guard map[source] == nil else {
        throw ValidationError("--db-map maps database \(source) twice.")
      }
      map[source] = destination
    }
    return map
  }

  /// The target engine, or nil to keep each input's version.
  var engine: TargetEngine? {
    if let target { return TargetEngine.named(target) }
    if let rdbVersion {
      let magic: RDBVersion.Magic = rdbVersion == RDBVersion.newestValkey ? .valkey : .redis
      return TargetEngine.format(RDBVersion(magic: magic, number: rdbVersion))
    }
    return nil
  }

  /// The writer's options.
  func writerOptions(filtering: Bool) throws -> RDBWriter.Options {
    var options = RDBWriter.Options(target: engine)
    options.compresses = !noCompress
    options.writesChecksum = !noChecksum
    options.databaseMap = try databaseMap()
    options.singleDatabase = singleDb
    options.writesSizeHints = !filtering && options.databaseMap.isEmpty && !singleDb
    return options
  }

  /// The `--on-duplicate` policy when keys of several inputs (`mergingInputs`) or databases
  /// can meet in one output database; nil when none can.
  func duplicatePolicy(mergingInputs: Bool) throws -> DuplicateKeyPolicy? {
    let map = try databaseMap()
    let targets = map.values
    let databasesMeet =
      singleDb || Set(targets).count < targets.count
      || map.contains { source, destination in source != destination && map[destination] == nil }
    return databasesMeet || mergingInputs ? onDuplicate : nil
  }

  /// `--on-duplicate last` reads the inputs twice, which standard input cannot be.
  func validate(inputs: [String]) throws {
    if onDuplicate == .last, inputs.contains("-") {
      throw ValidationError(
        "--on-duplicate last reads the inputs twice (key names first), and '-' (standard "
          + "input) can be read once: save it to a file first.")
    }
  }
}

extension DuplicateKeyPolicy: ArgumentChoice {}
