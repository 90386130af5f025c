/// What the walk of a stream node's entries finds, from a handler that wrote the node whole
/// (``RDBHandler/streamNode(_:master:after:)``): what the stream's walk carries on to its next
/// node and compares with its stored length.
public struct WrittenStreamNode: Sendable, Equatable {
  /// Entries not flagged deleted.
  public var liveEntries: UInt64
  /// The node's first and last entries' IDs, deleted ones included (nil without entries).
  public var firstID: StreamID?
  public var lastID: StreamID?

  /// A node's walk summed up.
  public init(liveEntries: UInt64, firstID: StreamID?, lastID: StreamID?) {
    self.liveEntries = liveEntries
    self.firstID = firstID
    self.lastID = lastID
  }
}
