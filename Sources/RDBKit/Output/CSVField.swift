/// The CSV fields of every CSV rdbtool writes (`dump --format csv`, `memory`): one field
/// holds a byte string in ``ByteText``'s lossless text form (or base64), quoted as RFC 4180
/// says.
///
/// A field is quoted when it holds a comma, a double quote, CR, LF or any other control byte
/// (RFC 4180 allows quoting any field; quoting the rest of C0 keeps readers that split lines
/// early on the safe side), and a quote inside is doubled. The text form makes every field
/// valid UTF-8, which CSV readers such as DuckDB's `read_csv` require.
enum CSVField {
  /// Appends `bytes` as one field: its text form, or base64 when `base64` is set.
  static func append(_ bytes: UnsafeRawBufferPointer, base64: Bool, to output: OutputBuffer) {
    if base64 { return unsafe JSONText.appendBase64(bytes, to: output) }
    if unsafe isPlainASCII(bytes) { return unsafe output.append(bytes) }
    if unsafe ByteText.isPlain(bytes) { return unsafe appendQuoted(bytes, to: output) }
    unsafe ByteText.escaped(bytes).withUnsafeBytes { unsafe appendQuoted($0, to: output) }
  }

  /// Whether `bytes` is printable ASCII without a comma, a quote or a backslash: its own text
  /// form, written unquoted (most key names). Eight bytes at a time.
  @inline(__always)
  @unsafe private static func isPlainASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
    let count = bytes.count
    var index = 0
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    while index &+ 8 <= count {
      let word = unsafe bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
      // Bytes of 0x80 and more, below 0x20 (control, `"`, `\`: needsEscape), a comma, DEL.
      let comma = word ^ (ones &* 0x2C)
      let delete = word ^ (ones &* 0x7F)
      let zeroByte = ((comma &- ones) & ~comma | (delete &- ones) & ~delete) & highs
      if word & highs != 0 || zeroByte != 0 || JSONText.needsEscape(word) { return false }
      index &+= 8
    }
    while index < count {
      let byte = unsafe bytes[index]
      if byte < 0x20 || byte >= 0x7F || byte == 44 || byte == 34 || byte == 92 { return false }
      index &+= 1
    }
    return true
  }

  /// Appends `text`, quoted when it needs to be.
  @unsafe private static func appendQuoted(_ text: UnsafeRawBufferPointer, to output: OutputBuffer)
  {
    let needsQuotes = unsafe text.contains { $0 < 0x20 || $0 == 0x7F || $0 == 44 || $0 == 34 }
    guard needsQuotes else { return unsafe output.append(text) }
    output.append(UInt8(ascii: "\""))
    for index in 0..<text.count {
      let byte = unsafe text[index]
      if byte == UInt8(ascii: "\"") { output.append(UInt8(ascii: "\"")) }
      output.append(byte)
    }
    output.append(UInt8(ascii: "\""))
  }
}
