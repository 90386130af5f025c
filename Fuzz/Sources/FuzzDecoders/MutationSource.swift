/// libFuzzer's own byte mutator (in the fuzzer runtime): mutates `size` bytes at `data` in
/// place, to at most `maxSize`, and returns the new size.
@_silgen_name("LLVMFuzzerMutate")
func libFuzzerMutate(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int)
  -> Int

/// The choices of one structure-aware mutation: a generator seeded by libFuzzer (so that a
/// mutation repeats with its seed), the values worth trying at the edges of each encoding,
/// and libFuzzer's byte mutator for the bytes inside an element.
struct MutationSource {
  private var state: UInt64

  init(seed: UInt32) {
    state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 | 1
  }

  /// A number in `0..<bound` (`bound` > 0).
  mutating func below(_ bound: Int) -> Int {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return Int((state >> 33) % UInt64(bound))
  }

  /// True one time in `n`.
  mutating func oneIn(_ n: Int) -> Bool { below(n) == 0 }

  /// Integers at the edges of the packed integer forms, and a few beside them.
  static let edgeIntegers: [Int64] = [
    0, 1, 12, 13, -1, 127, 128, -128, -129, 255, 4095, 4096, -4096, -4097, 32767, 32768,
    -32768, -32769, 8_388_607, 8_388_608, -8_388_608, -8_388_609, 2_147_483_647, 2_147_483_648,
    -2_147_483_648, -2_147_483_649, Int64.max, Int64.min, 1 << 32, 65535, 65536,
  ]

  /// String lengths where a length header or a prevlen or backlen changes size.
  static let edgeLengths = [
    0, 1, 12, 31, 32, 63, 64, 125, 126, 127, 128, 252, 253, 254, 4095, 4096, 16380, 16383, 16384,
  ]

  /// An integer near `value`, or at an edge of the forms.
  mutating func integer(near value: Int64) -> Int64 {
    switch below(4) {
    case 0: return Self.edgeIntegers[below(Self.edgeIntegers.count)]
    case 1: return value &+ Int64(below(5)) &- 2
    case 2: return Int64(below(300)) &- 20
    default: return Int64(bitPattern: state)
    }
  }

  /// `bytes` changed by libFuzzer's byte mutator, to at most `limit` bytes.
  mutating func mutated(_ bytes: [UInt8], limit: Int) -> [UInt8] {
    let bytes = bytes.isEmpty ? [UInt8(truncatingIfNeeded: below(256))] : bytes
    let capacity = max(limit, bytes.count, 1)
    var buffer = bytes + [UInt8](repeating: 0, count: capacity - bytes.count)
    let size = unsafe buffer.withUnsafeMutableBufferPointer { pointer in
      guard let start = pointer.baseAddress else { return 0 }
      return unsafe libFuzzerMutate(start, bytes.count, capacity)
    }
    return Array(buffer.prefix(size))
  }
}

/// The places of a blob's length and count fields, for a mutation that breaks one of them on
/// purpose: a header's total or count, a ziplist's tail offset or a prevlen, a listpack's
/// backlen, an intset's width, a zipmap's count byte.
struct LengthFields {
  private(set) var places: [(offset: Int, width: Int)] = []

  mutating func add(_ offset: Int, width: Int) { places.append((offset, width)) }

  /// `bytes` with one field (little-endian) moved by a small step or set at random.
  func breakOne(_ bytes: inout [UInt8], _ source: inout MutationSource) {
    guard !places.isEmpty else { return }
    let (offset, width) = places[source.below(places.count)]
    guard offset + width <= bytes.count else { return }
    var value: UInt64 = 0
    for index in 0..<width { value |= UInt64(bytes[offset + index]) << (8 * index) }
    switch source.below(4) {
    case 0: value &+= 1
    case 1: value &-= 1
    case 2: value = [0, 0xFE, 0xFF, 0xFFFF, 0xFFFF_FFFF][source.below(5)]
    default: value = UInt64(source.below(1 << 16))
    }
    for index in 0..<width {
      bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index))
    }
  }
}
