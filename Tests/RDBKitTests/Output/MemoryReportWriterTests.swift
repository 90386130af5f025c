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
}
