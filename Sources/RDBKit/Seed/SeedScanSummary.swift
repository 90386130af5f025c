/// What ``SeedScan`` found in one input file: its format, what a rewrite for the target would
/// lose, its keys' databases, placement and memory, and its functions and module data.
public struct SeedScanSummary: Sendable {
  /// The file's header.
  public var version: RDBVersion
  /// What `rdbtool rewrite --target` would leave out.
  public var losses: LossReport
  /// Keys by database, shard memory and slot placement.
  public var tally: SeedTally
  /// Function libraries (`FUNCTION2` records).
  public var functions: Int
  /// Module values by module type name (`vectorset` for vector sets).
  public var moduleValues: [String: Int]
  /// Module types with global data (`MODULE_AUX`).
  public var moduleAuxTypes: Set<String>

  /// A summary of these findings.
  public init(
    version: RDBVersion, losses: LossReport, tally: SeedTally, functions: Int,
    moduleValues: [String: Int], moduleAuxTypes: Set<String>
  ) {
    self.version = version
    self.losses = losses
    self.tally = tally
    self.functions = functions
    self.moduleValues = moduleValues
    self.moduleAuxTypes = moduleAuxTypes
  }
}
