import Foundation
import RDBKit

/// The two time formats AWS uses: SigV4's `YYYYMMDDTHHMMSSZ` and ISO 8601 expirations.
enum AMZTime {
  /// `date` as `YYYYMMDDTHHMMSSZ` in UTC, the `X-Amz-Date` format.
  static func amzDate(_ date: Date) -> String {
    let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let secondOfDay = seconds - days * 86_400
    let (year, month, day) = CalendarDate.civil(fromDays: days)
    let pad = CalendarDate.padded
    return pad(year, 4) + pad(month, 2) + pad(day, 2) + "T" + pad(secondOfDay / 3600, 2)
      + pad(secondOfDay % 3600 / 60, 2) + pad(secondOfDay % 60, 2) + "Z"
  }

  /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; nil when the text is not in that form.
  static func parseISO8601(_ text: String) -> Date? {
    let scalars = Array(text.utf8)
    func number(_ start: Int, _ count: Int) -> Int64? {
      guard start + count <= scalars.count else { return nil }
      var value: Int64 = 0
      for byte in scalars[start..<start + count] {
        guard byte >= 48, byte <= 57 else { return nil }
        value = value * 10 + Int64(byte - 48)
      }
      return value
    }
    guard scalars.count >= 19, scalars[4] == 45, scalars[7] == 45,
      scalars[10] == 84 || scalars[10] == 116 || scalars[10] == 32, scalars[13] == 58,
      scalars[16] == 58,
      let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
      let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
      (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
    else { return nil }
    var index = 19
    var fraction = 0.0
    if index < scalars.count, scalars[index] == 46 {
      index += 1
      var scale = 0.1
      while index < scalars.count, scalars[index] >= 48, scalars[index] <= 57 {
        fraction += Double(scalars[index] - 48) * scale
        scale /= 10
        index += 1
      }
    }
    var offset: Int64 = 0
    if index < scalars.count, scalars[index] == 90 || scalars[index] == 122 {
      index += 1
    } else if index < scalars.count, scalars[index] == 43 || scalars[index] == 45,
      let hours = number(index + 1, 2), let minutes = number(index + 4, 2)
    {
      offset = (hours * 3600 + minutes * 60) * (scalars[index] == 43 ? 1 : -1)
      index += 6
    } else {
      return nil
    }
    guard index == scalars.count else { return nil }
    let seconds =
      CalendarDate.days(fromCivil: year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
      - offset
    return Date(timeIntervalSince1970: Double(seconds) + fraction)
  }
}
