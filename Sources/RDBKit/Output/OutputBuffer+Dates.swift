extension OutputBuffer {
  /// Appends `YYYY-MM-DDTHH:MM:SS.mmmZ` for Unix milliseconds, as
  /// ``CalendarDate/iso8601(milliseconds:)`` spells it, written in place for the years
  /// 0–9999 instead of assembled as a string (an expiry column of millions of rows).
  func append(iso8601Milliseconds milliseconds: Int64) {
    let (days, dayMilliseconds) = CalendarDate.split(milliseconds: milliseconds)
    let (year, month, day) = CalendarDate.civil(fromDays: days)
    guard year >= 0, year <= 9999 else {
      append(CalendarDate.iso8601(milliseconds: milliseconds))
      return
    }
    let seconds = dayMilliseconds / 1000
    let out = unsafe reserve(24)
    func put(_ value: Int64, width: Int, at offset: Int) {
      var rest = value
      for position in stride(from: offset &+ width &- 1, through: offset, by: -1) {
        unsafe out.storeBytes(
          of: UInt8(truncatingIfNeeded: 48 &+ rest % 10), toByteOffset: position, as: UInt8.self)
        rest /= 10
      }
    }
    func put(_ character: Unicode.Scalar, at offset: Int) {
      unsafe out.storeBytes(of: UInt8(ascii: character), toByteOffset: offset, as: UInt8.self)
    }
    put(year, width: 4, at: 0)
    put("-", at: 4)
    put(month, width: 2, at: 5)
    put("-", at: 7)
    put(day, width: 2, at: 8)
    put("T", at: 10)
    put(seconds / 3600, width: 2, at: 11)
    put(":", at: 13)
    put(seconds / 60 % 60, width: 2, at: 14)
    put(":", at: 16)
    put(seconds % 60, width: 2, at: 17)
    put(".", at: 19)
    put(dayMilliseconds % 1000, width: 3, at: 20)
    put("Z", at: 23)
    advance(by: 24)
  }
}
