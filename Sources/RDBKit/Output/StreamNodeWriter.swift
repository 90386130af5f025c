#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a stream node's live entries in one pass over its listpack, as ``JSONLinesWriter``
/// writes them from their events: `{"id":"ms-seq","fields":{"name":"value",…}}` each, a
/// comma before each but the stream's first (``JSONLinesWriter/streamNode(_:master:after:)``).
///
/// It reads only what a well-formed node holds in its common forms: integers where the walk
/// wants integers, field names that are strings of plain ASCII (no escape) and distinct
/// within an entry, back-lengths written as the server writes them, entries in ID order after
/// the stream's previous one, a header count that matches. Where a node departs from that
/// (damage, a count written as text, a name to escape or written twice, an entry out of
/// order), ``write(_:master:after:style:entries:start:to:)`` gives up and returns nil, and the
/// caller drops what it wrote: the parser then reports the node's entries one by one
/// (``Decoder/readStreamNode(_:master:walk:origin:into:)``), names any damage and raises any
/// warning, and the writer writes those entries from their events. So for every node it
/// takes, it writes what those events would have written, and finds what that walk finds.
@safe struct StreamNodeWriter {
  /// The largest node written here: its text goes into the output whole, without the
  /// flushes the events allow between entries.
  static let largestNode = 1 << 16
  /// The most master fields, and fields of an entry with its own, read here.
  static let mostFields = 32

  /// An element read: an integer, or where a string starts in the node and its length.
  private struct Element {
    var isInteger: Bool
    var integer: Int64
    var start: Int
    var count: Int
  }

  private let base: UnsafeRawPointer
  /// Where the end marker is.
  private let end: Int
  private var position = 6
  /// Elements read: the count the header's is compared with.
  private var elements = 0
  private let output: OutputBuffer
  private let style: ByteStringStyle

  @unsafe private init(
    _ base: UnsafeRawPointer, count: Int, style: ByteStringStyle, output: OutputBuffer
  ) {
    unsafe self.base = base
    end = count &- 1
    self.style = style
    self.output = output
  }

  /// Writes the live entries of the node `bytes` (its header checked: its byte count, its end
  /// marker), whose master ID is `master`, after the stream's entry `previous` and its
  /// `entries` live entries before, to `output`; returns the walk's summary and counts the
  /// entries written into `entries`. Nil for a node it does not read (see the type's
  /// description), with part of its text perhaps in `output` and `entries` unchanged.
  @unsafe static func write(
    _ bytes: UnsafeRawBufferPointer, master: StreamID, after previous: StreamID?,
    style: ByteStringStyle, entries: inout Int, start: inout StreamEntryStart,
    to output: OutputBuffer
  ) -> WrittenStreamNode? {
    guard style != .base64, bytes.count > 7, bytes.count <= largestNode,
      let base = bytes.baseAddress
    else { return nil }
    var writer = unsafe StreamNodeWriter(base, count: bytes.count, style: style, output: output)
    // Start and length of each master field, then of the current entry's own names.
    return unsafe withUnsafeTemporaryAllocation(of: Int.self, capacity: 4 &* mostFields) {
      names in
      guard let names = names.baseAddress else { return nil }
      guard
        let written = unsafe writer.writeEntries(
          master: master, after: previous, entries: entries, start: &start, names: names),
        writer.headerCountMatches
      else { return nil }
      entries &+= Int(truncatingIfNeeded: written.liveEntries)
      return written
    }
  }

  /// Whether the header's element count is unknown or the count read.
  private var headerCountMatches: Bool {
    let declared = unsafe Int(base.loadUnaligned(fromByteOffset: 4, as: UInt16.self).littleEndian)
    return declared == 0xFFFF || declared == elements
  }

  /// The master entry, then every entry, then nothing but the end marker; `names` has room
  /// for ``mostFields`` pairs of master fields, then as many of an entry's own names.
  @unsafe private mutating func writeEntries(
    master: StreamID, after previous: StreamID?, entries: Int,
    start: inout StreamEntryStart, names: UnsafeMutablePointer<Int>
  ) -> WrittenStreamNode? {
    guard let live = integer(), let deleted = integer(), let masterFieldCount = integer()
    else { return nil }
    let (total, overflow) = live.addingReportingOverflow(deleted)
    guard !overflow, total >= 0, masterFieldCount >= 0, masterFieldCount <= Self.mostFields
    else { return nil }
    let masterNames = Int(masterFieldCount)
    for index in 0..<masterNames {
      guard let field = element(), !field.isInteger else { return nil }
      unsafe names[2 &* index] = field.start
      unsafe names[2 &* index &+ 1] = field.count
    }
    guard integer() == 0, unsafe Self.areDistinct(names, masterNames, in: base) else {
      return nil
    }
    let own = unsafe names + 2 &* Self.mostFields
    var last = previous.map { ($0.milliseconds, $0.sequence) }
    var firstID: StreamID?
    var liveEntries: UInt64 = 0
    var written = entries
    var entry: Int64 = 0
    while entry < total {
      guard let flags = integer(), let milliseconds = integer(), let sequence = integer() else {
        return nil
      }
      let id = (
        master.milliseconds &+ UInt64(bitPattern: milliseconds),
        master.sequence &+ UInt64(bitPattern: sequence)
      )
      if let last { guard id > last else { return nil } }
      if entry == 0 { firstID = StreamID(milliseconds: id.0, sequence: id.1) }
      last = id
      let sameFields = flags & 2 != 0
      let isDeleted = flags & 1 != 0
      var fieldCount = masterNames
      if !sameFields {
        guard let count = integer(), count >= 0, count <= Self.mostFields else { return nil }
        fieldCount = Int(count)
      }
      if !isDeleted {
        start.write(
          StreamID(milliseconds: id.0, sequence: id.1), first: written == 0, to: output)
        written &+= 1
        liveEntries &+= 1
      }
      for index in 0..<fieldCount {
        var name: (start: Int, count: Int)
        if sameFields {
          name = unsafe (names[2 &* index], names[2 &* index &+ 1])
        } else {
          guard let field = element(), isDeleted || !field.isInteger else { return nil }
          name = (field.start, field.count)
          unsafe own[2 &* index] = field.start
          unsafe own[2 &* index &+ 1] = field.count
        }
        guard let value = element() else { return nil }
        if isDeleted { continue }
        guard unsafe writeField(name, value, first: index == 0) else { return nil }
      }
      let expected = sameFields ? fieldCount &+ 3 : fieldCount &* 2 &+ 4
      guard integer() == Int64(expected) else { return nil }
      if !isDeleted {
        if !sameFields, fieldCount > 1 {
          guard unsafe Self.areDistinct(own, fieldCount, in: base) else { return nil }
        }
        output.append(fieldCount == 0 ? "{}}" : "}}")
      }
      entry &+= 1
    }
    guard position == end else { return nil }
    let lastID = total > 0 ? last.map { StreamID(milliseconds: $0.0, sequence: $0.1) } : nil
    return WrittenStreamNode(liveEntries: liveEntries, firstID: firstID, lastID: lastID)
  }

  /// Writes `,"name":value` (`{` first when `first`): the value a JSON string of a string's
  /// bytes or an integer's digits, as ``JSONLinesWriter``'s `streamField` writes them. False
  /// when the name is not plain ASCII.
  @inline(__always)
  @unsafe private func writeField(
    _ name: (start: Int, count: Int), _ value: Element, first: Bool
  ) -> Bool {
    let nameCount = name.count
    // Up to 8 bytes past each string's end may be stored (JSONText.storeIfPlain).
    let out = unsafe output.reserve(nameCount &+ (value.isInteger ? 24 : value.count) &+ 16)
    unsafe out.storeBytes(of: UInt8(ascii: first ? "{" : ","), as: UInt8.self)
    unsafe out.storeBytes(of: UInt8(ascii: "\""), toByteOffset: 1, as: UInt8.self)
    guard
      unsafe JSONText.storeIfPlain(
        UnsafeRawBufferPointer(start: base + name.start, count: nameCount), at: out + 2)
    else { return false }
    // `":"` after the name (a fourth byte that the value or its closing quote overwrites).
    unsafe out.storeBytes(
      of: (0x22_3A22 as UInt32).littleEndian, toByteOffset: nameCount &+ 2, as: UInt32.self)
    let valueStart = nameCount &+ 5
    let valueCount: Int
    if value.isInteger {
      valueCount = unsafe DecimalText.write(value.integer, to: out + valueStart)
    } else {
      let bytes = unsafe UnsafeRawBufferPointer(start: base + value.start, count: value.count)
      guard unsafe JSONText.storeIfPlain(bytes, at: out + valueStart) else {
        // The separator, the name and its colon stay; the value as its style has it.
        output.advance(by: nameCount &+ 4)
        unsafe JSONText.appendValue(bytes, style: style, to: output)
        return true
      }
      valueCount = value.count
    }
    unsafe out.storeBytes(
      of: UInt8(ascii: "\""), toByteOffset: valueStart &+ valueCount, as: UInt8.self)
    output.advance(by: valueStart &+ valueCount &+ 1)
    return true
  }

  /// Whether the `count` names whose starts and lengths `names` holds in pairs differ.
  @unsafe private static func areDistinct(
    _ names: UnsafeMutablePointer<Int>, _ count: Int, in base: UnsafeRawPointer
  ) -> Bool {
    guard count > 1 else { return true }
    for later in 1..<count {
      let length = unsafe names[2 &* later &+ 1]
      for earlier in 0..<later where unsafe names[2 &* earlier &+ 1] == length {
        if unsafe memcmp(base + names[2 &* earlier], base + names[2 &* later], length) == 0 {
          return false
        }
      }
    }
    return true
  }

  /// The byte at `offset`.
  @inline(__always)
  private func byte(_ offset: Int) -> Int {
    Int(unsafe base.load(fromByteOffset: offset, as: UInt8.self))
  }

  /// Reads an integer element (any of its six forms) with its one-byte back-length; nil,
  /// having read it or not, for anything else.
  @inline(__always)
  private mutating func integer() -> Int64? {
    guard end &- position >= 2 else { return nil }
    let first = byte(position)
    if first < 0x80 {
      guard byte(position &+ 1) == 1 else { return nil }
      position &+= 2
      elements &+= 1
      return Int64(first)
    }
    guard let element = element(), element.isInteger else { return nil }
    return element.integer
  }

  /// Reads the element at the current position with its back-length; nil when it is not
  /// there whole or its back-length is not in the server's form.
  @inline(__always)
  private mutating func element() -> Element? {
    let start = position
    let left = end &- start
    guard left > 0 else { return nil }
    let first = byte(start)
    var element = Element(isInteger: true, integer: 0, start: 0, count: 0)
    let size: Int
    if first < 0x80 {
      element.integer = Int64(first)
      size = 1
    } else if first < 0xC0 {
      element = Element(isInteger: false, integer: 0, start: start &+ 1, count: first & 0x3F)
      size = 1 &+ element.count
    } else if first < 0xE0 {
      guard left >= 2 else { return nil }
      let raw = (first & 0x1F) << 8 | byte(start &+ 1)
      element.integer = Int64(raw >= 4096 ? raw &- 8192 : raw)
      size = 2
    } else if first < 0xF0 {
      guard left >= 2 else { return nil }
      element = Element(
        isInteger: false, integer: 0, start: start &+ 2,
        count: (first & 0x0F) << 8 | byte(start &+ 1))
      size = 2 &+ element.count
    } else {
      guard let (integerSize, value) = unsafe largerForm(first, at: start, left: left) else {
        return nil
      }
      if first == 0xF0 {
        element = Element(isInteger: false, integer: 0, start: start &+ 5, count: Int(value))
      } else {
        element.integer = value
      }
      size = integerSize
    }
    guard size < left else { return nil }
    if size < 128 {
      guard byte(start &+ size) == size else { return nil }
      position = start &+ size &+ 1
    } else {
      guard let next = longBacklenEnd(start, size) else { return nil }
      position = next
    }
    elements &+= 1
    return element
  }

  /// The size and value of an element whose first byte is 0xF0 or above: a string with a
  /// 32-bit length (the value is the length) or a 16-, 24-, 32- or 64-bit integer
  /// (``ListpackReader/integerElement(_:_:_:_:)``); nil for any other byte or when its header
  /// runs past the end.
  @unsafe private func largerForm(_ first: Int, at start: Int, left: Int) -> (Int, Int64)? {
    guard first == 0xF0 else {
      let (size, value) = unsafe ListpackReader.integerElement(base, start, UInt8(first), end)
      return size > 0 ? (size, value) : nil
    }
    guard left >= 5 else { return nil }
    let length = Int(
      UInt32(littleEndian: unsafe base.loadUnaligned(fromByteOffset: start &+ 1, as: UInt32.self)))
    return (5 &+ length, Int64(length))
  }

  /// The offset after the element of `size` bytes (128 or more) at `start` and its
  /// back-length, when the back-length is there in the server's form: its bytes, last first,
  /// give the size 7 bits at a time, each but the earliest with the continuation bit.
  private func longBacklenEnd(_ start: Int, _ size: Int) -> Int? {
    let backlenSize = ListpackReader.backlenSize(of: size)
    guard backlenSize <= end &- start &- size else { return nil }
    let next = start &+ size &+ backlenSize
    var decoded = 0
    var shift = 0
    var index = next &- 1
    while true {
      let byte = byte(index)
      decoded |= (byte & 0x7F) << shift
      if byte & 0x80 == 0 { break }
      shift &+= 7
      index &-= 1
      guard index >= start &+ size else { return nil }
    }
    guard decoded == size, index == start &+ size else { return nil }
    return next
  }
}
