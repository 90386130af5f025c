/// A fast hash of byte strings and integers for the tables built from what a file holds (the
/// duplicate check, the prefix report): a 64×64→128-bit multiply folded to 64 bits, eight
/// bytes a step. Its seed is random per table, so a crafted file cannot choose names that
/// collide.
struct SeededHash: Sendable {
  private let seed = (
    UInt64.random(in: .min ... .max), UInt64.random(in: .min ... .max),
    UInt64.random(in: .min ... .max)
  )

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
  ///
  /// Every multiply has a seeded factor on both sides: the running hash starts from the seed,
  /// and the last step multiplies by it rather than by a value the seed cancels out of (a
  /// short string's hash was once its bytes times its length, so names such as `f1`…`f127`
  /// fell into a few neighbouring slots and the duplicate check probed 28 slots an element).
  /// A string of 8 to 32 bytes is read in four loads, at its start, its end and (past 16
  /// bytes) 8 bytes in from each, overlapping when it is shorter (the length is in the hash,
  /// so the overlap is harmless), and mixed in two independent multiplies and a last one:
  /// no loop whose turns depend on the length, whose exit the processor mispredicted for
  /// most members of mixed lengths. A longer string is read 8 bytes a step; the last 1–7
  /// bytes of a shorter one in at most two loads.
  @inline(__always)
  @unsafe func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    let count = bytes.count
    var hash = seed.0 ^ UInt64(truncatingIfNeeded: count)
    if count >= 8, count <= 32 {
      let isLong = count > 16
      let first = unsafe bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
      let second = unsafe bytes.loadUnaligned(fromByteOffset: isLong ? 8 : 0, as: UInt64.self)
      let third = unsafe bytes.loadUnaligned(
        fromByteOffset: isLong ? count &- 16 : 0, as: UInt64.self)
      let last = unsafe bytes.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
      let head = Self.mix(first ^ seed.1, second ^ hash)
      let tail = Self.mix(third ^ seed.2, last ^ hash)
      return Self.mix(head ^ seed.2, tail ^ seed.1)
    }
    let tail: UInt64
    if count >= 8 {
      var offset = 0
      while offset &+ 8 < count {
        let word = unsafe bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        hash = Self.mix(word ^ seed.1, hash)
        offset &+= 8
      }
      tail = unsafe bytes.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
    } else if count >= 4 {
      let head = unsafe bytes.loadUnaligned(fromByteOffset: 0, as: UInt32.self)
      let last = unsafe bytes.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
      tail = UInt64(head) << 32 | UInt64(last)
    } else if count > 0 {
      tail =
        unsafe UInt64(bytes[0]) << 16 | UInt64(bytes[count >> 1]) << 8 | UInt64(bytes[count &- 1])
    } else {
      tail = 0
    }
    return Self.mix(tail ^ seed.1, hash)
  }
}
