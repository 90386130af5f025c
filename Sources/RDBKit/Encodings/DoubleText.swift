#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Scores written as text: zset type 3 (`%.17g` and friends) and ziplist/listpack members.
enum DoubleText {
  private static let powersOfTen: [Double] = (0...22).map { exponent in
    var value = 1.0
    for _ in 0..<exponent { value *= 10 }
    return value
  }

  /// `[-]digits[.digits]` with at most 19 digits, whose digits form an integer of at most
  /// 2^53 with at most 22 decimals or a larger one with at most 19, or nil.
  ///
  /// Such a number is an integer below 2^53 divided by an exact power of ten, so one IEEE
  /// division gives the correctly rounded result, the same double `strtod` returns (Clinger's
  /// fast path); a larger integer (the 17 digits of `%.17g`, which Redis 7.0 writes in
  /// listpacks) is divided in 128-bit integers instead (``quotient(_:_:)``); anything else
  /// goes to `strtod`.
  @inline(__always)
  private static func parseShortDecimal(_ bytes: UnsafeRawBufferPointer) -> Double? {
    var index = 0
    let negative = unsafe bytes[0] == UInt8(ascii: "-")
    if negative { index = 1 }
    var mantissa: UInt64 = 0
    var digits = 0
    var decimals = 0
    var seenPoint = false
    while index < bytes.count {
      let byte = unsafe bytes[index]
      if byte == UInt8(ascii: "."), !seenPoint {
        seenPoint = true
      } else {
        let digit = byte &- 48
        guard digit <= 9 else { return nil }
        mantissa = mantissa &* 10 &+ UInt64(digit)
        digits &+= 1
        if seenPoint { decimals &+= 1 }
        guard digits <= 19 else { return nil }
      }
      index &+= 1
    }
    // At least one digit, and no lone "." or trailing point (strtod accepts "1." but writers
    // never produce it; leave such text to strtod).
    guard digits > 0, decimals <= 22, !(seenPoint && decimals == 0) else { return nil }
    let magnitude: Double
    if mantissa <= 1 << 53 {
      magnitude = Double(mantissa) / powersOfTen[decimals]
    } else {
      // 17 to 19 digits (`%.17g` text): the quotient in 128-bit integers, rounded once.
      guard decimals <= 19 else { return nil }
      magnitude = quotient(mantissa, DecimalText.powerOfTen(decimals))
    }
    return negative ? -magnitude : magnitude
  }

  /// `dividend / divisor` rounded to the nearest double, ties to even, for a `dividend` of
  /// 2^53 or more (so the result is normal).
  ///
  /// The dividend is shifted left so that the integer quotient has 63 or 64 bits; those bits
  /// above the 53 a double keeps, and whether the division left a remainder, decide the
  /// rounding exactly, as `strtod` rounds the decimal text.
  @inline(__always)
  private static func quotient(_ dividend: UInt64, _ divisor: UInt64) -> Double {
    let dividendBits = 64 &- dividend.leadingZeroBitCount
    let divisorBits = 64 &- divisor.leadingZeroBitCount
    // dividend · 2^shift / divisor lies in (2^62, 2^64), and dividend · 2^shift < 2^127.
    let shift = 63 &- dividendBits &+ divisorBits
    let high: UInt64
    let low: UInt64
    if shift >= 64 {
      high = dividend << UInt64(shift &- 64)
      low = 0
    } else if shift == 0 {
      high = 0
      low = dividend
    } else {
      high = dividend >> UInt64(64 &- shift)
      low = dividend << UInt64(shift)
    }
    let (quotient, remainder) = divisor.dividingFullWidth((high, low))
    let dropped = 11 &- quotient.leadingZeroBitCount  // 11 or 10 bits below the 53 kept
    var kept = quotient >> UInt64(dropped)
    let rest = quotient & ((1 << UInt64(dropped)) &- 1)
    let half: UInt64 = 1 << UInt64(dropped &- 1)
    if rest > half || (rest == half && (remainder != 0 || kept & 1 == 1)) { kept &+= 1 }
    return Double(sign: .plus, exponent: dropped &- shift, significand: Double(kept))
  }

  /// Whether ``parse(_:)`` would return a number other than NaN, decided without converting
  /// plain decimal text (`[+-]digits[.digits][e[+-]digits]`, what servers write).
  static func isNumber(_ bytes: UnsafeRawBufferPointer) -> Bool {
    if unsafe isPlainDecimal(bytes) { return true }
    guard let value = unsafe parse(bytes) else { return false }
    return !value.isNaN
  }

  /// Whether all of `bytes` (fewer than 256) is a decimal number with at least one mantissa
  /// digit, which `strtod` accepts whole.
  @inline(__always)
  private static func isPlainDecimal(_ bytes: UnsafeRawBufferPointer) -> Bool {
    let count = bytes.count
    guard count > 0, count < 256 else { return false }
    var index = 0
    var digits = 0
    if unsafe bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") { index = 1 }
    while index < count, unsafe bytes[index] &- 48 <= 9 {
      digits &+= 1
      index &+= 1
    }
    if index < count, unsafe bytes[index] == UInt8(ascii: ".") {
      index &+= 1
      while index < count, unsafe bytes[index] &- 48 <= 9 {
        digits &+= 1
        index &+= 1
      }
    }
    guard digits > 0 else { return false }
    guard index < count else { return true }
    guard unsafe bytes[index] | 0x20 == UInt8(ascii: "e") else { return false }
    index &+= 1
    if index < count, unsafe bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")
    {
      index &+= 1
    }
    let exponentStart = index
    while index < count, unsafe bytes[index] &- 48 <= 9 { index &+= 1 }
    return index == count && index > exponentStart
  }

  /// The score a server reads from a packed sorted set's text element, whatever it holds, as
  /// `zzlStrtod` does: at most its first 127 bytes, up to a NUL byte, through `strtod`, which
  /// stops at the first character that does not continue a number (`"abc"` is 0, `"1.5x"`
  /// 1.5, `"nan"` NaN).
  ///
  /// The corresponding C function is `strtod`.
  static func loadedScore(_ bytes: UnsafeRawBufferPointer) -> Double {
    var text = [CChar](repeating: 0, count: 128)
    let count = min(bytes.count, 127)
    for index in 0..<count { text[index] = CChar(bitPattern: unsafe bytes[index]) }
    return unsafe strtod(text, nil)
  }

  /// The score a server reads from a type-3 sorted set's score text with `sscanf("%lg")`
  /// (`rdbLoadDoubleValue`): the text up to a NUL byte, leading white space skipped, the
  /// longest number at its start (`" 25"` is 25, `"1.5x"` 1.5, `"1e5x"` 100000).
  ///
  /// - Returns: nil when no number starts the text (`"abc"`, `""`), which servers refuse,
  ///   and when the number stops where it could have gone on (`"1e"`, `"1.5E+"`, `"0x"`,
  ///   `"0x1p"`), which servers read differently: Debian's Redis 7.0 reads `"1e"` as 1 and
  ///   refuses `"0x"`, Redis 8.6 refuses both.
  ///
  /// The corresponding C function is `strtod`.
  static func scannedScore(_ bytes: UnsafeRawBufferPointer) -> Double? {
    var text = [CChar](repeating: 0, count: bytes.count &+ 1)
    for index in 0..<bytes.count { text[index] = CChar(bitPattern: unsafe bytes[index]) }
    return unsafe text.withUnsafeMutableBufferPointer { buffer -> Double? in
      guard let start = buffer.baseAddress else { return nil }
      var end: UnsafeMutablePointer<CChar>? = nil
      let value = unsafe strtod(start, &end)
      guard let end = unsafe end, unsafe end != start else { return nil }
      let next = UInt8(bitPattern: unsafe end.pointee) | 0x20
      let read = unsafe UnsafeBufferPointer(start: start, count: end - start)
        .map { UInt8(bitPattern: $0) }
        .filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }
      let digits = read.drop { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+") }
      switch next {
      case UInt8(ascii: "e"): return nil
      case UInt8(ascii: "x") where digits.elementsEqual([UInt8(ascii: "0")]): return nil
      case UInt8(ascii: "p") where read.contains { $0 | 0x20 == UInt8(ascii: "x") }: return nil
      default: return value
      }
    }
  }

  /// Parses `bytes` completely as a C `strtod` number (`inf`, `-inf`, `1e+300`, `5e-324` …).
  ///
  /// - Returns: nil when any byte is left over, the text is empty or longer than 255 bytes.
  static func parse(_ bytes: UnsafeRawBufferPointer) -> Double? {
    guard unsafe !bytes.isEmpty, bytes.count < 256 else { return nil }
    if let exact = unsafe parseShortDecimal(bytes) { return exact }
    // strtod needs a terminated string; 256 bytes of stack hold any valid score.
    var text:
      (
        UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
        UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
        UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
        UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64
      ) =
        (
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0
        )
    return unsafe withUnsafeMutableBytes(of: &text) { buffer -> Double? in
      unsafe buffer.copyMemory(from: bytes)
      unsafe buffer[bytes.count] = 0
      guard let start = unsafe buffer.baseAddress?.assumingMemoryBound(to: CChar.self) else {
        return nil
      }
      // Leading spaces are accepted by strtod but never written by a server.
      guard unsafe start.pointee != CChar(UInt8(ascii: " ")) else { return nil }
      var end: UnsafeMutablePointer<CChar>? = nil
      let value = unsafe strtod(start, &end)
      guard let end = unsafe end, unsafe end == start + bytes.count else { return nil }
      return value
    }
  }
}
