/// A small LZF compressor (greedy, one hash slot per 3-byte prefix) whose output liblzf's
/// `lzf_decompress` reads: literal runs `000LLLLL` + L+1 bytes, back-references
/// `LLLOOOOO OOOOOOOO` (length L+2, L = 7 adds a byte) at offset O+1 up to 8 KiB back.
public enum LZFCompressor {
  /// The compressed bytes, or nil when there is nothing to gain.
  public static func compress(_ input: [UInt8]) -> [UInt8]? {
    let count = input.count
    guard count >= 4 else { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(count)
    var table = [Int](repeating: -1, count: 1 << 14)
    var literalStart = 0
    var index = 0

    func flushLiterals(upTo end: Int) {
      var start = literalStart
      while start < end {
        let run = min(32, end - start)
        out.append(UInt8(run - 1))
        out += input[start..<start + run]
        start += run
      }
    }

    while index + 2 < count {
      let hash = (Int(input[index]) << 16 | Int(input[index + 1]) << 8 | Int(input[index + 2]))
        &* 2_654_435_761 >> 10 & ((1 << 14) - 1)
      let candidate = table[hash]
      table[hash] = index
      let offset = index - candidate - 1
      if candidate >= 0, offset < 8192, input[candidate] == input[index],
        input[candidate + 1] == input[index + 1], input[candidate + 2] == input[index + 2]
      {
        var matched = 3
        let limit = min(264, count - index)
        while matched < limit, input[candidate + matched] == input[index + matched] { matched += 1 }
        flushLiterals(upTo: index)
        let encoded = matched - 2
        if encoded < 7 {
          out.append(UInt8(encoded << 5 | offset >> 8))
        } else {
          out.append(UInt8(7 << 5 | offset >> 8))
          out.append(UInt8(encoded - 7))
        }
        out.append(UInt8(offset & 0xFF))
        index += matched
        literalStart = index
      } else {
        index += 1
      }
      if out.count >= count { return nil }
    }
    flushLiterals(upTo: count)
    return out.count < count ? out : nil
  }
}
