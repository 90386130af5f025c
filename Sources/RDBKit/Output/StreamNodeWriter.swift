/// Writes a stream node's live entries in one pass over its listpack, as ``JSONLinesWriter``
/// writes them from their events: `{"id":"ms-seq","fields":{"name":"value",…}}` each, a
/// comma before each but the stream's first (``JSONLinesWriter/streamNode(_:master:after:)``).
///
/// It reads only what a well-formed node holds in its common forms: integers where the walk
/// wants integers, field names that are strings of plain ASCII (no escape) and distinct
/// within an entry, back-lengths written as the server writes them, entries in ID order after
/// the stream's previous one, a header count that matches. The master fields' names are
/// checked once per node, and the text before each of their values laid out then
/// (``FieldNames``): an entry of the master fields copies it. Where a node departs from that
/// (damage, a count written as text, a name to escape, a master field's even when no entry
/// uses it, a name written twice, an entry out of order),
/// ``write(_:master:after:style:entries:start:to:)`` gives up and returns nil, and the
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

  private let base: UnsafeRawPointer
  private let count: Int
  private var names: FieldNames
  private let style: ByteStringStyle
  private let output: OutputBuffer

  @unsafe private init(
    _ bytes: UnsafeRawBufferPointer, base: UnsafeRawPointer, style: ByteStringStyle,
    names room: UnsafeMutableRawPointer, output: OutputBuffer
  ) {
    unsafe self.base = base
    count = bytes.count
    names = unsafe FieldNames(room: room)
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
    return unsafe withUnsafeTemporaryAllocation(
      byteCount: FieldNames.byteCount, alignment: 8
    ) { room in
      guard let room = room.baseAddress else { return nil }
      var writer = unsafe StreamNodeWriter(
        bytes, base: base, style: style, names: room, output: output)
      guard
        let written = unsafe writer.writeEntries(
          master: master, after: previous, entries: entries, start: &start)
      else { return nil }
      entries &+= Int(truncatingIfNeeded: written.liveEntries)
      return written
    }
  }

  /// The master entry, then every entry, then nothing but the end marker, and the header's
  /// element count unknown or theirs (each entry's count is checked: the elements are
  /// counted from them). Inlined into
  /// ``write(_:master:after:style:entries:start:to:)``, with the walk's state (the reader's
  /// position, the text's pointers, the last ID, the counts) in local values, not in the
  /// writer, whose memory the calls the walk makes keep it from holding in registers: the
  /// first entry's ID is read ahead, so that the walk keeps no optional ID.
  @inline(__always)
  @unsafe private mutating func writeEntries(
    master: StreamID, after previous: StreamID?, entries: Int, start: inout StreamEntryStart
  ) -> WrittenStreamNode? {
    var reader = unsafe Reader(base, count: count)
    guard let live = reader.integer(), let deleted = reader.integer(),
      let masterFieldCount = reader.integer()
    else { return nil }
    let (total, overflow) = live.addingReportingOverflow(deleted)
    guard !overflow, total >= 0, masterFieldCount >= 0, masterFieldCount <= Self.mostFields
    else { return nil }
    let masterNames = Int(masterFieldCount)
    for index in 0..<masterNames {
      guard let field = reader.elementInCall(), !field.isInteger else { return nil }
      unsafe names.setMaster(index, field, in: base)
    }
    guard reader.integer() == 0, unsafe names.areDistinct(0, masterNames, in: base),
      unsafe names.layOutTexts(masterNames, in: base)
    else { return nil }
    // The ID just before the first entry's, which each entry's must be above.
    var last = (UInt64(0), UInt64(0))
    var firstID: StreamID?
    if total > 0 {
      var ahead = reader
      guard ahead.integer() != nil, let milliseconds = ahead.integer(),
        let sequence = ahead.integer()
      else { return nil }
      let first = StreamID(
        milliseconds: master.milliseconds &+ UInt64(bitPattern: milliseconds),
        sequence: master.sequence &+ UInt64(bitPattern: sequence))
      if let previous { guard first > previous else { return nil } }
      // 0-0, which no server writes, has no ID before it: left to the parser.
      guard first.milliseconds | first.sequence != 0 else { return nil }
      last =
        first.sequence > 0
        ? (first.milliseconds, first.sequence &- 1) : (first.milliseconds &- 1, UInt64.max)
      firstID = first
    }
    var text = Text(output)
    let shortTexts = names.longestText <= FieldNames.shortText
    var written = entries
    var remaining = total
    // The master entry's elements: the counts, the names and the 0 that closes them.
    var elements = 4 &+ masterNames
    while remaining > 0 {
      guard let flags = reader.integer(), let milliseconds = reader.integer(),
        let sequence = reader.integer()
      else { return nil }
      let id = (
        master.milliseconds &+ UInt64(bitPattern: milliseconds),
        master.sequence &+ UInt64(bitPattern: sequence)
      )
      guard id > last else { return nil }
      last = id
      let sameFields = flags & 2 != 0
      var fieldCount = masterNames
      if !sameFields {
        guard let count = reader.integer(), count >= 0, count <= Self.mostFields else {
          return nil
        }
        fieldCount = Int(count)
      }
      if flags & 1 != 0 {
        for _ in 0..<(sameFields ? fieldCount : fieldCount &* 2) {
          guard reader.elementInCall() != nil else { return nil }
        }
      } else {
        text.reserve(StreamEntryStart.mostBytes)
        text.advance(
          by: unsafe start.write(
            StreamID(milliseconds: id.0, sequence: id.1), first: written == 0, at: text.cursor))
        written &+= 1
        guard
          unsafe writeFields(
            fieldCount, own: !sameFields, shortTexts: shortTexts, reader: &reader, text: &text)
        else { return nil }
      }
      let expected = sameFields ? fieldCount &+ 3 : fieldCount &* 2 &+ 4
      guard reader.integer() == Int64(expected) else { return nil }
      elements &+= expected &+ 1
      remaining &-= 1
    }
    guard unsafe reader.position == reader.end, unsafe headerCountMatches(elements) else {
      return nil
    }
    text.commit()
    return WrittenStreamNode(
      liveEntries: UInt64(written &- entries), firstID: firstID,
      lastID: total > 0 ? StreamID(milliseconds: last.0, sequence: last.1) : nil)
  }

  /// Writes the `count` fields of an entry and closes it: its own names and values when
  /// `own`, else the master fields' texts (when laid out; two words each when
  /// `shortTexts`, every text then at most ``FieldNames/shortText`` bytes) or names, each
  /// before its value.
  /// False when a name is an integer, not plain ASCII or written twice, or an element is
  /// not read.
  @inline(__always)
  @unsafe private func writeFields(
    _ count: Int, own: Bool, shortTexts: Bool, reader: inout Reader, text: inout Text
  ) -> Bool {
    let byText = !own && names.textsLaidOut
    for index in 0..<count {
      if byText, shortTexts {
        text.reserve(FieldNames.shortText)
        text.advance(by: unsafe names.copyShortText(index, to: text.cursor))
      } else if byText {
        text.reserve(names.longestText &+ 8)
        text.advance(by: unsafe names.copyText(index, to: text.cursor))
      } else {
        let name: UnsafeRawPointer
        let nameCount: Int
        if own {
          guard let field = reader.elementInCall(), !field.isInteger else { return false }
          unsafe names.setOwn(index, field, in: base)
          unsafe name = field.start
          nameCount = field.count
        } else {
          let master = names.master(index)
          unsafe name = base + master.start
          nameCount = master.count
        }
        guard unsafe text.writeName(name, count: nameCount, first: index == 0) else {
          return false
        }
      }
      guard unsafe writeValue(reader: &reader, text: &text) else { return false }
    }
    if own, count > 1 {
      guard unsafe names.areDistinct(1, count, in: base) else { return false }
    }
    // `}}`, or `{}}` for an entry without fields.
    text.write(word: count == 0 ? 0x7D_7D7B : 0x7D7D, length: count == 0 ? 3 : 2)
    return true
  }

  /// Reads a value with `reader` and writes it to `text` after its name: a JSON string of a
  /// string's bytes or an integer's digits, as ``JSONLinesWriter``'s `streamField` writes
  /// them.
  @inline(__always)
  @unsafe private func writeValue(reader: inout Reader, text: inout Text) -> Bool {
    guard let value = reader.element() else { return false }
    if value.isInteger {
      text.writeValue(integer: value.integer)
    } else {
      unsafe text.writeValue(
        UnsafeRawBufferPointer(start: value.start, count: value.count), style: style)
    }
    return true
  }

  /// Whether the node header's element count is unknown (0xFFFF) or `count`.
  @unsafe private func headerCountMatches(_ count: Int) -> Bool {
    let declared = unsafe Int(
      base.loadUnaligned(fromByteOffset: 4, as: UInt16.self).littleEndian)
    return declared == 0xFFFF || declared == count
  }
}
