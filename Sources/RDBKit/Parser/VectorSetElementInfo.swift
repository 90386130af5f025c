/// What a vector set stores about one element besides its name, vector and attributes: the
/// scale of its vector and its place in the HNSW graph.
///
/// The float vector `VEMB` returns is, per component: `f32`: `v · l2`; `int8`:
/// `(q · range / 127) · l2`; `bin`: `±1`.
public struct VectorSetElementInfo: Sendable, Equatable {
  /// The L2 norm of the vector before normalization.
  public var l2: Float
  /// The int8 quantization range; nil for `f32` and `bin` sets, whose files hold undefined
  /// bits there.
  public var range: Float?
  /// The HNSW node id, unique within the set.
  public var nodeID: UInt64
  /// The node's top HNSW layer.
  public var level: Int
  /// The most links the node keeps on layer 0 (`2 · M` when it was created), which the
  /// server's `MEMORY USAGE` estimate takes from the set's first node.
  public var linkLimit: Int

  /// Creates element information.
  public init(l2: Float, range: Float?, nodeID: UInt64, level: Int, linkLimit: Int) {
    self.l2 = l2
    self.range = range
    self.nodeID = nodeID
    self.level = level
    self.linkLimit = linkLimit
  }
}
