import RDBKit
import Testing

/// Scores stored as text in a listpack sorted set (type 17) read back as exactly the double
/// the text names: the short-decimal fast path and `strtod` agree with Swift's correctly
/// rounded `Double(_: String)` on every value, bit for bit.
@Suite struct TextScoreTests {
  @Test func randomDecimalsReadExactly() throws {
    var random = SplitMix64(seed: 0x5C0_4E5)
    var texts: [String] = []
    for index in 0..<3000 {
      let digits = 1 + random.below(19)
      var mantissa = ""
      for position in 0..<digits {
        mantissa.append(String(position == 0 ? 1 + random.below(9) : random.below(10)))
      }
      let decimals = random.below(min(digits, 23))
      var text = mantissa
      if decimals > 0 { text.insert(".", at: text.index(text.endIndex, offsetBy: -decimals)) }
      if text.hasPrefix(".") { text = "0" + text }
      if index % 3 == 0 { text = "-" + text }
      texts.append(text)
    }
    texts += [
      "0.1", "0.3333333333333333", "9007199254740993", "123456789012345678", "1e300", "5e-324",
    ]
    var elements: [ListpackElement] = []
    for (index, text) in texts.enumerated() {
      elements.append(.string(Array("m\(index)".utf8)))
      elements.append(.string(Array(text.utf8)))
    }
    var image = RDBImageBuilder(version: 11)
    image.key(type: 17, "z")
    image.string(listpack(elements, count: 0xFFFF))
    var collector = RecordCollector()
    try RDBParser().parse(image.finished(), into: &collector)
    let scores = try #require(collector.keys.first?.scores)
    #expect(scores.count == texts.count)
    for (score, text) in zip(scores, texts) {
      let expected = try #require(Double(text))
      #expect(score.1.bitPattern == expected.bitPattern, "\(text)")
    }
  }

  /// The `verify` path checks listpack scores without converting plain decimals; it must
  /// warn about exactly the texts the converting path warns about (a score that is not a
  /// number, which a server loads as `strtod` reads it).
  @Test(arguments: [
    ("1", true), ("-1.5", true), ("+2", true), (".5", true), ("5.", true), ("1e10", true),
    ("1E-5", true), ("1e+300", true), ("1e400", true), ("-1e-400", true), ("0.1e1", true),
    ("inf", true), ("-inf", true), ("Infinity", true), ("0x1p3", true),
    ("", false), ("-", false), (".", false), ("e5", false), ("1e", false), ("1e+", false),
    ("1.2.3", false), ("1..2", false), ("--1", false), ("1-", false), (" 5", false),
    ("5 ", false), ("nan", false), ("NaN", false), ("-nan", false), ("1_000", false),
    ("1" + String(repeating: "0", count: 254), true),
    ("1" + String(repeating: "0", count: 255), false),
  ])
  func verifyAcceptsExactlyTheScoresDumpDoes(_ text: String, _ valid: Bool) throws {
    var image = RDBImageBuilder(version: 11)
    image.key(type: 17, "z")
    image.string(listpack([.string(utf8("m")), .string(Array(text.utf8))]))
    let bytes = image.finished()
    var collector = RecordCollector()
    let collected = try RDBParser().parse(bytes, into: &collector)
    var counter = KeyCountAnalyzer()
    let counted = try RDBParser().parse(bytes, into: &counter)
    #expect(collected.warnings.isEmpty == valid, "\(collected.warnings)")
    #expect(counted.warnings.map(\.description) == collected.warnings.map(\.description))
  }
}
