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
    if unsafe ByteText.isPlain(bytes) { return unsafe appendQuoted(bytes, to: output) }
    unsafe ByteText.escaped(bytes).withUnsafeBytes { unsafe appendQuoted($0, to: output) }
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
