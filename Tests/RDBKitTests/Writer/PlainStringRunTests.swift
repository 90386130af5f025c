import Testing

@testable import RDBKit

/// Plain string records handed over in runs (``RDBHandler/plainStrings(_:database:)``): the
/// parser hands each over once, in order, the ones a handler does not take going the general
/// way, and a writer that copies them in runs writes the bytes the general events write,
/// whatever the filter, from a file in memory or a stream read in small pieces.
@Suite struct PlainStringRunTests {
  /// An RDB 10 file mixing plain string records with every kind of record next to them that
  /// is not one, or that a writer does not copy as it is.
  static let image: [UInt8] = {
    var image = RDBImageBuilder(version: 10)
    image.aux("redis-ver", "7.0.15")
    image.byte(0xFE)
    image.length(0)
    image.key(type: 0, "")
    image.string("empty name")
    for index in 0..<6_000 {
      image.key(type: 0, "k:\(index)")
      if index % 3 == 0 {
        image.raw([0xC0, UInt8(index % 200)])
      } else if index % 3 == 1 {
        image.raw([0xC2] + RDBImageBuilder.littleEndian(UInt32(index)))
      } else {
        image.string("value \(index)")
      }
      switch index % 500 {
      case 7:
        image.key(type: 0, "123")  // an integer's text: the writer stores it as one
        image.string("int name")
      case 8:
        image.key(type: 0, "-5")
        image.string("negative")
      case 9:
        image.key(type: 0, "123456789012")  // 12 digits: written as it is
        image.string("long digits")
      case 10:
        image.key(type: 0, String(repeating: "a", count: 30))  // compressible name
        image.string("long name")
      case 11:
        image.byte(0xFC)  // an expiry in ms
        image.littleEndian(Int64(1_900_000_000_000))
        image.key(type: 0, "k:expiring:\(index)")
        image.string("soon")
      case 12:
        image.key(type: 0, "k:long-value:\(index)")
        image.string(String(repeating: "x", count: 100))  // a 14-bit length
      case 13:
        image.key(type: 1, "k:list:\(index)")  // a plain list
        image.length(2)
        image.string("a")
        image.string("b")
      case 14:
        image.byte(0xF8)  // IDLE
        image.length(10)
        image.key(type: 0, "k:idle:\(index)")
        image.string("idle")
      case 15:
        image.key(type: 0, String(repeating: "n", count: 70))  // a 14-bit name length
        image.string("long name")
      case 16:
        image.key(type: 0, "k:lzf:\(index)")
        image.raw([0xC3, 0x04, 0x03, 0x02] + Array("abc".utf8))  // LZF: one literal run
      case 17:
        image.key(type: 0, "k:int16:\(index)")
        image.raw([0xC1] + RDBImageBuilder.littleEndian(UInt16(index)))
      default:
        break
      }
    }
    image.byte(0xFE)
    image.length(2)
    for index in 0..<300 {
      image.key(type: 0, "k:db2:\(index)")
      image.string("v")
    }
    return image.finished()
  }()

  /// Selections judged per plain record, each also with an excluded regular expression that
  /// matches nothing, which sends every record the general way.
  static let selections: [(String, KeySelection)] = {
    var all: [(String, KeySelection)] = [("everything", KeySelection())]
    var excluded = KeySelection()
    excluded.excludedGlobs = [GlobPattern("nomatch:*")]
    all.append(("--exclude-match nomatch:*", excluded))
    var prefix = KeySelection()
    prefix.glob = GlobPattern("k:1*")
    all.append(("--match k:1*", prefix))
    var general = KeySelection()
    general.glob = GlobPattern("k:?2*")
    all.append(("--match k:?2*", general))
    // One glob of each kind that is a short prefix: tested as two words (GlobPrefix).
    var prefixes = KeySelection()
    prefixes.glob = GlobPattern("k:*")
    prefixes.excludedGlobs = [GlobPattern("k:12*")]
    all.append(("--match k:* --exclude-match k:12*", prefixes))
    var sixteen = KeySelection()
    sixteen.excludedGlobs = [GlobPattern(String(repeating: "a", count: 16) + "*")]  // 16 bytes
    all.append(("--exclude-match a{16}*", sixteen))
    var exact = KeySelection()
    exact.glob = GlobPattern("k:100*")  // "k:100" itself too
    all.append(("--match k:100*", exact))
    var longer = KeySelection()
    longer.excludedGlobs = [GlobPattern("k:1234567890123*")]  // longer than every k:N
    all.append(("--exclude-match k:1234567890123*", longer))
    var databases = KeySelection()
    databases.databases = [2]
    all.append(("--db 2", databases))
    var expired = KeySelection()
    expired.expiry = .expired
    all.append(("--expiry expired", expired))
    var live = KeySelection()
    live.expiry = .live
    all.append(("--expiry live", live))
    var lists = KeySelection()
    lists.types = [.list]
    all.append(("--type list", lists))
    var strings = KeySelection()
    strings.types = [.string]
    strings.excludedGlobs = [GlobPattern("k:2*"), GlobPattern("k:db2:1*")]
    all.append(("--type string, two exclusions", strings))
    return all
  }()

  @Test(arguments: 0..<selections.count)
  func runsWriteWhatTheGeneralEventsWrite(selectionIndex: Int) throws {
    let (name, selection) = Self.selections[selectionIndex]
    var general = selection
    general.excludedRegexes = [try Regex("^matches nothing$")]
    for target in [nil, TargetEngine.named("redis-6.2")] {
      let runs = try Self.rewrite(selection, target: target, chunked: false)
      let events = try Self.rewrite(general, target: target, chunked: false)
      #expect(runs.bytes == events.bytes, "\(name), target \(target?.name ?? "none")")
      #expect(runs.writer.keysWritten == events.writer.keysWritten)
      let streamed = try Self.rewrite(selection, target: target, chunked: true)
      #expect(streamed.bytes == events.bytes, "\(name) from a stream")
    }
  }

  @Test func aNameFilterKeepsWhatItsGlobsSay() throws {
    var selection = KeySelection()
    selection.glob = GlobPattern("k:1*")
    let kept = try Self.rewrite(selection, target: nil, chunked: false)
    var names = NameLog()
    try RDBParser().parse(kept.bytes, into: &names)
    #expect(!names.names.isEmpty)
    #expect(names.names.allSatisfy { $0.hasPrefix("k:1") })
    #expect(names.names.count == kept.writer.keysWritten)
  }

  /// A handler that takes part of each run and leaves the rest (offered again, or read the
  /// general way) sees every key once, in file order, with each record's bytes as in the
  /// file.
  @Test(arguments: [false, true])
  func everyKeyComesOnceInOrder(chunked: Bool) throws {
    var general = NameLog()
    try RDBParser().parse(Self.image, into: &general)
    var taking = NameLog(takesEvery: 3)
    if chunked {
      try RDBParser().parse(input: ChunkedInput(Self.image, seed: 7), into: &taking)
    } else {
      try RDBParser().parse(Self.image, into: &taking)
    }
    #expect(taking.names == general.names)
    #expect(taking.taken > 1_000)
    #expect(taking.runs > 10)
    #expect(taking.badRecords == 0)
  }

  @Test func aPrefixGlobMatchesAsTheGeneralMatchDoes() {
    let keys = ["", "a", "ab", "abc", "abx", "xab", "a*", "k:1", "nomatch:"]
    let cases: [(String, Set<String>)] = [
      ("*", Set(keys)), ("**", Set(keys)), ("ab*", ["ab", "abc", "abx"]),
      ("ab**", ["ab", "abc", "abx"]), ("a*", ["a", "ab", "abc", "abx", "a*"]),
      ("nomatch:*", ["nomatch:"]), ("a\\*", ["a*"]), ("ab", ["ab"]), ("", [""]),
      ("a*c", ["abc"]), ("?b*", ["ab", "abc", "abx"]),
    ]
    for (pattern, expected) in cases {
      let glob = GlobPattern(pattern)
      #expect(Set(keys.filter { glob.matches(Array($0.utf8)) }) == expected, "\(pattern)")
    }
  }

  /// A short prefix's two-word test (``GlobPrefix``) says what the glob's match says, for
  /// names shorter than the prefix, as long and longer, whatever bytes follow the name.
  @Test func aPrefixsWordsMatchAsItsGlobDoes() {
    let names = [
      "", "a", "ab", "abc", "abx", "xab", "k:1", "nomatch:", "nomatch:x", "0123456789abcde",
      "0123456789abcdef", "0123456789abcdeg", "0123456789abcdefX",
    ]
    let patterns = ["*", "a*", "ab*", "ab**", "nomatch:*", "0123456789abcde*", "0123456789abcdef*"]
    for pattern in patterns {
      let glob = GlobPattern(pattern)
      guard let prefix = glob.shortPrefix else {
        Issue.record("\(pattern) is not a short prefix")
        continue
      }
      for name in names {
        for filler: UInt8 in [0, 0xFF, UInt8(ascii: "b")] {
          let bytes = Array(name.utf8) + Array(repeating: filler, count: 16)
          let words = unsafe bytes.withUnsafeBytes { bytes in
            unsafe prefix.matches(bytes.baseAddress!, count: name.utf8.count)
          }
          #expect(words == glob.matches(Array(name.utf8)), "\(pattern) against \(name)")
        }
      }
    }
    #expect(GlobPattern("a?*").shortPrefix == nil)
    #expect(GlobPattern("ab").shortPrefix == nil)
  }

  /// `image` (``image`` by default) rewritten through a filter for `selection`.
  static func rewrite(
    _ selection: KeySelection, target: TargetEngine?, chunked: Bool, image: [UInt8] = image
  ) throws -> WriterOutput.Result {
    var options = RDBWriter.Options(target: target)
    options.writesSizeHints = selection.keepsEverything
    return try WriterOutput.write(options) { writer in
      var filter = KeyFilter(DatasetMerger(writer), selection: selection)
      if chunked {
        try RDBParser().parse(input: ChunkedInput(image, seed: 11), into: &filter)
      } else {
        try RDBParser().parse(image, into: &filter)
      }
      writer = filter.next.next
    }
  }
}

/// Logs key names in order; with `takesEvery`, takes all but the last of every that many
/// runs' records (and checks their bytes), none of the others', which then go the general way.
struct NameLog: RDBHandler {
  static var needsStringValues: Bool { false }
  static var takesPlainStrings: Bool { true }

  var takesEvery = 0
  var names: [String] = []
  var taken = 0
  var runs = 0
  var badRecords = 0

  init(takesEvery: Int = 0) { self.takesEvery = takesEvery }

  mutating func beginKey(_ key: RawSpan, info: KeyInfo) throws(RDBError) -> KeyDecision {
    names.append(unsafe key.withUnsafeBytes { unsafe String(decoding: $0, as: UTF8.self) })
    return .skip
  }

  mutating func plainStrings(_ run: PlainStringRun, database: Int) throws(RDBError) -> Int {
    runs += 1
    guard takesEvery > 0, runs % takesEvery != 0 else { return 0 }
    let bytes = unsafe [UInt8](run.bytes)
    let taking = max(1, run.count - 1)
    var offset = 0
    for index in 0..<run.count {
      let nameLength = Int(bytes[offset + 1])
      let name = Array(bytes[offset + 2..<offset + 2 + nameLength])
      let value = bytes[offset + 2 + nameLength]
      let offered = unsafe [UInt8](run.name(index))
      if bytes[offset] != 0 || nameLength >= 0x40 || offered != name {
        badRecords += 1
      }
      if index < taking { names.append(String(decoding: name, as: UTF8.self)) }
      offset += 3 + nameLength + (value < 0x40 ? Int(value) : 1 << Int(value - 0xC0))
    }
    if offset != bytes.count || run.byteCount(ofFirst: run.count) != bytes.count {
      badRecords += 1
    }
    taken += taking
    return taking
  }
}
