import Testing

@testable import RDBKit

/// `rdbtool memory` CSV rows: how each kind of key name is written (the text form of
/// `ByteText`: a backslash doubled, bytes that are not UTF-8 as `\xHH`; RFC 4180 quoting,
/// also around control bytes).
@Suite struct MemoryReportWriterTests {
  @Test(arguments: [
    (Array("user:42".utf8), "user:42"),
    (Array("a,b".utf8), "\"a,b\""),
    (Array("say \"hi\"".utf8), "\"say \"\"hi\"\"\""),
    (Array("line\nbreak".utf8), "\"line\nbreak\""),
    (Array("back\\slash".utf8), "back\\\\slash"),
    (Array("héllo".utf8), "héllo"),
    ([0xFF, 0x00, 0x41, 0x5C], "\"\\xff\u{0}A\\\\\""),
    (Array("\\xff".utf8), "\\\\xff"),
    ([0xFE, 0x2C], "\"\\xfe,\""),
  ])
  func keyNames(_ key: [UInt8], _ written: String) throws {
    let output = OutputBuffer()
    var writer = MemoryReportWriter(output: output, format: .csv)
    try writer.consume(
      KeyMemoryReport(
        database: 3, key: key, type: .string, encoding: .raw, sizeInBytes: 56, elementCount: 5,
        largestElementLength: 5, expiresAt: nil))
    let text = String(decoding: output.bytes(in: 0..<output.count), as: UTF8.self)
    let header = "database,type,key,size_in_bytes,encoding,num_elements,len_largest_element,expiry"
    #expect(text == "\(header)\n3,string,\(written),56,raw,5,5,\n")
  }

  /// Rows written in one piece (small keys: 4 to 32 plain bytes, figures below 1000, a
  /// four-digit year) against rows assembled from the general writers of each column: names
  /// of every length 0–40 and of every kind of byte, figures around the table's edges,
  /// databases of one digit and more, every type and encoding, expiries in and out of the
  /// years 0–9999.
  @Test(arguments: MemoryReportWriter.Format.allCases)
  func rowsWrittenInOnePieceMatchTheGeneralForm(format: MemoryReportWriter.Format) throws {
    let figures = [0, 1, 9, 10, 99, 100, 999, 1000, 1001, 65_536, 123_456_789, -1]
    let expiries: [Int64?] = [
      nil, 0, 4_102_444_800_000, 1_733_356_800_123, -1, 253_402_300_799_999,
      -62_167_219_200_000, 253_402_300_800_000, -62_167_219_200_001,
    ]
    var reports: [KeyMemoryReport] = []
    for length in 0...40 {
      for filler in [UInt8(ascii: "k"), 0x2C, 0x22, 0x5C, 0x0A, 0x7F, 0xC3, 0x20, 0x7E] {
        // The odd byte first, last or nowhere.
        for position in [0, length - 1, -1] {
          var key = (0..<length).map { UInt8(ascii: "a") &+ UInt8($0 % 26) }
          if position >= 0, position < length { key[position] = filler }
          reports.append(
            KeyMemoryReport(
              database: length % 12, key: key, type: DataType.allCases[length % 7],
              encoding: Encoding.allCases[length % 13], sizeInBytes: figures[length % 12],
              elementCount: figures[(length + 5) % 12],
              largestElementLength: figures[(length + 7) % 12],
              expiresAt: expiries[length % 9], isVectorSet: length == 13))
        }
      }
    }
    for (index, figure) in figures.enumerated() {
      reports.append(
        KeyMemoryReport(
          database: [0, 9, 10, 4096, 2_147_483_647][index % 5], key: Array("user:1234".utf8),
          type: .hash, encoding: .listpackex, sizeInBytes: figure, elementCount: figure,
          largestElementLength: figure, expiresAt: expiries[index % 9]))
    }
    for style in [ByteStringStyle.utf8, .text, .base64] where format == .jsonl || style != .utf8 {
      let output = OutputBuffer()
      var writer = MemoryReportWriter(output: output, format: format, style: style)
      let expected = OutputBuffer()
      if format == .csv {
        expected.append(
          "database,type,key,size_in_bytes,encoding,num_elements,len_largest_element,expiry\n")
      }
      for report in reports {
        try writer.consume(report)
        let date = report.expiresAt.map { CalendarDate.iso8601(milliseconds: $0) } ?? ""
        switch format {
        case .csv:
          expected.append("\(report.database),\(report.typeName),")
          unsafe report.withKeyBytes {
            unsafe CSVField.append($0, base64: style == .base64, to: expected)
          }
          expected.append(
            ",\(report.sizeInBytes),\(report.encoding.rawValue),\(report.elementCount),"
              + "\(report.largestElementLength),\(date)\n")
        case .jsonl:
          expected.append("{\"db\":\(report.database),\"key\":")
          unsafe report.withKeyBytes { unsafe JSONText.appendValue($0, style: style, to: expected) }
          expected.append(
            ",\"type\":\"\(report.typeName)\",\"size_in_bytes\":\(report.sizeInBytes),"
              + "\"encoding\":\"\(report.encoding.rawValue)\",\"num_elements\":"
              + "\(report.elementCount),\"len_largest_element\":\(report.largestElementLength),"
              + "\"expire_ms\":\(report.expiresAt.map { String($0) } ?? "null")}\n")
        }
      }
      let written = String(decoding: output.bytes(in: 0..<output.count), as: UTF8.self)
      let general = String(decoding: expected.bytes(in: 0..<expected.count), as: UTF8.self)
      #expect(written == general, "\(format) \(style)")
    }
  }
}
