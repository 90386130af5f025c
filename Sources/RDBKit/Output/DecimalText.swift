/// Decimal digits written straight into memory: the count from the bit length (one
/// comparison, no loop), the digits eight at a time in one word, then two at a time from a
/// table of pairs. Integers, stream IDs and scores in every output go through here.
enum DecimalText {
  /// The number of decimal digits of `value` (1 for 0).
  @inline(__always)
  static func digitCount(_ value: UInt64) -> Int {
    // ⌊log10(2^bits)⌋ by 1233 / 4096 ≈ log10(2), then one comparison for the exact power.
    let bits = 64 &- (value | 1).leadingZeroBitCount
    let guess = (bits &* 1233) >> 12
    return value >= powerOfTen(guess) ? guess &+ 1 : max(guess, 1)
  }

  /// Writes the last `count` decimal digits of `value` (zeros in front where it has fewer) at
  /// `out`: eight at a time (``eightDigits(_:)``), then two at a time from a table of pairs.
  @inline(__always)
  @unsafe static func writeDigits(_ value: UInt64, count: Int, to out: UnsafeMutableRawPointer) {
    let pairs = UnsafeRawPointer(digitPairs.utf8Start)
    var remaining = value
    var position = count
    while position >= 8 {
      let next = remaining / 100_000_000
      position &-= 8
      unsafe out.storeBytes(
        of: eightDigits(remaining &- next &* 100_000_000).littleEndian, toByteOffset: position,
        as: UInt64.self)
      remaining = next
    }
    while position >= 2 {
      let next = remaining / 100
      let pair = Int(truncatingIfNeeded: remaining &- next &* 100)
      position &-= 2
      unsafe out.storeBytes(
        of: pairs.loadUnaligned(fromByteOffset: pair &* 2, as: UInt16.self),
        toByteOffset: position, as: UInt16.self)
      remaining = next
    }
    if position == 1 {
      unsafe out.storeBytes(
        of: UInt8(truncatingIfNeeded: remaining % 10) &+ 48, as: UInt8.self)
    }
  }

  /// Writes `value` in decimal, a `-` first when negative, at `out` (room for 20 bytes) and
  /// returns how many bytes it wrote.
  @inline(__always)
  @unsafe static func write(_ value: Int64, to out: UnsafeMutableRawPointer) -> Int {
    let sign = value < 0 ? 1 : 0
    if sign == 1 { unsafe out.storeBytes(of: UInt8(ascii: "-"), as: UInt8.self) }
    return unsafe sign &+ write(unsigned: value.magnitude, to: out + sign)
  }

  /// Writes `value` in decimal at `out` (room for 20 bytes) and returns how many bytes it
  /// wrote. Below 10^16, without a loop or a digit count: each half of eight digits is one
  /// word (``eightDigits(_:)``), the leading zeros of the first shifted out
  /// (``leadingZeros(_:)``), stored whole (the second overwrites what the first stored past
  /// its digits).
  @inline(__always)
  @unsafe static func write(unsigned value: UInt64, to out: UnsafeMutableRawPointer) -> Int {
    if value < 100_000_000 {
      let word = eightDigits(value)
      let zeros = leadingZeros(word)
      unsafe out.storeBytes(
        of: (word &>> UInt64(zeros &* 8)).littleEndian, as: UInt64.self)
      return 8 &- zeros
    }
    if value < 10_000_000_000_000_000 {
      let high = value / 100_000_000
      let highWord = eightDigits(high)
      let highZeros = leadingZeros(highWord)
      let highDigits = 8 &- highZeros
      unsafe out.storeBytes(
        of: (highWord &>> UInt64(highZeros &* 8)).littleEndian, as: UInt64.self)
      unsafe out.storeBytes(
        of: eightDigits(value &- high &* 100_000_000).littleEndian, toByteOffset: highDigits,
        as: UInt64.self)
      return highDigits &+ 8
    }
    let digits = digitCount(value)
    unsafe writeDigits(value, count: digits, to: out)
    return digits
  }

  /// How many of the eight digits of `word` (``eightDigits(_:)``) before its last are
  /// zeros: the zero bytes at its low end once the digits' `0` is taken off, the last
  /// digit's byte counted as not zero (so 0 keeps one digit). A bit scan where a digit
  /// count took a table and a comparison whose outcome varies with every value.
  @inline(__always)
  static func leadingZeros(_ word: UInt64) -> Int {
    ((word ^ 0x3030_3030_3030_3030) | 1 &<< 56).trailingZeroBitCount &>> 3
  }

  /// The eight decimal digits of `value` (below 10^8, zeros in front) as ASCII, the first
  /// digit in the lowest byte (stored little-endian, in memory order): split in two halves of
  /// four digits, each in two pairs, each in two digits, every step on all the parts of one
  /// word at once (a multiplication and a shift divide each part by 100 or 10 exactly in its
  /// range).
  @inline(__always)
  static func eightDigits(_ value: UInt64) -> UInt64 {
    let high = value / 10000
    let quads = high | (value &- high &* 10000) &<< 32
    let hundreds = (quads &* 5243) &>> 19 & 0x0000_007F_0000_007F
    let pairs = hundreds | (quads &- hundreds &* 100) &<< 16
    let tens = (pairs &* 103) &>> 10 & 0x000F_000F_000F_000F
    return (tens | (pairs &- tens &* 10) &<< 8) | 0x3030_3030_3030_3030
  }

  /// "00" through "99", one after another.
  static let digitPairs: StaticString = """
    00010203040506070809101112131415161718192021222324252627282930313233343536373839\
    40414243444546474849505152535455565758596061626364656667686970717273747576777879\
    8081828384858687888990919293949596979899
    """

  /// 10^`exponent` for 0 ... 19 (10^19 for any other exponent): a load from a table. A
  /// `switch` over the exponent compiled to an indirect jump, mispredicted whenever the
  /// digit counts vary (scores of 15 to 17 digits, integers of any size).
  @inline(__always)
  static func powerOfTen(_ exponent: Int) -> UInt64 {
    powersOfTen[Int(min(UInt(bitPattern: exponent), 19))]
  }

  /// 10^0 ... 10^19, a constant the compiler lays out in the binary: read without the
  /// one-time initialization check (`swift_once`) a table built at run time costs each read.
  private static let powersOfTen: InlineArray<20, UInt64> = [
    1, 10, 100, 1000, 10000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000,
    10_000_000_000, 100_000_000_000, 1_000_000_000_000, 10_000_000_000_000,
    100_000_000_000_000, 1_000_000_000_000_000, 10_000_000_000_000_000,
    100_000_000_000_000_000, 1_000_000_000_000_000_000, 10_000_000_000_000_000_000,
  ]
}
