import Testing

@testable import RDBKit

/// JSON lines writes a stream node's entries in one pass (``StreamNodeWriter``) where it can,
/// and from the parser's entry events where it cannot. Both ways must give the same bytes, the
/// same warnings and the same error, in every style, whatever the node holds: integers of
/// every width, long strings, values to escape or not UTF-8, names written twice or to
/// escape, deleted entries, entries with their own fields, entries out of order, a header
/// that miscounts, and damage anywhere.
@Suite struct StreamNodeWriterTests {
  /// A ``JSONLinesWriter`` that writes stream nodes whole only when `takesNodes`, and counts
  /// the nodes it wrote so.
  struct Writer: RDBHandler {
    var writer: JSONLinesWriter
    let takesNodes: Bool
    var nodesWritten = 0

    init(style: ByteStringStyle, takesNodes: Bool) {
      writer = JSONLinesWriter(output: OutputBuffer(), style: style)
      self.takesNodes = takesNodes
    }

    var text: [UInt8] { writer.output.bytes(in: 0..<writer.output.count) }

    mutating func beginKey(_ key: RawSpan, info: KeyInfo) throws(RDBError) -> KeyDecision {
      try writer.beginKey(key, info: info)
    }
    mutating func beginValue(encoding: Encoding) throws(RDBError) {
      try writer.beginValue(encoding: encoding)
    }
    mutating func stringValue(_ value: RawSpan) throws(RDBError) {
      try writer.stringValue(value)
    }
    mutating func streamNode(_ node: RawSpan, master: StreamID, after previous: StreamID?)
      throws(RDBError) -> WrittenStreamNode?
    {
      guard takesNodes,
        let written = try writer.streamNode(node, master: master, after: previous)
      else { return nil }
      nodesWritten += 1
      return written
    }
    mutating func beginStreamEntry(id: StreamID, fieldCount: Int) throws(RDBError) {
      try writer.beginStreamEntry(id: id, fieldCount: fieldCount)
    }
    mutating func streamField(_ field: RawSpan, value: RawSpan) throws(RDBError) {
      try writer.streamField(field, value: value)
    }
    mutating func streamField(_ field: RawSpan, integer value: Int64) throws(RDBError) {
      try writer.streamField(field, integer: value)
    }
    mutating func streamMetadata(_ metadata: StreamMetadata) throws(RDBError) {
      try writer.streamMetadata(metadata)
    }
    mutating func endKey(_ summary: KeySummary) throws(RDBError) {
      try writer.endKey(summary)
    }
  }

  /// What a parse gave: the text, the warnings, the error, the nodes written whole.
  struct Outcome: Equatable {
    var text: [UInt8]
    var warnings: [String]
    var error: String?
    var nodesWritten: Int
  }

  static func parse(_ image: [UInt8], style: ByteStringStyle, takesNodes: Bool) -> Outcome {
    var writer = Writer(style: style, takesNodes: takesNodes)
    var warnings: [String] = []
    var error: String?
    do {
      warnings = try RDBParser().parse(image, into: &writer).warnings.map { "\($0)" }
    } catch let failure {
      error = "\(failure)"
    }
    return Outcome(
      text: writer.text, warnings: warnings, error: error, nodesWritten: writer.nodesWritten)
  }

  /// Whether the two ways agree on `image` in every style; the nodes written whole in the
  /// utf8 style.
  static func expectSame(_ image: [UInt8], sourceLocation: SourceLocation = #_sourceLocation)
    -> Int
  {
    var written = 0
    for style in ByteStringStyle.allCases {
      var whole = parse(image, style: style, takesNodes: true)
      let events = parse(image, style: style, takesNodes: false)
      if style == .utf8 { written = whole.nodesWritten }
      whole.nodesWritten = 0
      #expect(whole == events, "style \(style)", sourceLocation: sourceLocation)
    }
    return written
  }

  /// An entry of ``node(masterFields:entries:count:)``: flags, ID deltas, whether it has its
  /// own fields, then its names and values (its values only when it has not).
  typealias Entry = (flags: Int64, ms: Int64, seq: Int64, own: Bool, elements: [ListpackElement])

  static func id(_ ms: UInt64, _ seq: UInt64) -> StreamID {
    StreamID(milliseconds: ms, sequence: seq)
  }

  /// A node's listpack: the master entry, then `entries` (flags, ID deltas, then the field
  /// count when it has its own fields, its names and values, as given), each closed by its
  /// element count.
  static func node(
    masterFields: [ListpackElement], entries: [Entry], count: UInt16? = nil
  ) -> [UInt8] {
    var elements = [
      StreamImage.integer(Int64(entries.filter { $0.flags & 1 == 0 }.count)),
      StreamImage.integer(Int64(entries.filter { $0.flags & 1 != 0 }.count)),
      StreamImage.integer(Int64(masterFields.count)),
    ]
    elements += masterFields
    elements.append(.uint7(0))
    for entry in entries {
      elements += [
        StreamImage.integer(entry.flags), StreamImage.integer(entry.ms),
        StreamImage.integer(entry.seq),
      ]
      if entry.own {
        elements.append(StreamImage.integer(Int64(entry.elements.count / 2)))
        elements += entry.elements
        elements.append(StreamImage.integer(Int64(entry.elements.count + 4)))
      } else {
        elements += entry.elements
        elements.append(StreamImage.integer(Int64(entry.elements.count + 3)))
      }
    }
    return listpack(elements, count: count)
  }

  /// An image of the stream `s` of `nodes` (its length the live entries given) and a string.
  static func image(_ nodes: [(master: StreamID, listpack: [UInt8])], length: UInt64)
    -> [UInt8]
  {
    var image = RDBImageBuilder(version: 10)
    image.key(type: 15, "s")
    StreamImage.append(to: &image, nodes: nodes, length: length, lastID: id(9, 9))
    image.key(type: 0, "anchor")
    image.string("v")
    return image.finished(checksum: false)
  }

  static let names: [ListpackElement] = [
    .string(utf8("event")), .string(utf8("user")), .string(utf8("p")),
  ]

  /// Values of every form the node writer reads: plain, integers of each width, empty, long
  /// (12-bit length, back-length of two bytes), to escape, not UTF-8, UTF-8 beyond ASCII.
  static let values: [ListpackElement] = [
    .string(utf8("click")), .uint7(42), .int13(-4000), .int16(-30000), .int24(8_000_000),
    .int32(-2_000_000_000), .int64(Int64.min), .int64(Int64.max), .string([]),
    .string(Array(repeating: UInt8(ascii: "x"), count: 70)),
    .string(Array(repeating: UInt8(ascii: "y"), count: 300)), .string(utf8("a\"b\\c\nd\u{1}")),
    .string([0xFF, 0x41, 0x00]), .string(utf8("café ☕")), .stringForced(utf8("12"), bits: 32),
  ]

  /// A node of well-formed entries: the master fields' values in every form, a deleted
  /// entry, entries with their own fields (of every form), and one without fields.
  static func wellFormedNode() -> [UInt8] {
    var entries: [Entry] = []
    for (index, value) in values.enumerated() {
      let others = [values[(index + 1) % values.count], values[(index + 2) % values.count]]
      entries.append((2, Int64(index / 3), Int64(index), false, [value] + others))
    }
    entries.append((3, 20, 0, false, [.uint7(1), .uint7(2), .uint7(3)]))
    entries.append(
      (0, 20, 1, true, [.string(utf8("a")), .int64(-1), .string(utf8("b")), values[9]]))
    entries.append((1, 20, 2, true, [.uint7(7), .string(utf8("gone"))]))
    entries.append((0, 20, 3, true, []))
    entries.append((0, 5000, 0, true, [.string(utf8("long name, over eight")), values[12]]))
    return node(masterFields: names, entries: entries)
  }

  @Test func wellFormedNodesAreWrittenWhole() {
    let first = Self.wellFormedNode()
    let second = Self.node(
      masterFields: [.string(utf8("f"))],
      entries: [(2, 0, 0, false, [.string(utf8("v"))]), (2, 0, 1, false, [.uint7(9)])])
    let image = Self.image([(Self.id(1, 0), first), (Self.id(6000, 0), second)], length: 20)
    #expect(Self.expectSame(image) == 2)
  }

  /// Values that are not plain ASCII, stored in the text's reserved room: of every length
  /// from 0 to 70 and around the longest stored so, with a quote, a backslash or a control
  /// character, UTF-8 beyond ASCII, not UTF-8 (cut short, stray bytes, random), so that the
  /// room's end falls everywhere among them. The same bytes as the events, in every style.
  @Test func valuesToEscapeOrEncodeAtEveryLength() {
    var random = SeededBytes(state: 0x9E37_79B9_7F4A_7C15)
    func values(ofLengths lengths: [Int]) -> [ListpackElement] {
      var values: [[UInt8]] = []
      for length in lengths {
        let plain = Array(repeating: UInt8(ascii: "a"), count: length)
        values.append(random.next(length))
        guard length > 0 else { continue }
        for byte: UInt8 in [0x22, 0x5C, 0x0A, 0x01, 0x1F, 0x09, 0x0D, 0x7F, 0xC3, 0xFF, 0x80] {
          var value = plain
          value[length / 2] = byte
          values.append(value)
        }
        values.append(Array(plain.dropLast()) + [0xE2])
        let mixed = Array("é☕\\x\u{7F}\"".utf8.prefix(length))
        values.append(mixed + plain.dropFirst(mixed.count))
      }
      return values.map { .string($0) }
    }
    func node(_ values: [ListpackElement]) -> (listpack: [UInt8], entries: Int) {
      var entries: [Entry] = stride(from: 0, to: values.count, by: 3).map { index in
        (2, 0, Int64(index), false, (0..<3).map { values[(index + $0) % values.count] })
      }
      entries.append((0, 0, Int64(values.count), true, [.string(utf8("own")), values[20]]))
      return (Self.node(masterFields: Self.names, entries: entries), entries.count)
    }
    let short = node(values(ofLengths: Array(0...70)))
    let long = node(values(ofLengths: [1023, 1024, 1025]))
    #expect(max(short.listpack.count, long.listpack.count) <= StreamNodeWriter.largestNode)
    let image = Self.image(
      [(Self.id(1, 0), short.listpack), (Self.id(2, 0), long.listpack)],
      length: UInt64(short.entries + long.entries))
    #expect(Self.expectSame(image) == 2)
  }

  /// Nodes the one pass gives up on: the events write them (and raise their warnings).
  @Test(arguments: 0..<7) func nodesLeftToTheEvents(_ which: Int) {
    let plain: [ListpackElement] = [.string(utf8("v")), .uint7(1), .uint7(2)]
    var entries: [Entry] = [(2, 0, 1, false, plain), (2, 0, 2, false, plain)]
    var masterFields = Self.names
    var count: UInt16?
    switch which {
    case 0: entries[1].seq = 0  // out of order
    case 1: count = 40  // a header that miscounts
    case 2: masterFields[2] = .string(utf8("event"))  // a name written twice
    case 3: masterFields[1] = .string(utf8("us\"er"))  // a name to escape
    case 4: masterFields[1] = .uint7(5)  // a name stored as an integer
    case 5: entries.append((0, 0, 3, true, [.string([0xC3]), .uint7(1)]))  // not UTF-8
    default:
      // Larger than the one pass takes.
      let long = ListpackElement.string(Array(repeating: UInt8(ascii: "z"), count: 5000))
      entries += (3..<20).map { (2, 0, Int64($0), false, [long, long, long]) }
    }
    let length = UInt64(entries.count)
    let node = Self.node(masterFields: masterFields, entries: entries, count: count)
    #expect(Self.expectSame(Self.image([(Self.id(1, 0), node)], length: length)) == 0)
  }

  /// A node whose first entry does not follow the node before: left to the events.
  @Test func aNodeBehindTheOneBefore() {
    let node = Self.node(
      masterFields: [.string(utf8("f"))], entries: [(2, 0, 0, false, [.string(utf8("v"))])])
    let image = Self.image([(Self.id(5, 0), node), (Self.id(4, 0), node)], length: 2)
    #expect(Self.expectSame(image) == 1)
  }

  /// IDs at the edges of the walk's order check, which reads the first entry's ID ahead and
  /// starts from the ID just before it: a first sequence of 0 (the milliseconds borrowed
  /// from), an entry just below or equal to the first, the largest IDs, and 0-0 (left to the
  /// events). The same text, warnings and error both ways, and the nodes written whole.
  @Test(arguments: [
    ([(0, -7), (0, -6)], 1), ([(0, -7), (-1, -8)], 0), ([(0, 0), (0, 0)], 0),
    ([(0, 0), (-1, -1)], 0), ([(-6, -9), (-6, -8)], 1), ([(-6, -8)], 1),
    ([(-5, -7), (0, 0)], nil),
  ])
  func idsAtTheEdgesOfTheOrder(_ deltas: [(Int, Int)], _ written: Int?) {
    let value: [ListpackElement] = [.string(utf8("v"))]
    // From the master ID 5-7: -7 is sequence 0, -6/-8 the largest ID, -5/-7 0-0.
    let entries: [Entry] = deltas.map { (2, Int64($0.0), Int64($0.1), false, value) }
    let node = Self.node(masterFields: [.string(utf8("f"))], entries: entries)
    let image = Self.image([(Self.id(5, 7), node)], length: UInt64(entries.count))
    let whole = Self.expectSame(image)
    if let written { #expect(whole == written) }
  }

  /// A first entry that is deleted, and a node whose first entry is the one before's last:
  /// its first ID read ahead all the same, and the second node left to the events.
  @Test func firstEntryDeletedOrRepeated() {
    let value: [ListpackElement] = [.string(utf8("v"))]
    let deletedFirst = Self.node(
      masterFields: [.string(utf8("f"))],
      entries: [(3, 0, 0, false, value), (2, 0, 1, false, value)])
    let repeated = Self.node(
      masterFields: [.string(utf8("f"))], entries: [(2, 0, 1, false, value)])
    let image = Self.image([(Self.id(5, 0), deletedFirst), (Self.id(5, 0), repeated)], length: 2)
    #expect(Self.expectSame(image) == 1)
  }

  /// Every byte of a node flipped two ways, and the node cut every 7 bytes: the same
  /// text, warnings and error both ways.
  @Test func damageAnywhere() throws {
    let node = Self.wellFormedNode()
    let intact = Self.image([(Self.id(1, 0), node)], length: 18)
    let at = try #require(intact.firstRange(of: node))
    for offset in at {
      for mask: UInt8 in [0x01, 0x80] {
        var damaged = intact
        damaged[offset] ^= mask
        _ = Self.expectSame(damaged)
      }
    }
    for cut in stride(from: 8, to: node.count, by: 7) {
      var shorter = Array(node.prefix(cut))
      shorter[0..<4] = ArraySlice(RDBImageBuilder.littleEndian(UInt32(cut + 1)))
      shorter.append(0xFF)
      _ = Self.expectSame(Self.image([(Self.id(1, 0), shorter)], length: 18))
    }
  }
}
