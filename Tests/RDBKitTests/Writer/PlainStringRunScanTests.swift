import Testing

@testable import RDBKit

/// The scan that finds plain string records (``PlainStringRun/scan(_:held:limit:into:capacity:)``)
/// takes an integer's length from its marker as a shift, and a filter's prefix test reads 16
/// bytes from each name's start, past a run's last record while the window holds them:
/// records with names of every length and every value form, and names the filter drops just
/// before a record that ends a run or at the end of the input, are found and judged as the
/// general events find them.
@Suite struct PlainStringRunScanTests {
  /// Name lengths 0–63 in runs of repeats and changes, each value form in turn, and an
  /// expiring key after every seventh record (it ends the run), its name and the one before
  /// it often starting with `drop:`.
  static let image: [UInt8] = {
    var image = RDBImageBuilder(version: 10)
    image.aux("redis-ver", "7.0.15")
    image.byte(0xFE)
    image.length(0)
    var random = SplitMix64(seed: 3)
    for index in 0..<5_000 {
      let length = index % 40 < 20 ? 9 : Int(random.next() % 64)
      let stem = index % 7 == 6 || index % 5 == 0 ? "drop:" : "k:"
      let name = String((stem + String(index) + String(repeating: "n", count: 64)).prefix(length))
      image.key(type: 0, name)
      switch index % 5 {
      case 0: image.raw([0xC0, UInt8(index % 256)])
      case 1: image.raw([0xC1] + RDBImageBuilder.littleEndian(UInt16(index)))
      case 2: image.raw([0xC2] + RDBImageBuilder.littleEndian(UInt32(index)))
      default: image.string(String(repeating: "v", count: Int(random.next() % 64)))
      }
      if index % 7 == 6 {
        image.byte(0xFC)
        image.littleEndian(Int64(1_900_000_000_000))
        image.key(type: 0, "drop:expiring:\(index)")
        image.string("soon")
      }
    }
    image.key(type: 0, "drop:last")
    image.raw([0xC0, 1])
    return image.finished()
  }()

  @Test(arguments: [false, true])
  func everyRecordIsFoundOnceInOrder(chunked: Bool) throws {
    var general = NameLog()
    try RDBParser().parse(Self.image, into: &general)
    var taking = NameLog(takesEvery: 2)
    if chunked {
      try RDBParser().parse(input: ChunkedInput(Self.image, seed: 5), into: &taking)
    } else {
      try RDBParser().parse(Self.image, into: &taking)
    }
    #expect(taking.names == general.names)
    #expect(taking.taken > 1_000)
    #expect(taking.badRecords == 0)
  }

  @Test(arguments: ["drop:*", "k:*", "drop:1*", "k:1234567890123*"])
  func aPrefixFilterWritesWhatTheGeneralEventsWrite(pattern: String) throws {
    var excluding = KeySelection()
    excluding.excludedGlobs = [GlobPattern(pattern)]
    var keeping = KeySelection()
    keeping.glob = GlobPattern(pattern)
    var both = KeySelection()
    both.glob = GlobPattern("*:*")
    both.excludedGlobs = [GlobPattern(pattern)]
    for selection in [excluding, keeping, both] {
      var general = selection
      general.excludedRegexes = [try Regex("^matches nothing$")]
      let events = try PlainStringRunTests.rewrite(
        general, target: nil, chunked: false, image: Self.image)
      for chunked in [false, true] {
        let runs = try PlainStringRunTests.rewrite(
          selection, target: nil, chunked: chunked, image: Self.image)
        #expect(runs.bytes == events.bytes, "\(pattern), chunked \(chunked)")
        #expect(runs.writer.keysWritten == events.writer.keysWritten)
      }
    }
  }
}
