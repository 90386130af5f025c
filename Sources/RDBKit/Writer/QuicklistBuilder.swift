/// A list's quicklist nodes, built while its elements arrive, as the server builds them on
/// `RPUSH`: a node takes elements while its size plus the new element plus 8 stays within
/// the node size; with listpacks, an element larger than
/// ``EncodingLimits/largestPackedElement`` gets a PLAIN node of its own.
///
/// Only finished node blobs are kept (one element each in ``nodes``), so a list costs its
/// encoded size until it is written, with no bookkeeping per element.
///
/// A list written node for node (``beginNodeByNode()``) keeps none: each node the input
/// stored becomes one node, built in ``node`` while its elements arrive and written out
/// before the next one starts (see ``RDBWriter/listNodeBlob(_:)``).
struct QuicklistBuilder {
  /// Finished nodes: listpacks or ziplists, or single elements for PLAIN nodes.
  let nodes = ValueBuffer()
  /// Whether each node is a PLAIN node.
  private(set) var plain: [Bool] = []
  /// Elements appended since the last reset.
  private(set) var elementCount = 0
  /// The node being built.
  private(set) var node = PackedEncoder(WriteFormat(RDBVersion(magic: .redis, number: 10)))
  /// Whether each input node becomes one node, written as soon as it is complete.
  private(set) var writesNodeByNode = false
  /// Node for node: whether a node has been started and not yet written.
  private(set) var hasOpenNode = false
  /// Node for node: whether the input stored the open node uncompressed though over 20
  /// bytes (see ``RDBWriter/valueBlob(_:)``).
  var openNodeWasUncompressed = false
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
    guard elementCount > 0 || !plain.isEmpty || writesNodeByNode else { return }
    nodes.reset()
    plain.removeAll(keepingCapacity: true)
    elementCount = 0
    writesNodeByNode = false
    hasOpenNode = false
    startNode()
  }

  /// Makes each input node one node from here to the next ``reset()``: ``openNode()`` starts
  /// one, ``closeNode()`` completes it in ``node``.
  mutating func beginNodeByNode() {
    writesNodeByNode = true
    hasOpenNode = false
  }

  /// Node for node: starts the next node.
  mutating func openNode() {
    startNode()
    hasOpenNode = true
  }

  /// Node for node: completes the open node in ``node`` (a node without elements is an
  /// empty blob, which a loading server skips); false when none is open.
  mutating func closeOpenNode() -> Bool {
    guard hasOpenNode else { return false }
    hasOpenNode = false
    node.finish()
    return true
  }

  /// Node for node: appends every element of the listpack `node` to the open node, as
  /// ``append(_:)`` would append their text one by one (an integer element straight as an
  /// integer), walking and checking the listpack as the parser does. False when it breaks
  /// off, the open node then emptied so that the parser's element events can fill it again.
  @unsafe mutating func appendListpack(_ node: UnsafeRawBufferPointer) -> Bool {
    let before = elementCount
    do throws(RDBError) {
      var reader = unsafe try ListpackReader(node, origin: 0)
      while true {
        // Short strings and small integers with one-byte backlens first, inline.
        if let string = unsafe reader.nextShortString() {
          unsafe self.node.append(shortString: string)
          continue
        }
        if let integer = reader.nextSmallInteger() {
          self.node.append(integer: integer)
          continue
        }
        guard let element = try reader.next() else { break }
        if element.isInteger {
          self.node.append(integer: element.integer)
        } else {
          unsafe self.node.append(unsafeBytes: element.string)
        }
      }
      elementCount &+= reader.count
      return true
    } catch {
      self.node.reset()
      elementCount = before
      return false
    }
  }

  /// Adds the next element, tail-wards.
  mutating func append(_ element: RawSpan) {
    elementCount &+= 1
    if writesNodeByNode {
      node.append(element)
      return
    }
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
