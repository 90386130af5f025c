/// One progress line, fitted to the terminal's width: a label (a file name, or "3 of 8 files"),
/// a bar, the share done, bytes, rate and time left.
///
/// What does not fit goes, in this order: the bar shrinks to 10 cells, the label is shortened
/// (its directories, then its middle: "my-exp…-0003.rdb"), the bar goes, the label goes, the statistics are cut.
/// The line stays one column short of the width, so the terminal never wraps it.
struct ProgressLine {
  var label: String
  var bytesRead: Int
  var totalBytes: Int?
  var bytesPerSecond: Double

  /// The line, at most `columns - 1` characters.
  func rendered(columns: Int) -> String {
    let room = max(columns - 1, 1)
    var statistics = "\(ByteSize.text(bytesRead))"
    var fraction: Double?
    if let totalBytes, totalBytes > 0 {
      let done = min(1, Double(bytesRead) / Double(totalBytes))
      fraction = done
      statistics = "\(Int(done * 100))% \(statistics)/\(ByteSize.text(totalBytes))"
    }
    statistics += " \(ByteSize.text(Int(bytesPerSecond)))/s"
    // Before the first MiB is read the rate says little (the parse publishes its position
    // about once a MiB), so no ETA yet.
    if let totalBytes, bytesPerSecond > 0, bytesRead < totalBytes, bytesRead >= 1 << 20 {
      statistics += " ETA \(Self.duration(Double(totalBytes - bytesRead) / bytesPerSecond))"
    }
    let minimumBar = 10 + 2
    if let fraction {
      let labelRoom = room - statistics.count - minimumBar - 2
      if labelRoom >= min(label.count, 12) {
        let name = Self.shortened(label, to: labelRoom)
        let cells = min(30, room - statistics.count - name.count - 4)
        return "\(name) \(Self.bar(fraction, cells: cells)) \(statistics)"
      }
    }
    let labelRoom = room - statistics.count - 1
    if labelRoom >= min(label.count, 12) {
      return "\(Self.shortened(label, to: labelRoom)) \(statistics)"
    }
    return String(statistics.prefix(room))
  }

  /// `[#####     ]` with `cells` cells inside the brackets.
  static func bar(_ fraction: Double, cells: Int) -> String {
    let filled = min(cells, Int(fraction * Double(cells)))
    return "[" + String(repeating: "#", count: filled)
      + String(repeating: " ", count: cells - filled) + "]"
  }

  /// `name` in at most `limit` characters: without its directories first, then cut in the
  /// middle, keeping its end (a shard number).
  static func shortened(_ name: String, to limit: Int) -> String {
    guard name.count > limit else { return name }
    if let slash = name.lastIndex(of: "/"), name.index(after: slash) < name.endIndex {
      return shortened(String(name[name.index(after: slash)...]), to: limit)
    }
    guard limit > 1 else { return String(name.prefix(max(limit, 0))) }
    let tail = (limit - 1) * 2 / 3
    return String(name.prefix(limit - 1 - tail)) + "…" + String(name.suffix(tail))
  }

  /// `42s`, `3m05s`, `2h07m`.
  static func duration(_ seconds: Double) -> String {
    let total = Int(seconds.rounded())
    if total < 60 { return "\(total)s" }
    if total < 3600 { return "\(total / 60)m" + String(format: "%02ds", total % 60) }
    return "\(total / 3600)h" + String(format: "%02dm", total / 60 % 60)
  }
}
