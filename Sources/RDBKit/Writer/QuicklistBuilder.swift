/// A list's quicklist nodes, built while its elements arrive, as the server builds them on
/// `RPUSH`: a node takes elements while its size plus the new element plus 8 stays within
/// the node size; with listpacks, an element larger than
/// ``EncodingLimits/largestPackedElement`` gets a PLAIN node of its own.
///
/// Only finished node blobs are kept (one element each in ``nodes``), so a list costs its
/// encoded size until it is written, with no bookkeeping per element.
struct QuicklistBuilder {
  /// Finished nodes: listpacks or ziplists, or single elements for PLAIN nodes.
  let nodes = ValueBuffer()
  /// Whether each node is a PLAIN node.
  private(set) var plain: [Bool] = []
  /// Elements appended since the last reset.
  private(set) var elementCount = 0
  private var node = PackedEncoder(WriteFormat(RDBVersion(magic: .redis, number: 10)))
  private var limits = EncodingLimits()
  private var nodeElements = 0
  private var nodeBytes = 7

  /// Builds nodes for `format` with `limits`; call before the first list.
  mutating func configure(_ format: WriteFormat, limits: EncodingLimits) {
    node = PackedEncoder(format)
    self.limits = limits
  }

  /// Empties the builder, keeping its storage.
  mutating func reset() {
    guard elementCount > 0 || !plain.isEmpty else { return }
    nodes.reset()
    plain.removeAll(keepingCapacity: true)
    elementCount = 0
    startNode()
  }

  /// Adds the next element, tail-wards.
  mutating func append(_ element: RawSpan) {
    elementCount &+= 1
    let length = element.byteCount
    if node.usesListpacks, length > limits.largestPackedElement {
      closeNode()
      nodes.append(element)
      plain.append(true)
      return
    }
    if nodeElements > 0, nodeBytes &+ length &+ 8 > limits.listNodeBytes || nodeElements >= 65535 {
      closeNode()
    }
    node.append(element)
    nodeElements &+= 1
    nodeBytes &+= Self.packedEntrySize(length)
  }

  /// Finishes the last node.
  mutating func finish() {
    closeNode()
  }

  private mutating func closeNode() {
    guard nodeElements > 0 else { return }
    node.finish()
    unsafe nodes.append(RawSpan(_unsafeBytes: node.blob.buffer))
    plain.append(false)
    startNode()
  }

  private mutating func startNode() {
    node.reset()
    nodeElements = 0
    nodeBytes = 7
  }

  /// An upper estimate of a string element's size in a listpack or ziplist.
  private static func packedEntrySize(_ length: Int) -> Int {
    switch length {
    case ..<64: return length + 2
    case ..<4096: return length + 4
    default: return length + 10
    }
  }
}
