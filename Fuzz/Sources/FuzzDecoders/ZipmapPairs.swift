/// A zipmap's pairs, decoded leniently so that a mutation can change them and write the blob
/// again with its lengths and count consistent.
struct ZipmapPairs {
  struct Pair {
    var field: [UInt8]
    var value: [UInt8]
    /// The padding bytes after the value (the `free` byte says how many).
    var free = 0
    /// Whether a length under 254 is written in the 5-byte form.
    var longLengths = false
  }

  var pairs: [Pair] = []
  /// Bytes after the end marker that closes the pairs, which a server ignores.
  var trailer: [UInt8] = []

  /// The pairs that can be followed from byte 1 of `blob`.
  init(_ blob: [UInt8]) {
    let end = blob.count - 1
    var position = 1
    var long = false
    func length() -> Int? {
      guard position < end else { return nil }
      if blob[position] < 254 {
        position += 1
        return Int(blob[position - 1])
      }
      guard blob[position] == 254, position + 5 <= end else { return nil }
      long = true
      let value = PackedEntries.signed(Array(blob[position + 1...position + 4]) + [0])
      position += 5
      return Int(value)
    }
    while position < end, blob[position] != 0xFF {
      guard let fieldLength = length(), fieldLength <= end - position else { break }
      let field = Array(blob[position..<position + fieldLength])
      position += fieldLength
      guard let valueLength = length(), position < end else { break }
      let free = Int(blob[position])
      position += 1
      guard valueLength + free <= end - position else { break }
      pairs.append(
        Pair(
          field: field, value: Array(blob[position..<position + valueLength]), free: free,
          longLengths: long))
      position += valueLength + free
      long = false
    }
    if position < end, blob[position] == 0xFF { trailer = Array(blob[position + 1..<end]) }
  }

  mutating func mutate(_ source: inout MutationSource, byteBudget: Int) {
    for _ in 0...source.below(3) {
      guard !pairs.isEmpty else {
        pairs.append(Pair(field: [0x66], value: [0x76]))
        continue
      }
      let index = source.below(pairs.count)
      let limit = min(max(byteBudget, 0), 64)
      switch source.below(8) {
      case 0, 1:
        pairs[index].field = source.mutated(
          pairs[index].field, limit: pairs[index].field.count + limit)
      case 2, 3:
        pairs[index].value = source.mutated(
          pairs[index].value, limit: pairs[index].value.count + limit)
      case 4: pairs[index].free = source.below(6)
      case 5: pairs[index].longLengths.toggle()
      case 6: pairs.insert(pairs[index], at: source.below(pairs.count + 1))
      default:
        if source.oneIn(2) {
          pairs.remove(at: index)
        } else {
          trailer = source.oneIn(2) ? [] : [0xFF, 0x01]
        }
      }
    }
  }

  /// The zipmap: count byte (254, unknown, from 254 pairs on), pairs, end marker, trailer
  /// and the end marker a trailer needs after it.
  func zipmap(_ fields: inout LengthFields) -> [UInt8] {
    fields.add(0, width: 1)
    var blob: [UInt8] = [UInt8(min(pairs.count, 254))]
    for pair in pairs {
      PackedEntries.appendShortOrLong(
        pair.field.count, long: pair.longLengths, to: &blob, &fields)
      blob += pair.field
      PackedEntries.appendShortOrLong(
        pair.value.count, long: pair.longLengths, to: &blob, &fields)
      fields.add(blob.count, width: 1)
      blob.append(UInt8(pair.free))
      blob += pair.value + [UInt8](repeating: 0, count: pair.free)
    }
    blob.append(0xFF)
    if !trailer.isEmpty { blob += trailer + [0xFF] }
    return blob
  }
}
