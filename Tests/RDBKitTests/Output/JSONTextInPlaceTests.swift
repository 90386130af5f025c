import Testing

@testable import RDBKit

/// A value that is not plain ASCII stored in one reservation
/// (``JSONText/storeValue(notPlain:style:at:)``) against the general forms it stands in for,
/// which still write the longer values: escaped UTF-8 or a base64 object, the lossless text
/// form, a base64 string. Every length from 0 to 70 and around the longest stored so, with
/// each byte that needs an escape, UTF-8 beyond ASCII, cut short or not UTF-8 at all.
@Suite struct JSONTextInPlaceTests {
  /// The values tried: random bytes, and each marked byte in the middle of plain text, at
  /// every length.
  static let values: [[UInt8]] = {
    var random = SeededBytes(state: 0x2545_F491_4F6C_DD1D)
    var values: [[UInt8]] = (0...255).map { [UInt8($0)] }
    for length in Array(0...70) + [1023, 1024, 1025] {
      let plain = Array(repeating: UInt8(ascii: "a"), count: length)
      values.append(random.next(length))
      guard length > 0 else { continue }
      for byte: UInt8 in [0x22, 0x5C, 0x0A, 0x0D, 0x09, 0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xED, 0xFF] {
        var value = plain
        value[length / 2] = byte
        values.append(value)
        value[length - 1] = byte
        values.append(value)
      }
      let mixed = Array("é☕\\x\u{7F}\"\u{10FFFF}\n".utf8)
      values.append(Array((mixed + plain).prefix(length)))
      values.append(Array((plain + mixed).suffix(length)))
    }
    return values
  }()

  /// What the general forms append of `bytes` in `style`.
  static func general(_ bytes: UnsafeRawBufferPointer, style: ByteStringStyle) -> [UInt8] {
    let output = OutputBuffer()
    switch style {
    case .utf8:
      if JSONText.isValidUTF8(bytes) {
        JSONText.appendEscaped(bytes, to: output)
      } else {
        JSONText.appendBase64Object(bytes, to: output)
      }
    case .text:
      ByteText.escaped(bytes).withUnsafeBytes { JSONText.appendEscaped($0, to: output) }
    case .base64:
      output.append(UInt8(ascii: "\""))
      JSONText.appendBase64(bytes, to: output)
      output.append(UInt8(ascii: "\""))
    }
    return output.bytes(in: 0..<output.count)
  }

  /// The stored value is the general form, byte for byte, and stays within the room it was
  /// given: the bytes after it are untouched.
  @Test(arguments: ByteStringStyle.allCases) func storedValuesMatchTheGeneralForms(
    style: ByteStringStyle
  ) {
    for value in Self.values {
      value.withUnsafeBytes { bytes in
        let room = JSONText.mostStoredBytes(notPlain: bytes.count)
        var buffer = [UInt8](repeating: 0xAA, count: room + 16)
        let length = buffer.withUnsafeMutableBytes {
          JSONText.storeValue(notPlain: bytes, style: style, at: $0.baseAddress!)
        }
        let expected = Self.general(bytes, style: style)
        #expect(Array(buffer.prefix(length)) == expected, "\(style) \(value)")
        #expect(buffer.suffix(16) == Array(repeating: 0xAA, count: 16))
        let output = OutputBuffer()
        JSONText.appendValue(notPlain: bytes, style: style, to: output)
        #expect(output.bytes(in: 0..<output.count) == expected)
      }
    }
  }
}
