import Testing

@testable import RDBKit

/// Key names in error messages stay on one readable line, whatever bytes the file held.
@Suite struct ErrorKeyNameTests {
  @Test func plainNamesAreShownAsTheyAre() {
    let error = RDBError(.invalidValue("bad"), at: 7, key: "user:42 ✓")
    #expect(error.description == "byte 7: bad (key \"user:42 ✓\")")
  }

  @Test func controlCharactersQuotesAndBackslashesAreEscaped() {
    let error = RDBError(.invalidValue("bad"), at: 0, key: "a\nb\u{0}c\"d\\e\u{7F}")
    #expect(error.description == #"byte 0: bad (key "a\x0ab\x00c\"d\\e\x7f")"#)
  }

  @Test func longNamesAreCutWithTheirLength() {
    let name = String(repeating: "k", count: 5000)
    let text = RDBError(.invalidValue("bad"), at: 0, key: name).description
    #expect(
      text.hasSuffix("\(String(repeating: "k", count: RDBError.keyNameLimit))… (5000 bytes)\")"))
    #expect(text.count < 200)
  }

  /// The form rdbtool prints after an input's name (verify, info, the other commands' skipped
  /// inputs) shows the key the same way, for errors and for warnings.
  @Test func theLocatedFormEscapesAndCutsToo() {
    let error = RDBError(.invalidValue("bad"), at: 3, key: "a\nb\"c")
    #expect(error.located == #"bad at byte 3 (key "a\x0ab\"c")"#)
    let long = RDBError(.invalidValue("bad"), at: 0, key: String(repeating: "k", count: 5000))
    #expect(long.located.count < 200)
    let warning = RDBWarning(.streamLength(stored: 3, live: 2), at: 5, key: "s\u{1}")
    #expect(warning.located.hasSuffix(#" at byte 5 (key "s\x01")"#))
    let empty = RDBWarning(.emptyKeys(count: 2), at: 9, key: "x\ty")
    #expect(empty.located.contains(#"key "x\x09y""#))
  }
}
