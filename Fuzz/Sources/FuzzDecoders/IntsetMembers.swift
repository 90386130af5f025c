/// An intset's member width and members, decoded leniently so that a mutation can change
/// them and write the blob again with its width and count consistent.
struct IntsetMembers {
  var width = 2
  var members: [Int64] = []

  /// The width (2 when it is not 2, 4 or 8) and the members that fit in `blob`.
  init(_ blob: [UInt8]) {
    guard blob.count >= 8 else { return }
    let declared = Int(blob[0]) | Int(blob[1]) << 8 | Int(blob[2]) << 16 | Int(blob[3]) << 24
    width = [2, 4, 8].contains(declared) ? declared : 2
    var offset = 8
    while offset + width <= blob.count {
      members.append(PackedEntries.signed(Array(blob[offset..<offset + width])))
      offset += width
    }
  }

  init() {}

  mutating func mutate(_ source: inout MutationSource) {
    for _ in 0...source.below(3) {
      let index = members.isEmpty ? 0 : source.below(members.count)
      switch source.below(7) {
      case 0, 1:
        guard !members.isEmpty else { fallthrough }
        members[index] = source.integer(near: members[index])
      case 2:
        members.insert(source.integer(near: members.last ?? 0), at: source.below(members.count + 1))
      case 3:
        if !members.isEmpty { members.remove(at: index) }
      case 4:
        // A repeat or an unsorted pair, which the decoder must refuse.
        if !members.isEmpty { members.insert(members[index], at: source.below(members.count + 1)) }
      case 5:
        width = [2, 4, 8][source.below(3)]
      default:
        members.sort()
        members = members.reduce(into: []) { if $0.last != $1 { $0.append($1) } }
      }
    }
  }

  /// The intset, with the members cut to the width (a value too wide for it wraps).
  func intset(_ fields: inout LengthFields) -> [UInt8] {
    fields.add(0, width: 4)
    fields.add(4, width: 4)
    var blob = PackedEntries.littleEndian(UInt64(width), 4)
    blob += PackedEntries.littleEndian(UInt64(members.count), 4)
    for member in members { blob += PackedEntries.littleEndian(UInt64(bitPattern: member), width) }
    return blob
  }
}
