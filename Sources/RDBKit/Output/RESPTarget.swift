/// The commands a server that will load `dump --format resp` output understands, by release:
/// what ``RESPWriter`` may write for it and what it leaves out (and counts).
///
/// | command | from |
/// | --- | --- |
/// | `HSET` with several fields (`HMSET` before) | Redis 4.0 |
/// | `XADD`, `XGROUP CREATE`, `XCLAIM` (streams) | Redis 5.0 |
/// | `XGROUP CREATECONSUMER` | Redis 6.2 |
/// | `FUNCTION LOAD`; `XSETID … ENTRIESADDED … MAXDELETEDID`, `XGROUP CREATE … ENTRIESREAD` | Redis 7.0 |
/// | `HPEXPIREAT` (hash field TTLs) | Redis 7.4, Valkey 9.0 |
/// | `VADD`, `RESTORE` of a vector set (vector sets) | Redis 8.0 |
/// | `XCFGSET`, `XIDMPRECORD` (idempotent producers) | Redis 8.6 |
///
/// Valkey has everything Redis 7.2 has, and field TTLs from 9.0.
public struct RESPTarget: Sendable, Equatable {
  /// The server, as ``TargetEngine/server`` names it (`Redis 7.0`).
  public var server: String
  /// `HSET key f v f v …`; before Redis 4.0, `HMSET`.
  public var hasVariadicHSET = true
  /// Streams (`XADD`, `XGROUP CREATE`, `XCLAIM`).
  public var hasStreams = true
  /// `XGROUP CREATECONSUMER`.
  public var hasCreateConsumer = true
  /// `FUNCTION LOAD`.
  public var hasFunctions = true
  /// `ENTRIESADDED`/`MAXDELETEDID` of `XSETID` and `ENTRIESREAD` of `XGROUP CREATE`.
  public var hasStreamMetadata = true
  /// `HPEXPIREAT`.
  public var hasFieldTTLs = true
  /// `VADD`.
  public var hasVectorSets = true
  /// `XCFGSET` and `XIDMPRECORD`.
  public var hasStreamIdempotency = true
  /// The RDB version a `RESTORE` payload names, at most the server's own (nil: the input
  /// file's).
  public var restoreVersion: Int?
  /// The newest serialization version of vector-set nodes the server reads
  /// (``TargetEngine/vectorSetNodeVersion``).
  public var vectorSetNodeVersion = 1

  /// Every command: the newest servers.
  public static let newest = RESPTarget(server: "the newest servers")

  private init(server: String) { self.server = server }

  /// What `engine` understands, from the release in its name (`redis-7.0`,
  /// `elasticache-valkey-8.1`).
  public init(_ engine: TargetEngine) {
    server = engine.server
    let release = engine.name.split(separator: "-").last.map { $0.split(separator: ".") } ?? []
    let major = release.first.flatMap { Int($0) } ?? 99
    let minor = release.dropFirst().first.flatMap { Int($0) } ?? 0
    let version = major * 100 + minor
    if engine.name.contains("valkey") {
      hasFieldTTLs = version >= 900
      hasVectorSets = false
      hasStreamIdempotency = false
      return
    }
    hasVariadicHSET = version >= 400
    hasStreams = version >= 500
    hasCreateConsumer = version >= 602
    hasFunctions = version >= 700
    hasStreamMetadata = version >= 700
    hasFieldTTLs = version >= 704
    hasVectorSets = engine.builtInModules.contains("vectorset")
    hasStreamIdempotency = version >= 806
    restoreVersion = engine.version.number
    vectorSetNodeVersion = engine.vectorSetNodeVersion
  }
}
