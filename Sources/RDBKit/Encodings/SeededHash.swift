/// A fast hash of byte strings and integers for the tables built from what a file holds (the
/// duplicate check, the prefix report): a 64×64→128-bit multiply folded to 64 bits, eight
/// bytes a step. Its seed is random per table, so a crafted file cannot choose names that
/// collide.
struct SeededHash: Sendable {
  private let seed = (UInt64.random(in: .min ... .max), UInt64.random(in: .min ... .max))

  /// The product of `a` and `b`, its two halves folded together.
  @inline(__always)
  private static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
    let product = a.multipliedFullWidth(by: b)
    return product.high ^ product.low
  }

  /// The hash of an integer.
  @inline(__always)
  func hash(_ value: UInt64) -> UInt64 {
    Self.mix(value ^ seed.0, seed.1)
  }

  /// The hash of `bytes`.
  @inline(__always)
  @unsafe func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var hash = seed.0 ^ UInt64(bytes.count)
    var offset = 0
    while offset &+ 8 <= bytes.count {
      let word = unsafe bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
      hash = Self.mix(word ^ seed.1, hash)
      offset &+= 8
    }
    var tail: UInt64 = 0
    while offset < bytes.count {
      tail = tail << 8 | UInt64(unsafe bytes[offset])
      offset &+= 1
    }
    return Self.mix(tail ^ seed.1, hash ^ seed.0)
  }
}
