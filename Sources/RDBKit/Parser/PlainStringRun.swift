/// Plain string records back to back, as the file has them (``RDBHandler/plainStrings(_:database:)``):
/// string keys with no expiry, eviction data or metadata before them, each name stored as it
/// is after a one-byte length (`00xxxxxx`), each value a string under 64 bytes stored as it is
/// (a one-byte length) or an integer of 1, 2 or 4 bytes (`0xC0`–`0xC2`). Most records of a
/// file of tiny keys.
///
/// Where each record starts was noted as the parser checked them, so that the handlers'
/// walks over a run load each record's name without first following the lengths of the
/// records before it. The run is valid only during the call that hands it over.
@safe public struct PlainStringRun: @unchecked Sendable {
  /// The byte from which ``starts`` count.
  private let base: UnsafeRawPointer
  /// Where each record starts, from ``base``, then where the last ends: `count + 1` of them.
  private let starts: UnsafePointer<UInt16>
  /// How many records there are.
  public let count: Int

  /// The records at `starts[0..<count]` from `base`, the last ending at `starts[count]`.
  @unsafe init(base: UnsafeRawPointer, starts: UnsafePointer<UInt16>, count: Int) {
    unsafe self.base = base
    unsafe self.starts = starts
    self.count = count
  }

  /// The most records in a run, and the most bytes before the last one's start: each start
  /// fits a `UInt16`, and the starts fit the stack (`withUnsafeTemporaryAllocation` takes
  /// the heap over 1 KiB, which cost a `malloc` per string record in a file of long strings).
  static let longestRun = (records: 500, bytes: 1 << 15)

  /// Every byte of the records, from the first one's type byte to the last one's value.
  var bytes: UnsafeRawBufferPointer {
    let first = Int(unsafe starts[0])
    return unsafe UnsafeRawBufferPointer(start: base + first, count: Int(starts[count]) &- first)
  }

  /// The byte length of the first `records` records.
  func byteCount(ofFirst records: Int) -> Int { unsafe Int(starts[records]) &- Int(starts[0]) }

  /// The name of record `index`.
  @inline(__always)
  func name(_ index: Int) -> UnsafeRawBufferPointer {
    let start = Int(unsafe starts[index])
    let count = Int(unsafe base.load(fromByteOffset: start &+ 1, as: UInt8.self))
    return unsafe UnsafeRawBufferPointer(start: base + (start &+ 2), count: count)
  }

  /// The name of record `index`, and whether the 16 bytes from its start lie within the run
  /// (a ``GlobPrefix`` test may then load them, whatever the name's length).
  @inline(__always)
  func nameWithin16(_ index: Int) -> (name: UnsafeRawBufferPointer, hasSixteen: Bool) {
    let start = Int(unsafe starts[index])
    let count = Int(unsafe base.load(fromByteOffset: start &+ 1, as: UInt8.self))
    let name = unsafe UnsafeRawBufferPointer(start: base + (start &+ 2), count: count)
    return unsafe (name, start &+ 18 <= Int(starts[self.count]))
  }

  /// Records `range`.
  @inline(__always)
  func records(_ range: Range<Int>) -> PlainStringRun {
    unsafe PlainStringRun(base: base, starts: starts + range.lowerBound, count: range.count)
  }

  /// How many bytes from a record's start ``end(ofRecordWithin:in:)`` may load, whatever they
  /// hold: a type byte, a length byte, up to 255 bytes of name, a value's first byte. A whole
  /// record, which spans at most 129 bytes, ends among them.
  static let reach = 1 &+ 1 &+ 255 &+ 1

  /// Where the record that starts at `offset` ends, as ``end(ofRecordAt:in:limit:)`` says,
  /// when ``reach`` bytes from `offset` may be read: with no bound tests, and the value's
  /// length picked from its two forms without a branch (a file of tiny keys mixes them at
  /// random, and a branch on the form missed about every other record). Each record's end
  /// waits on two loads, its name's length then its value's first byte: nothing else is
  /// between them.
  @inline(__always)
  @unsafe static func end(ofRecordWithin offset: Int, in base: UnsafeRawPointer) -> Int? {
    let type = unsafe base.load(fromByteOffset: offset, as: UInt8.self)
    let nameLength = unsafe base.load(fromByteOffset: offset &+ 1, as: UInt8.self)
    let valueStart = offset &+ 2 &+ Int(nameLength)
    let first = unsafe base.load(fromByteOffset: valueStart, as: UInt8.self)
    let marker = first &- 0xC0
    let valueLength = first < 0x40 ? Int(first) : 1 &<< Int(marker & 3)
    guard type | (nameLength & 0xC0) == 0, first < 0x40 || marker <= 2 else { return nil }
    return valueStart &+ 1 &+ valueLength
  }

  /// Where the record that starts at `offset` ends, if the first `limit` bytes from `base`
  /// hold a whole plain string record there; nil for any other record (a type but string,
  /// another length or string form) or one cut short by `limit`.
  @inline(__always)
  @unsafe static func end(ofRecordAt offset: Int, in base: UnsafeRawPointer, limit: Int) -> Int? {
    guard offset &+ 2 < limit, unsafe base.load(fromByteOffset: offset, as: UInt8.self) == 0
    else { return nil }
    let nameLength = Int(unsafe base.load(fromByteOffset: offset &+ 1, as: UInt8.self))
    let valueStart = offset &+ 2 &+ nameLength
    guard nameLength < 0x40, valueStart < limit else { return nil }
    let first = unsafe base.load(fromByteOffset: valueStart, as: UInt8.self)
    let end: Int
    if first < 0x40 {
      end = valueStart &+ 1 &+ Int(first)
    } else if first &- 0xC0 <= 2 {
      end = valueStart &+ 1 &+ 1 &<< Int(first &- 0xC0)
    } else {
      return nil
    }
    return end <= limit ? end : nil
  }
}
