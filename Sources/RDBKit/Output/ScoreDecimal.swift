/// The shortest decimal text that reads back as a given `Double`, for the non-integer scores
/// most sorted sets hold: the same bytes as `Double.description` (Swift prints the shortest
/// round-tripping digits, the closest to the value when several are that short), written
/// straight into an ``OutputBuffer`` without making a `String`.
///
/// Covers magnitudes from 0.001 to 2^52, which `description` writes in positional notation
/// (`-123.25`, `0.0015`); anything else, and the rare value whose two shortest candidates are
/// equally close, is left to the caller (``appendIfCovered(_:to:)`` returns false).
///
/// How: a double is `f × 2^e`; a decimal `d × 10^-k` reads back as it when it lies within half
/// a unit in the last place of it (the ends included when `f` is even, as a reader rounds half
/// to even). With `k` chosen for 17 significant digits, which always suffice, the candidates
/// are the integers between two exact 128-bit products shifted right by `-e`; dividing both
/// ends by 10 while a candidate remains finds the shortest `k`, and the candidate nearest the
/// value is written.
enum ScoreDecimal {
  /// Appends `value` as `value.description` would write it and returns true, or returns false
  /// and appends nothing when `value` is outside what this covers.
  ///
  /// The digits (at most 18) are made as 24 zero-padded ASCII digits in three words, eight at
  /// a time (``DecimalText/eightDigits(_:)``), on the stack; the integer part and the fraction
  /// are then stored from there in 16- and 24-byte moves, with no division by a power of ten
  /// that is not a constant. The moves may write past the end, in room reserved and not
  /// counted.
  @inline(__always)
  static func appendIfCovered(_ value: Double, to output: OutputBuffer) -> Bool {
    guard let (digits, places) = shortestDigits(value) else { return false }
    let count = DecimalText.digitCount(digits)
    let sign = value < 0 ? 1 : 0
    let out = unsafe output.reserve(48)
    unsafe out.storeBytes(of: UInt8(ascii: "-"), as: UInt8.self)
    let high = digits / 100_000_000
    let zeros: UInt64 = 0x3030_3030_3030_3030
    // Bytes 8 ..< 32: the 24 digits, zeros around. Read back as whole words where they were
    // stored and shifted together in registers (``bytes(_:at:)``): a load across two of
    // these stores waits for both to reach the cache.
    var text: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (
      zeros, DecimalText.eightDigits(high / 100_000_000).littleEndian,
      DecimalText.eightDigits(high % 100_000_000).littleEndian,
      DecimalText.eightDigits(digits % 100_000_000).littleEndian, zeros, zeros, zeros
    )
    let written = unsafe withUnsafeBytes(of: &text) { text -> Int in
      let to = unsafe out + sign
      if count > places {
        // ddd.ddd: at most 16 integer digits (below 2^52) and 16 places.
        let whole = count &- places
        unsafe store16(bytes(text, at: 32 &- count), bytes(text, at: 40 &- count), to: to)
        unsafe to.storeBytes(of: UInt8(ascii: "."), toByteOffset: whole, as: UInt8.self)
        unsafe store16(
          bytes(text, at: 32 &- places), bytes(text, at: 40 &- places), to: to + (whole &+ 1))
        return count &+ 1
      }
      // 0.00ddd: the digits padded with zeros to `places` (at most 19).
      unsafe to.storeBytes(of: UInt16(0x2E30).littleEndian, as: UInt16.self)
      unsafe store16(bytes(text, at: 32 &- places), bytes(text, at: 40 &- places), to: to + 2)
      unsafe (to + 18).storeBytes(
        of: bytes(text, at: 48 &- places).littleEndian, as: UInt64.self)
      return 2 &+ places
    }
    output.advance(by: sign &+ written)
    return true
  }

  /// The eight bytes of `text` (seven words) from `offset` (0 ... 47), the first in the low
  /// byte: the two words they lie in, loaded whole, shifted together.
  @inline(__always)
  @unsafe private static func bytes(_ text: UnsafeRawBufferPointer, at offset: Int) -> UInt64 {
    let word = offset &>> 3
    let shift = UInt64((offset & 7) &* 8)
    let low = unsafe UInt64(littleEndian: text.load(fromByteOffset: word &* 8, as: UInt64.self))
    let high = unsafe UInt64(
      littleEndian: text.load(fromByteOffset: (word &+ 1) &* 8, as: UInt64.self))
    // Shifted by 1 then by 63 - shift: by 64 in all (to nothing) when `shift` is 0.
    return low &>> shift | (high &<< 1) &<< (63 &- shift)
  }

  /// Stores two words (``bytes(_:at:)``) one after the other, 16 bytes.
  @inline(__always)
  @unsafe private static func store16(
    _ first: UInt64, _ second: UInt64, to target: UnsafeMutableRawPointer
  ) {
    unsafe target.storeBytes(of: first.littleEndian, as: UInt64.self)
    unsafe target.storeBytes(of: second.littleEndian, toByteOffset: 8, as: UInt64.self)
  }

  /// The shortest digits `d` and places `k` with `d × 10^-k` reading back as `value`, or nil
  /// when `value` is outside 0.001 ..< 2^52 or has two nearest candidates. (An integer comes
  /// out with one place, `5.0`, as `description` writes it.)
  static func shortestDigits(_ value: Double) -> (digits: UInt64, places: Int)? {
    let magnitude = value.magnitude
    guard magnitude >= 0.001, magnitude < 0x1p52 else { return nil }
    let bits = magnitude.bitPattern
    let fraction = bits & 0x000F_FFFF_FFFF_FFFF
    let significand = fraction | 0x0010_0000_0000_0000
    let biasedExponent = Int(truncatingIfNeeded: bits &>> 52)
    // magnitude = 4·significand × 2^-shift; the interval's ends are 2 either side of
    // 4·significand (1 below for a power of two, whose lower neighbour is closer).
    let shift = 1077 &- biasedExponent  // 3 ... 64 in the covered range
    let inclusive = significand & 1 == 0
    // 10^(tens - 1) <= magnitude < 10^tens.
    var tens = ((biasedExponent &- 1023) &* 78913) &>> 18 &+ 1
    if magnitude >= powerOfTen(double: tens) { tens &+= 1 }
    let places = 17 &- tens
    guard places >= 1, places <= 19 else { return nil }
    let center = significand &<< 2
    let lower = fraction == 0 ? center &- 1 : center &- 2
    let scale = DecimalText.powerOfTen(places)
    let low = shifted(lower, times: scale, by: shift)
    var first = low.quotient
    if low.remainder != 0 || !inclusive { first &+= 1 }
    let high = shifted(center &+ 2, times: scale, by: shift)
    var last = high.quotient
    if high.remainder == 0, !inclusive { last &-= 1 }
    guard first <= last else { return nil }
    // Drop digits while the interval still holds a candidate with one fewer.
    var dropped = 0
    while dropped &+ 1 < places {
      let shorterFirst = (first &+ 9) / 10
      let shorterLast = last / 10
      guard shorterFirst <= shorterLast else { break }
      first = shorterFirst
      last = shorterLast
      dropped &+= 1
    }
    let kept = places &- dropped
    let exact = shifted(center, times: DecimalText.powerOfTen(kept), by: shift)
    let below = exact.quotient
    let belowFits = below >= first && below <= last
    let aboveFits = below &+ 1 >= first && below &+ 1 <= last
    if belowFits, aboveFits {
      let half: UInt64 = 1 &<< UInt64(shift &- 1)
      if exact.remainder == half { return nil }
      return (exact.remainder < half ? below : below &+ 1, kept)
    }
    if belowFits { return (below, kept) }
    if aboveFits { return (below &+ 1, kept) }
    return nil
  }

  /// `(value × scale) >> shift` and the bits shifted out, for `shift` in 1 ... 64.
  @inline(__always)
  private static func shifted(_ value: UInt64, times scale: UInt64, by shift: Int) -> (
    quotient: UInt64, remainder: UInt64
  ) {
    let product = value.multipliedFullWidth(by: scale)
    if shift == 64 { return (product.high, product.low) }
    let quotient = product.high &<< UInt64(64 &- shift) | product.low &>> UInt64(shift)
    return (quotient, product.low & ((1 &<< UInt64(shift)) &- 1))
  }

  /// 10^`exponent` as the nearest double, for -3 ... 17: at or above the exact power for
  /// negative exponents, exact otherwise, so `>=` against it tests the exact power. (No
  /// switch over ranges: that compiled to a jump table of comparisons.)
  @inline(__always)
  private static func powerOfTen(double exponent: Int) -> Double {
    if exponent >= 0 { return Double(DecimalText.powerOfTen(exponent)) }
    return exponent == -1 ? 0.1 : exponent == -2 ? 0.01 : 0.001
  }
}
