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
  /// How many bytes from ``base`` may be read: the window the records lie in, which goes on
  /// past the last one.
  private let readable: Int

  /// The records at `starts[0..<count]` from `base`, the last ending at `starts[count]`, in a
  /// window of which `readable` bytes from `base` may be read.
  @unsafe init(base: UnsafeRawPointer, starts: UnsafePointer<UInt16>, count: Int, readable: Int) {
    unsafe self.base = base
    unsafe self.starts = starts
    self.count = count
    self.readable = readable
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

  /// How many of the first records have the 16 bytes from their name's start in the window
  /// (a ``GlobPrefix`` test may load them, whatever the name's length): all of them but at
  /// the window's end.
  func countWithin16() -> Int {
    var within = count
    while within > 0, Int(unsafe starts[within &- 1]) &+ 18 > readable { within &-= 1 }
    return within
  }

  /// The first record from `index` below `end` for whose name (its start and byte count)
  /// `stops` holds, or `end`: a loop with no call in it, where a ``GlobPrefix`` test's words
  /// stay in registers.
  @inline(__always)
  func firstRecord(
    from index: Int, below end: Int, where stops: (UnsafeRawPointer, Int) -> Bool
  ) -> Int {
    var index = index
    while index < end {
      let start = Int(unsafe starts[index])
      let count = Int(unsafe base.load(fromByteOffset: start &+ 1, as: UInt8.self))
      if unsafe stops(base + (start &+ 2), count) { return index }
      index &+= 1
    }
    return end
  }

  /// Records `range`.
  @inline(__always)
  func records(_ range: Range<Int>) -> PlainStringRun {
    unsafe PlainStringRun(
      base: base, starts: starts + range.lowerBound, count: range.count, readable: readable)
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
  /// between them. An integer's length is `1 << first` (the shift counts the marker's low
  /// six bits, 0–2, as the instruction does), one step less on that path than `first - 0xC0`.
  @inline(__always)
  @unsafe static func end(ofRecordWithin offset: Int, in base: UnsafeRawPointer) -> Int? {
    let type = unsafe base.load(fromByteOffset: offset, as: UInt8.self)
    let nameLength = unsafe base.load(fromByteOffset: offset &+ 1, as: UInt8.self)
    let valueStart = offset &+ 2 &+ Int(nameLength)
    let first = unsafe base.load(fromByteOffset: valueStart, as: UInt8.self)
    let valueLength = first < 0x40 ? Int(first) : 1 &<< Int(first)
    guard type | (nameLength & 0xC0) == 0, first < 0x40 || first &- 0xC0 <= 2 else { return nil }
    return valueStart &+ 1 &+ valueLength
  }

  /// Notes in `starts` where each plain string record from `base` starts, as long as they
  /// follow one another, start before `limit` and number at most `capacity`, then where the
  /// last ends; returns how many there are. The records with ``reach`` bytes within `held`
  /// are read by ``end(ofRecordWithin:in:)``, the last ones by ``end(ofRecordAt:in:limit:)``.
  /// Not inlined: in a loop of its own, `base` and the counters stay in registers (inlined
  /// into the parse loop, they were reloaded from the stack for each record).
  ///
  /// The first records are found two at a time (``scanInTwo(_:unchecked:into:capacity:)``),
  /// which finds the records the loop alone would find.
  @inline(never)
  @unsafe static func scan(
    _ base: UnsafeRawPointer, held: Int, limit: Int,
    into starts: UnsafeMutablePointer<UInt16>, capacity: Int
  ) -> Int {
    let unchecked = min(limit, held &- (reach &- 1))
    var (count, end) = unsafe scanInTwo(
      base, unchecked: unchecked, into: starts, capacity: capacity)
    while count < capacity, end < unchecked,
      let next = unsafe Self.end(ofRecordWithin: end, in: base)
    {
      unsafe starts[count] = UInt16(truncatingIfNeeded: end)
      end = next
      count &+= 1
    }
    while count < capacity, end < limit,
      let next = unsafe Self.end(ofRecordAt: end, in: base, limit: held)
    {
      unsafe starts[count] = UInt16(truncatingIfNeeded: end)
      end = next
      count &+= 1
    }
    unsafe starts[count] = UInt16(truncatingIfNeeded: end)
    return count
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
