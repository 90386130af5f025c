import Testing

@testable import RDBKit

/// The text before each master field's value, laid out once per node by the node writer and
/// copied a word at a time, and the names written from the node when those texts do not fit
/// its room or when an entry has fields of its own: the same bytes as the events write, in
/// every style (``StreamNodeWriterTests/expectSame(_:sourceLocation:)``).
@Suite struct StreamNodeFieldTextTests {
  typealias Helpers = StreamNodeWriterTests

  /// A name of `length` bytes, distinct for each `index`.
  static func name(_ index: Int, length: Int) -> ListpackElement {
    let letters = (0..<length).map { UInt8(ascii: "a") + UInt8(($0 + index) % 26) }
    return .string(Array("\(index)".utf8) + letters.dropFirst(min(length, "\(index)".count)))
  }

  /// A node of the master fields `names`: entries of the master fields with values of every
  /// form, each with the next ID (every other one a millisecond on), an entry of its own
  /// fields between them, and a deleted one.
  static func node(names: [ListpackElement]) -> [UInt8] {
    var entries: [Helpers.Entry] = []
    for index in 0..<12 {
      let values = names.indices.map { Helpers.values[($0 + index) % Helpers.values.count] }
      entries.append((2, Int64(index / 2), Int64(index), false, values))
    }
    entries.append((0, 7, 0, true, [names[0], .int13(-7), .string(Array("own".utf8)), .uint7(1)]))
    entries.append((3, 7, 1, false, names.map { _ in .uint7(0) }))
    entries.append((2, 7, 2, false, names.map { _ in .string(Array("after".utf8)) }))
    return Helpers.node(masterFields: names, entries: entries)
  }

  /// Master names of 1 to 40 bytes (texts of one to six words, and every length of the last
  /// word), one to four of them: written whole, as the events write them.
  @Test(arguments: 1...4)
  func masterNamesOfEveryLength(count: Int) {
    for length in 1...40 {
      let names = (0..<count).map { Self.name($0, length: length) }
      let image = Helpers.image([(Helpers.id(1, 0), Self.node(names: names))], length: 14)
      #expect(Helpers.expectSame(image) == 1, "\(count) names of \(length) bytes")
    }
  }

  /// Master names whose texts do not fit the room laid out for them (32 names of 30 bytes):
  /// written from the node, still whole.
  @Test func masterNamesBeyondTheirRoom() {
    let names = (0..<StreamNodeWriter.mostFields).map { Self.name($0, length: 30) }
    let image = Helpers.image([(Helpers.id(1, 0), Self.node(names: names))], length: 14)
    #expect(Helpers.expectSame(image) == 1)
  }

  /// The most master names, each of 1 to 11 bytes (texts of 6 to 16, each copied as two
  /// words), so that the last text's two words are at the far end of the texts laid out:
  /// written whole, as the events write them.
  @Test(arguments: [1, 3, 4, 11])
  func mostMasterNamesOfShortTexts(length: Int) {
    let names = (0..<StreamNodeWriter.mostFields).map { Self.name($0, length: length) }
    let image = Helpers.image([(Helpers.id(1, 0), Self.node(names: names))], length: 14)
    #expect(Helpers.expectSame(image) == 1)
  }

  /// A master name to escape, or not ASCII, even when only deleted entries or entries with
  /// their own fields follow: left to the events, which write it.
  @Test(arguments: [Array("us\"er".utf8), Array("caf\u{E9}".utf8), [0x61, 0x5C], [0xFF]])
  func masterNamesNotPlain(name: [UInt8]) {
    let names: [ListpackElement] = [.string(Array("a".utf8)), .string(name)]
    let sameFields = Self.node(names: names)
    let ownFieldsOnly = Helpers.node(
      masterFields: names,
      entries: [
        (0, 0, 0, true, [.string(Array("x".utf8)), .uint7(1)]),
        (3, 0, 1, false, [.uint7(1), .uint7(2)]),
      ])
    for (node, length) in [(sameFields, UInt64(14)), (ownFieldsOnly, 1)] {
      let image = Helpers.image([(Helpers.id(1, 0), node)], length: length)
      #expect(Helpers.expectSame(image) == 0)
    }
  }

  /// IDs whose millisecond deltas take the 13-bit form (128 to 4095 from the master ID) and
  /// whose sequences pass 9, 99 and the 13-bit form: the ID text and the walk's counts.
  @Test func idDeltasOfEveryForm() {
    let names: [ListpackElement] = [.string(Array("f".utf8))]
    var elements: [ListpackElement] = [.uint7(6), .uint7(0), .uint7(1), names[0], .uint7(0)]
    let deltas: [(ms: ListpackElement, seq: ListpackElement)] = [
      (.uint7(0), .uint7(9)), (.uint7(0), .uint7(10)), (.uint7(127), .uint7(99)),
      (.int13(128), .uint7(100)), (.int13(4095), .int13(-4096)), (.int13(4095), .int13(4095)),
    ]
    for (ms, seq) in deltas {
      elements += [.uint7(2), ms, seq, .int24(123_456), .uint7(4)]
    }
    let node = listpack(elements)
    let image = Helpers.image([(Helpers.id(1_699_999_999_990, 4096), node)], length: 6)
    #expect(Helpers.expectSame(image) == 1)
  }
}
