/// Bytes that look random and are the same at every run: a 64-bit linear congruential
/// generator (Knuth's MMIX constants), each byte the top 8 bits of the next state.
struct SeededBytes {
  var state: UInt64

  /// The next `count` bytes.
  mutating func next(_ count: Int) -> [UInt8] {
    (0..<count).map { _ in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt8(truncatingIfNeeded: state >> 56)
    }
  }
}
