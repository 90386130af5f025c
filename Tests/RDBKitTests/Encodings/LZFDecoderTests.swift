import CLZF
import Testing

@testable import RDBKit

/// The LZF decoder against liblzf's `lzf_decompress` (the decoder Redis ships, and the one
/// rdbtool called before): on what `lzf_compress` makes of seeded data, and on that data
/// damaged (bit flips, cuts, announced lengths one off, random bytes), the two must produce
/// the same count (0 for a failure) and, when they succeed, the same bytes.
@Suite struct LZFDecoderTests {
  /// What a decoder made of an input: the count it returned and the bytes it produced.
  struct Outcome: Equatable {
    var count: Int
    var bytes: [UInt8]
  }

  static func reference(_ input: [UInt8], capacity: Int) -> Outcome {
    var output = [UInt8](repeating: 0, count: max(capacity, 1))
    let count = input.withUnsafeBytes { source in
      output.withUnsafeMutableBytes { destination in
        Int(
          lzf_decompress(
            source.baseAddress, UInt32(source.count), destination.baseAddress, UInt32(capacity)))
      }
    }
    return Outcome(count: count, bytes: Array(output.prefix(count)))
  }

  static func decoded(_ input: [UInt8], capacity: Int) -> Outcome {
    var output = [UInt8](repeating: 0, count: max(capacity, 1))
    let count = input.withUnsafeBytes { source in
      output.withUnsafeMutableBytes { destination in
        guard let base = source.baseAddress, let target = destination.baseAddress else {
          return -1
        }
        return unsafe LZF.decode(base, count: source.count, into: target, capacity: capacity)
      }
    }
    return Outcome(count: count, bytes: Array(output.prefix(count)))
  }

  /// Data LZF compresses with every kind of reference: runs from a 4-letter alphabet, copies
  /// of earlier stretches from 1 byte back (overlapping) to 8 KiB back, 3 to 300 bytes long.
  static func plain(_ random: inout SplitMix64, size: Int) -> [UInt8] {
    var bytes: [UInt8] = []
    while bytes.count < size {
      if bytes.count < 8 || random.below(3) == 0 {
        for _ in 0..<(1 + random.below(20)) { bytes.append(UInt8(97 + random.below(4))) }
      } else {
        let distance = 1 + random.below(min(bytes.count, 8192))
        let start = bytes.count - distance
        for index in 0..<(3 + random.below(298)) { bytes.append(bytes[start + index]) }
      }
    }
    return Array(bytes.prefix(size))
  }

  static func compressed(_ plain: [UInt8]) -> [UInt8]? {
    var output = [UInt8](repeating: 0, count: plain.count + plain.count / 16 + 64)
    let count = plain.withUnsafeBytes { source in
      output.withUnsafeMutableBytes { destination in
        Int(
          lzf_compress(
            source.baseAddress, UInt32(source.count), destination.baseAddress,
            UInt32(destination.count)))
      }
    }
    return count > 0 ? Array(output.prefix(count)) : nil
  }

  @Test(arguments: [1, 2, 3, 4] as [UInt64])
  func agreesWithLiblzf(seed: UInt64) throws {
    print("LZFDecoderTests seed \(seed)")
    var random = SplitMix64(seed: seed)
    var decodedWhole = 0
    for round in 0..<600 {
      let size = 1 + random.below(round.isMultiple(of: 10) ? 40_000 : 700)
      let original = Self.plain(&random, size: size)
      let input = try #require(Self.compressed(original))
      #expect(Self.decoded(input, capacity: size) == Outcome(count: size, bytes: original))
      decodedWhole += 1
      var cases: [([UInt8], Int)] = [(input, size - 1), (input, size + 1), (input, 0)]
      for _ in 0..<4 {
        var flipped = input
        flipped[random.below(flipped.count)] ^= UInt8(1 << random.below(8))
        cases.append((flipped, size))
      }
      cases.append((Array(input.prefix(1 + random.below(input.count))), size))
      cases.append(((0..<(1 + random.below(64))).map { _ in UInt8(random.below(256)) }, 300))
      for (damaged, capacity) in cases {
        #expect(
          Self.decoded(damaged, capacity: capacity) == Self.reference(damaged, capacity: capacity),
          "seed \(seed) round \(round): \(damaged.count) bytes, room for \(capacity)")
      }
    }
    #expect(decodedWhole == 600)
  }
}
