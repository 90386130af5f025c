/// The thresholds a server's default configuration applies when it chooses an encoding
/// (`hash-max-listpack-entries` and the like); the writer applies the same ones, so that the
/// loading server holds each value as it would have built it itself.
public struct EncodingLimits: Sendable, Equatable {
  /// `hash-max-listpack-entries` (`-ziplist-` before 7.0).
  public var hashEntries = 512
  /// `hash-max-listpack-value`.
  public var hashValue = 64
  /// `zset-max-listpack-entries`.
  public var sortedSetEntries = 128
  /// `zset-max-listpack-value`.
  public var sortedSetValue = 64
  /// `set-max-intset-entries`.
  public var intsetEntries = 512
  /// `set-max-listpack-entries` (7.2+; 0 where sets have no listpack form).
  public var setListpackEntries = 128
  /// `set-max-listpack-value`.
  public var setListpackValue = 64
  /// `list-max-ziplist-entries` before 3.2, when a list was one ziplist or a linked list.
  public var listZiplistEntries = 512
  /// `list-max-ziplist-value` before 3.2.
  public var listZiplistValue = 64
  /// The byte size of a quicklist node (`list-max-listpack-size -2`: 8 KiB).
  public var listNodeBytes = 8192
  /// Elements larger than this get a PLAIN quicklist node of their own (RDB 10+): just under
  /// 1 GiB in Redis 7.0–7.2 and Valkey 7.2, the node size in Redis 7.4+ and Valkey 8+.
  public var largestPackedElement = (1 << 30) - 1
  /// `stream-node-max-bytes`.
  public var streamNodeBytes = 4096
  /// `stream-node-max-entries`.
  public var streamNodeEntries = 100

  /// Redis 7.0's defaults.
  public init() {}
}
