/// The entries of a ziplist or listpack, decoded leniently (as far as their encodings can be
/// followed, whatever the header, prevlens and backlens say) so that a mutation can change
/// them and write the blob again with every length consistent.
struct PackedEntries {
  /// One entry: its value and the form it is written in.
  struct Entry {
    enum Value: Equatable {
      case string([UInt8])
      case integer(Int64)
    }

    var value: Value
    /// How many forms wider than the smallest that holds the value the entry is written in
    /// (a 14-bit string length for 5 bytes, a 64-bit integer for 7): non-minimal but valid.
    var widening = 0
    /// A ziplist entry whose prevlen takes 5 bytes though it is under 254.
    var longPrevlen = false
  }

  var entries: [Entry] = []

  /// Changes one to three entries, or the list of them.
  mutating func mutate(_ source: inout MutationSource, byteBudget: Int) {
    for _ in 0...source.below(3) {
      mutateOnce(&source, byteBudget: byteBudget)
    }
  }

  private mutating func mutateOnce(_ source: inout MutationSource, byteBudget: Int) {
    guard !entries.isEmpty else {
      entries.append(Entry(value: .integer(source.integer(near: 0))))
      return
    }
    let index = source.below(entries.count)
    switch source.below(10) {
    case 0, 1:
      let bytes: [UInt8]
      switch entries[index].value {
      case let .string(string): bytes = string
      case let .integer(value): bytes = Array(String(value).utf8)
      }
      let limit = bytes.count + min(max(byteBudget, 0), 64)
      entries[index].value = .string(source.mutated(bytes, limit: limit))
    case 2, 3:
      if case let .integer(value) = entries[index].value {
        entries[index].value = .integer(source.integer(near: value))
      } else {
        entries[index].value = .integer(source.integer(near: Int64(entries.count)))
      }
    case 4:
      // An integer as its text (which the decoders read as a string that spells one), or a
      // string that spells an integer as that integer.
      switch entries[index].value {
      case let .integer(value): entries[index].value = .string(Array(String(value).utf8))
      case let .string(bytes):
        if let value = Int64(String(decoding: bytes, as: UTF8.self)) {
          entries[index].value = .integer(value)
        }
      }
    case 5:
      entries.insert(entries[index], at: source.below(entries.count + 1))
    case 6:
      entries.remove(at: index)
    case 7:
      entries.swapAt(index, source.below(entries.count))
    case 8:
      entries[index].widening = source.below(4)
      entries[index].longPrevlen.toggle()
    default:
      let lengths = MutationSource.edgeLengths.filter { $0 <= max(byteBudget, 0) }
      let length = lengths.isEmpty ? 0 : lengths[source.below(lengths.count)]
      let fill = UInt8(ascii: "a") &+ UInt8(source.below(26))
      entries.insert(
        Entry(value: .string([UInt8](repeating: fill, count: length))),
        at: source.below(entries.count + 1))
    }
  }

  /// Entries of `self` up to a cut, then `other`'s from its own cut.
  func crossed(with other: PackedEntries, _ source: inout MutationSource) -> PackedEntries {
    var result = PackedEntries()
    result.entries =
      Array(entries.prefix(source.below(entries.count + 1)))
      + other.entries.suffix(source.below(other.entries.count + 1))
    return result
  }
}
