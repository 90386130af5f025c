extension OutputBuffer {
  /// Appends `YYYY-MM-DDTHH:MM:SS.mmmZ` for Unix milliseconds, as
  /// ``CalendarDate/iso8601(milliseconds:)`` spells it, written in place for the years
  /// 0–9999 instead of assembled as a string (an expiry column of millions of rows).
  func append(iso8601Milliseconds milliseconds: Int64) {
    let out = unsafe reserve(24)
    if unsafe Self.writeISO8601(milliseconds, to: out) {
      advance(by: 24)
    } else {
      append(CalendarDate.iso8601(milliseconds: milliseconds))
    }
  }

  /// Writes `YYYY-MM-DDTHH:MM:SS.mmmZ` (24 bytes) at `out` for Unix milliseconds whose year is
  /// 0–9999, as ``CalendarDate/iso8601(milliseconds:)`` spells it, two digits per lookup;
  /// returns false, for other years, having written nothing.
  @inline(__always)
  @unsafe static func writeISO8601(_ milliseconds: Int64, to out: UnsafeMutableRawPointer) -> Bool {
    let (days, dayMilliseconds) = CalendarDate.split(milliseconds: milliseconds)
    let (year, month, day) = CalendarDate.civil(fromDays: days)
    guard year >= 0, year <= 9999 else { return false }
    let pairs = UnsafeRawPointer(DecimalText.digitPairs.utf8Start)
    @inline(__always)
    func pair(_ value: Int64, at offset: Int) {
      unsafe out.storeBytes(
        of: pairs.loadUnaligned(fromByteOffset: 2 &* Int(value), as: UInt16.self),
        toByteOffset: offset, as: UInt16.self)
    }
    @inline(__always)
    func put(_ character: Unicode.Scalar, at offset: Int) {
      unsafe out.storeBytes(of: UInt8(ascii: character), toByteOffset: offset, as: UInt8.self)
    }
    let century = year / 100
    let seconds = dayMilliseconds / 1000
    let minutes = seconds / 60
    let hours = minutes / 60
    let fraction = dayMilliseconds &- seconds &* 1000
    let tenths = fraction / 100
    pair(century, at: 0)
    pair(year &- century &* 100, at: 2)
    put("-", at: 4)
    pair(month, at: 5)
    put("-", at: 7)
    pair(day, at: 8)
    put("T", at: 10)
    pair(hours, at: 11)
    put(":", at: 13)
    pair(minutes &- hours &* 60, at: 14)
    put(":", at: 16)
    pair(seconds &- minutes &* 60, at: 17)
    put(".", at: 19)
    unsafe out.storeBytes(
      of: UInt8(truncatingIfNeeded: 48 &+ tenths), toByteOffset: 20, as: UInt8.self)
    pair(fraction &- tenths &* 100, at: 21)
    put("Z", at: 23)
    return true
  }
}
