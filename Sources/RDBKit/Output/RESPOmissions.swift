/// What ``RESPWriter`` left out because the ``RESPTarget`` lacks the command, counted.
public struct RESPOmissions: Sendable, Equatable {
  /// `HPEXPIREAT` commands (one per field TTL).
  public var fieldTTLs = 0
  /// `FUNCTION LOAD` commands (one per library).
  public var functions = 0
  /// Stream keys.
  public var streams = 0
  /// `ENTRIESADDED`/`MAXDELETEDID`/`ENTRIESREAD` arguments left off, per stream or group.
  public var streamMetadata = 0
  /// `XGROUP CREATECONSUMER` commands.
  public var consumers = 0
  /// Vector-set keys.
  public var vectorSets = 0
  /// `XCFGSET` and `XIDMPRECORD` commands.
  public var streamIdempotency = 0

  /// Nothing left out.
  public init() {}

  /// Whether nothing was left out.
  public var isEmpty: Bool { self == RESPOmissions() }

  /// One phrase per kind left out, such as `79 HPEXPIREAT (hash field TTLs)`.
  public var phrases: [String] {
    [
      (fieldTTLs, "HPEXPIREAT (hash field TTLs)"),
      (functions, "FUNCTION LOAD (function libraries)"),
      (streams, "stream keys"),
      (streamMetadata, "ENTRIESADDED/ENTRIESREAD arguments (stream metadata)"),
      (consumers, "XGROUP CREATECONSUMER (consumers without pending entries are lost)"),
      (vectorSets, "vector-set keys"),
      (streamIdempotency, "XCFGSET/XIDMPRECORD (stream IDMP state)"),
    ].filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }
  }
}
