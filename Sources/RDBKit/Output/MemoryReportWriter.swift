/// Writes ``KeyMemoryReport``s as CSV rows or JSON lines: the output of `rdbtool memory`.
///
/// CSV has redis-rdb-tools' columns,
/// `database,type,key,size_in_bytes,encoding,num_elements,len_largest_element,expiry`: the key
/// is quoted when it holds a comma, a quote or a line break (quotes doubled), and a key that
/// is not valid UTF-8 is written with `\xHH` escapes for the bytes that make it so (and `\\`
/// for a backslash); `expiry` is ISO-8601 UTC with milliseconds, or empty. JSON lines carry
/// the same fields, the key as in `rdbtool dump` (a string when valid UTF-8, else
/// `{"base64":"…"}`) and `expiry` as Unix milliseconds or null.
///
/// The writer owns no descriptor: the caller keeps it open until ``finish()``.
public struct MemoryReportWriter: KeyMemoryConsumer {
  /// The output format.
  public enum Format: String, Sendable, CaseIterable {
    /// Comma-separated values with a header row.
    case csv
    /// One JSON object per line.
    case jsonl
  }

  private let output: OutputBuffer
  private let format: Format

  /// Writes to `output` in `format`; CSV starts with its header row.
  public init(output: OutputBuffer, format: Format) {
    self.output = output
    self.format = format
    if format == .csv {
      self.output.append(
        "database,type,key,size_in_bytes,encoding,num_elements,len_largest_element,expiry\n")
    }
  }

  /// Writes one report.
  public mutating func consume(_ report: KeyMemoryReport) throws(RDBError) {
    switch format {
    case .csv: appendCSV(report)
    case .jsonl: appendJSON(report)
    }
    try output.flushIfFull()
  }

  /// Writes what is still buffered.
  public mutating func finish() throws(RDBError) {
    try output.flush()
  }

  private mutating func appendCSV(_ report: KeyMemoryReport) {
    output.append(integer: Int64(report.database))
    output.append(UInt8(ascii: ","))
    output.append(report.type.rawValue)
    output.append(UInt8(ascii: ","))
    appendCSVKey(report.key)
    output.append(UInt8(ascii: ","))
    output.append(integer: Int64(report.sizeInBytes))
    output.append(UInt8(ascii: ","))
    output.append(report.encoding.rawValue)
    output.append(UInt8(ascii: ","))
    output.append(integer: Int64(report.elementCount))
    output.append(UInt8(ascii: ","))
    output.append(integer: Int64(report.largestElementLength))
    output.append(UInt8(ascii: ","))
    if let expiresAt = report.expiresAt {
      output.append(CalendarDate.iso8601(milliseconds: expiresAt))
    }
    output.append(UInt8(ascii: "\n"))
  }

  private mutating func appendCSVKey(_ key: [UInt8]) {
    let isText = unsafe key.withUnsafeBytes { unsafe JSONText.isValidUTF8($0) }
    let needsQuotes = key.contains {
      $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D
    }
    // Most names are plain text: copied as they are.
    if isText, !needsQuotes { return output.append(contentsOf: key) }
    if needsQuotes { output.append(UInt8(ascii: "\"")) }
    for byte in key {
      if byte == UInt8(ascii: "\"") {
        output.append("\"\"")
      } else if !isText, byte >= 0x80 || byte < 0x20 || byte == UInt8(ascii: "\\") {
        if byte == UInt8(ascii: "\\") {
          output.append("\\\\")
        } else {
          output.append("\\x")
          output.append(Self.hexDigits[Int(byte >> 4)])
          output.append(Self.hexDigits[Int(byte & 15)])
        }
      } else {
        output.append(byte)
      }
    }
    if needsQuotes { output.append(UInt8(ascii: "\"")) }
  }

  private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

  private mutating func appendJSON(_ report: KeyMemoryReport) {
    output.append("{\"database\":")
    output.append(integer: Int64(report.database))
    output.append(",\"type\":\"")
    output.append(report.type.rawValue)
    output.append("\",\"key\":")
    unsafe report.key.withUnsafeBytes { unsafe JSONText.appendValue($0, style: .utf8, to: output) }
    output.append(",\"size_in_bytes\":")
    output.append(integer: Int64(report.sizeInBytes))
    output.append(",\"encoding\":\"")
    output.append(report.encoding.rawValue)
    output.append("\",\"num_elements\":")
    output.append(integer: Int64(report.elementCount))
    output.append(",\"len_largest_element\":")
    output.append(integer: Int64(report.largestElementLength))
    output.append(",\"expiry\":")
    JSONText.appendInteger(report.expiresAt, to: output)
    output.append("}\n")
  }
}
