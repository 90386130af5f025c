import Foundation
import Testing

@testable import RDBKit

/// A stream node stores a value that reads as an integer as one, and the parser reports it by
/// ``RDBHandler/streamField(_:integer:)``: JSON lines writes its digits straight into the
/// output, any other handler gets its text from the default. Both must give back what
/// `XRANGE` returns, in every style, beside names that repeat, are not UTF-8 or need escapes,
/// and entries that use the master fields or their own.
@Suite(.serialized) struct StreamIntegerValueTests {
  static let entries: [[[UInt8]]] = [
    [
      utf8("1-1"), utf8("n"), utf8("12"), utf8("m"), utf8("-5"), utf8("big"),
      utf8("9223372036854775807"),
    ],
    [
      utf8("1-2"), utf8("n"), utf8("-9223372036854775808"), utf8("m"), utf8("007"),
      utf8("big"), utf8("0"),
    ],
    [utf8("2-1"), utf8("7"), utf8("1"), utf8("7"), utf8("2")],
    [utf8("2-2"), [0xFF], utf8("42"), utf8("x"), utf8("4294967296")],
    [
      utf8("300000000000000-9"), utf8("q\"\\"), utf8("-1"), utf8("a long field name, past 8"),
      utf8("123456789012345678"),
    ],
  ]

  @Test func jsonLinesWriteWhatTheServerServes() throws {
    let (image, served) = try RepeatedStreamFieldTests.savedStream(Self.entries)
    for style in ByteStringStyle.allCases {
      let output = OutputBuffer()
      var writer = JSONLinesWriter(output: output, style: style)
      try RDBParser().parse(image, into: &writer)
      let line = output.bytes(in: 0..<output.count)
      let record = try #require(
        try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
      let value = try #require(record["value"] as? [String: Any])
      let written = try #require(value["entries"] as? [[String: Any]])
      try RepeatedStreamFieldTests.expectSame(written, served) {
        try JSONLinesWriterTests.bytes($0, style)
      }
    }
  }

  /// The default of ``RDBHandler/streamField(_:integer:)`` hands the value's decimal text to
  /// ``RDBHandler/streamField(_:value:)``.
  @Test func theDefaultPassesTheText() throws {
    struct Fields: RDBHandler {
      var values: [[UInt8]] = []
      mutating func streamField(_ field: RawSpan, value: RawSpan) throws(RDBError) {
        values.append(unsafe value.withUnsafeBytes { Array($0) })
      }
    }
    let (image, served) = try RepeatedStreamFieldTests.savedStream(Self.entries)
    var handler = Fields()
    try RDBParser().parse(image, into: &handler)
    #expect(handler.values == served.flatMap { $0.1.map(\.1) })
  }
}
