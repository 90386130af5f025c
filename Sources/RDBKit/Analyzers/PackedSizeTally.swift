import Foundation

/// The byte size of the listpack and the ziplist that would hold the elements added so far,
/// computed without building either (docs/memory-model.md, 3.6 and 3.7): what a loading server
/// allocates when it converts a value to a compact encoding, or a ziplist to a listpack.
///
/// An element that is the canonical decimal of an Int64 is stored as an integer, in the
/// smallest form its value fits; a score as an integer when its text is one, else as its text.
struct PackedSizeTally: Sendable {
  /// The listpack's size: a 6-byte header, the entries, a terminator.
  private(set) var listpackBytes = 7
  /// The ziplist's size: a 10-byte header, the entries, a terminator.
  private(set) var ziplistBytes = 11
  /// The smallest and largest integer element, for an intset's width.
  private(set) var integerRange: ClosedRange<Int64>?
  private var previousZiplistEntry = 0

  mutating func reset() { self = PackedSizeTally() }

  /// The width of an intset holding the integer elements: 2, 4 or 8 bytes.
  var intsetWidth: Int {
    guard let range = integerRange else { return 2 }
    if range.lowerBound >= Int64(Int16.min), range.upperBound <= Int64(Int16.max) { return 2 }
    if range.lowerBound >= Int64(Int32.min), range.upperBound <= Int64(Int32.max) { return 4 }
    return 8
  }

  /// Adds a string element (an integer when it spells one).
  mutating func add(_ element: RawSpan) {
    if let value = IntegerText.canonicalValue(element) {
      add(integer: value)
    } else {
      add(stringOfLength: element.byteCount)
    }
  }

  /// How a server writes a sorted-set score into a packed value.
  enum ScoreStyle {
    /// `d2string` (6.2 and older, and the ziplists they wrote): an integer below 2^53, else
    /// 17 significant digits (`%.17g`).
    case seventeenDigits
    /// Redis 7.0's listpacks: an integer up to 2^62 (-0 as 0), else `%.17g`.
    case listpack70
    /// 7.2+ and Valkey: an integer up to 2^62, else the shortest text that reads back the same.
    case shortest
  }

  /// Adds a sorted-set score written in `style`.
  mutating func add(score: Double, style: ScoreStyle) {
    if style != .seventeenDigits, score.rounded(.towardZero) == score,
      abs(score) <= 4_611_686_018_427_387_904
    {
      add(integer: Int64(score))
    } else if let value = ScoreText.integer(of: score) {
      add(integer: value)
    } else if style != .shortest, score.isFinite {
      add(stringOfLength: String(format: "%.17g", score).utf8.count)
    } else {
      add(stringOfLength: ScoreText.text(of: score).utf8.count)
    }
  }

  mutating func add(integer value: Int64) {
    integerRange =
      integerRange.map { min($0.lowerBound, value)...max($0.upperBound, value) }
      ?? value...value
    let listpack: Int
    switch value {
    case 0...127: listpack = 1
    case -4096...4095: listpack = 2
    case Int64(Int16.min)...Int64(Int16.max): listpack = 3
    case -(1 << 23)...((1 << 23) - 1): listpack = 4
    case Int64(Int32.min)...Int64(Int32.max): listpack = 5
    default: listpack = 9
    }
    let ziplist: Int
    switch value {
    case 0...12: ziplist = 1
    case Int64(Int8.min)...Int64(Int8.max): ziplist = 2
    case Int64(Int16.min)...Int64(Int16.max): ziplist = 3
    case -(1 << 23)...((1 << 23) - 1): ziplist = 4
    case Int64(Int32.min)...Int64(Int32.max): ziplist = 5
    default: ziplist = 9
    }
    addEntry(listpack: listpack, ziplist: ziplist)
  }

  private mutating func add(stringOfLength length: Int) {
    let listpack = length + (length < 64 ? 1 : length < 4096 ? 2 : 5)
    let ziplist = length + (length <= 63 ? 1 : length <= 16383 ? 2 : 5)
    addEntry(listpack: listpack, ziplist: ziplist)
  }

  /// A listpack entry is followed by its back-length; a ziplist entry starts with the length
  /// of the previous one.
  private mutating func addEntry(listpack: Int, ziplist: Int) {
    let backLength =
      listpack <= 127
      ? 1 : listpack < 16383 ? 2 : listpack < 2_097_151 ? 3 : listpack < 268_435_455 ? 4 : 5
    listpackBytes += listpack + backLength
    let entry = (previousZiplistEntry < 254 ? 1 : 5) + ziplist
    ziplistBytes += entry
    previousZiplistEntry = entry
  }
}
