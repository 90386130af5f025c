import RDBKit

/// One entry of a hand-built stream node: its ID relative to the node's master ID, its
/// fields, and its flags.
struct StreamNodeEntry {
  var msDelta: Int64
  var seqDelta: Int64
  var fields: [(String, String)]
  var deleted = false
  /// Whether the entry uses the master entry's field names (flag 2): only its values are
  /// stored.
  var sameFields = false
}

/// Builds stream values (RDB type 15, as Redis 5.0 wrote them) byte by byte, so that a test
/// can write what a server of today never would: a length that disagrees with the entries,
/// entries out of ID order, a node whose listpack header miscounts.
enum StreamImage {
  /// A node's listpack: the master entry (live and deleted counts, master field names, 0),
  /// then each entry (flags, ID deltas, fields or values, element count). `live` and
  /// `deleted` default to the true counts; `count` to the true element count.
  static func node(
    masterFields: [String], entries: [StreamNodeEntry], live: Int64? = nil,
    deleted: Int64? = nil, count: UInt16? = nil
  ) -> [UInt8] {
    var elements: [ListpackElement] = [
      integer(live ?? Int64(entries.filter { !$0.deleted }.count)),
      integer(deleted ?? Int64(entries.filter(\.deleted).count)),
      integer(Int64(masterFields.count)),
    ]
    elements += masterFields.map { .string(utf8($0)) }
    elements.append(integer(0))
    for entry in entries {
      elements.append(integer((entry.deleted ? 1 : 0) | (entry.sameFields ? 2 : 0)))
      elements += [integer(entry.msDelta), integer(entry.seqDelta)]
      if entry.sameFields {
        elements += entry.fields.map { .string(utf8($0.1)) }
        elements.append(integer(Int64(entry.fields.count + 3)))
      } else {
        elements.append(integer(Int64(entry.fields.count)))
        for (field, value) in entry.fields {
          elements += [.string(utf8(field)), .string(utf8(value))]
        }
        elements.append(integer(Int64(entry.fields.count * 2 + 4)))
      }
    }
    return listpack(elements, count: count)
  }

  /// A listpack integer in the shortest form these tests need.
  static func integer(_ value: Int64) -> ListpackElement {
    value >= 0 && value < 128 ? .uint7(UInt8(value)) : .int64(value)
  }

  /// Appends a type-15 stream value after its key: the nodes (master ID, listpack), then the
  /// stored length, the last ID and the consumer groups.
  static func append(
    to image: inout RDBImageBuilder, nodes: [(master: StreamID, listpack: [UInt8])],
    length: UInt64, lastID: StreamID, groups: [StreamGroupImage] = []
  ) {
    image.length(UInt64(nodes.count))
    for node in nodes {
      image.string(
        RDBImageBuilder.bigEndian(node.master.milliseconds)
          + RDBImageBuilder.bigEndian(node.master.sequence))
      image.string(node.listpack)
    }
    image.length(length)
    image.length(lastID.milliseconds)
    image.length(lastID.sequence)
    image.length(UInt64(groups.count))
    for group in groups { group.append(to: &image) }
  }
}
