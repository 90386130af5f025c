/// Proleptic Gregorian dates in UTC from Unix time, computed without Foundation's calendar
/// (Howard Hinnant's civil-from-days algorithm and its inverse).
package enum CalendarDate {
  /// Year, month, day for days since 1970-01-01.
  package static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
    let shifted = days + 719_468
    let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }

  /// Days since 1970-01-01 of a date.
  package static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
    let adjustedYear = month <= 2 ? year - 1 : year
    let era = (adjustedYear >= 0 ? adjustedYear : adjustedYear - 399) / 400
    let yearOfEra = adjustedYear - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// Whole days and the milliseconds into the day of a Unix time in ms, also before 1970.
  package static func split(milliseconds: Int64) -> (days: Int64, millisecondOfDay: Int64) {
    let remainder = milliseconds % 86_400_000
    return remainder < 0
      ? (milliseconds / 86_400_000 - 1, remainder + 86_400_000)
      : (milliseconds / 86_400_000, remainder)
  }

  /// `YYYY-MM-DDTHH:MM:SS.mmmZ` for Unix milliseconds.
  package static func iso8601(milliseconds: Int64) -> String {
    let (days, dayMilliseconds) = split(milliseconds: milliseconds)
    let (year, month, day) = civil(fromDays: days)
    let seconds = dayMilliseconds / 1000
    return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))T"
      + "\(padded(seconds / 3600, 2)):\(padded(seconds / 60 % 60, 2)):\(padded(seconds % 60, 2))."
      + "\(padded(dayMilliseconds % 1000, 3))Z"
  }

  /// `value` in decimal with leading zeros to `width` digits.
  package static func padded(_ value: Int64, _ width: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }
}
