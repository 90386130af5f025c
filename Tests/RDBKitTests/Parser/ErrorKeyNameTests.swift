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
}
