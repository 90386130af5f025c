/// Writes ``KeyMemoryReport``s as CSV rows or JSON lines: the output of `rdbtool memory`.
///
/// CSV has redis-rdb-tools' columns,
/// `database,type,key,size_in_bytes,encoding,num_elements,len_largest_element,expiry`, the key
/// written by ``CSVField`` (the lossless text form of ``ByteText``, RFC 4180 quoting) and
/// `expiry` as ISO-8601 UTC with milliseconds, or empty. JSON lines carry the same figures
/// under the names `rdbtool dump` gives them: `db`, `key` (in the ``ByteStringStyle``),
/// `type`, `encoding`, `size_in_bytes`, `num_elements`, `len_largest_element` and `expire_ms`
/// (Unix milliseconds or null). With a ``file`` set, rows end with a `file` column (a `file`
/// field): the input they came from, for reports over several shards.
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
  private let style: ByteStringStyle
  /// The input the next reports come from, written in a last `file` column; nil for none.
  public var file: String? {
    didSet { fileBytes = file.map { Array($0.utf8) } ?? [] }
  }
  private var fileBytes: [UInt8] = []
  /// The texts rows are assembled from (``RowText``).
  private let rowText = RowText()
  /// Whether a small key's row may be written in one piece (``appendSmallCSVRow(_:key:)``,
  /// ``appendSmallJSONRow(_:)``): no `file` column, and in CSV names not in base64.
  private var writesSmallRows: Bool { file == nil && (format == .jsonl || style != .base64) }

  /// Writes to `output` in `format`, byte strings in `style` (in CSV, ``ByteStringStyle/utf8``
  /// is taken as text). CSV starts with its header row, ending in `file` when `withFile`.
  public init(
    output: OutputBuffer, format: Format, style: ByteStringStyle = .utf8, withFile: Bool = false
  ) {
    self.output = output
    self.format = format
    self.style = style
    if format == .csv {
      self.output.append(
        "database,type,key,size_in_bytes,encoding,num_elements,len_largest_element,expiry")
      self.output.append(withFile ? ",file\n" : "\n")
    }
  }

  /// The largest element is written, but packed values need not be read element by element
  /// for it (``KeyMemoryConsumer/readsEveryPackedElement``): an estimate `--as-loaded` wraps
  /// the writer in ``ReadingPackedElements``.
  public static var readsEveryPackedElement: Bool { false }

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

  /// Appends a CSV row's database index: one digit for most, without the call a decimal
  /// takes.
  @inline(__always)
  private func appendDatabase(_ database: Int) {
    if database >= 0, database < 10 {
      output.append(UInt8(truncatingIfNeeded: 48 &+ database))
    } else {
      output.append(integer: Int64(database))
    }
  }

  /// Appends a size, count or length: a value below 1000 (the counts and lengths of most
  /// keys, the size of a small one) digit by digit, without the digit count and the table of
  /// powers of ten that ``OutputBuffer/append(integer:)`` looks up (an indirect jump per
  /// integer, three a row); anything else through it.
  @inline(__always)
  private func appendFigure(_ value: Int) {
    let magnitude = UInt(bitPattern: value)
    guard magnitude < 1000 else { return output.append(integer: Int64(value)) }
    let out = unsafe output.reserve(3)
    if magnitude < 10 {
      unsafe out.storeBytes(of: UInt8(truncatingIfNeeded: magnitude &+ 48), as: UInt8.self)
      output.advance(by: 1)
    } else if magnitude < 100 {
      let tens = magnitude / 10
      unsafe out.storeBytes(of: UInt8(truncatingIfNeeded: tens &+ 48), as: UInt8.self)
      unsafe out.storeBytes(
        of: UInt8(truncatingIfNeeded: magnitude &- tens &* 10 &+ 48), toByteOffset: 1,
        as: UInt8.self)
      output.advance(by: 2)
    } else {
      let hundreds = magnitude / 100
      let rest = magnitude &- hundreds &* 100
      let tens = rest / 10
      unsafe out.storeBytes(of: UInt8(truncatingIfNeeded: hundreds &+ 48), as: UInt8.self)
      unsafe out.storeBytes(
        of: UInt8(truncatingIfNeeded: tens &+ 48), toByteOffset: 1, as: UInt8.self)
      unsafe out.storeBytes(
        of: UInt8(truncatingIfNeeded: rest &- tens &* 10 &+ 48), toByteOffset: 2, as: UInt8.self)
      output.advance(by: 3)
    }
  }

  private mutating func appendCSV(_ report: KeyMemoryReport) {
    if writesSmallRows, unsafe report.withKeyBytes({ unsafe appendSmallCSVRow(report, key: $0) }) {
      return
    }
    appendDatabase(report.database)
    output.append(UInt8(ascii: ","))
    output.appendTypeName(of: report)
    output.append(UInt8(ascii: ","))
    unsafe report.withKeyBytes {
      unsafe CSVField.append($0, base64: style == .base64, to: output)
    }
    output.append(UInt8(ascii: ","))
    appendFigure(report.sizeInBytes)
    output.append(UInt8(ascii: ","))
    output.append(report.encoding)
    output.append(UInt8(ascii: ","))
    appendFigure(report.elementCount)
    output.append(UInt8(ascii: ","))
    appendFigure(report.largestElementLength)
    output.append(UInt8(ascii: ","))
    if let expiresAt = report.expiresAt {
      output.append(iso8601Milliseconds: expiresAt)
    }
    if file != nil {
      output.append(UInt8(ascii: ","))
      unsafe fileBytes.withUnsafeBytes { unsafe CSVField.append($0, base64: false, to: output) }
    }
    output.append(UInt8(ascii: "\n"))
  }

  private mutating func appendJSON(_ report: KeyMemoryReport) {
    output.appendRecordStart(database: report.database)
    unsafe report.withKeyBytes { unsafe JSONText.appendValue($0, style: style, to: output) }
    if writesSmallRows, !report.isVectorSet { return appendSmallJSONRow(report) }
    output.append(",\"type\":\"")
    output.appendTypeName(of: report)
    output.append(UInt8(ascii: "\""))
    output.append(",\"size_in_bytes\":")
    appendFigure(report.sizeInBytes)
    output.append(",\"encoding\":\"")
    output.append(report.encoding)
    output.append("\",\"num_elements\":")
    appendFigure(report.elementCount)
    output.append(",\"len_largest_element\":")
    appendFigure(report.largestElementLength)
    output.append(",\"expire_ms\":")
    JSONText.appendInteger(report.expiresAt, to: output)
    if file != nil {
      output.append(",\"file\":")
      unsafe fileBytes.withUnsafeBytes { unsafe JSONText.appendEscaped($0, to: output) }
    }
    output.append("}\n")
  }

  /// Writes the CSV row of a key named by 4 to 32 plain bytes (``copyPlainName(_:count:to:)``)
  /// whose expiry, if any, falls in the years 0–9999, in room reserved once, and returns true;
  /// returns false, having written nothing, for any other key (the general path writes it).
  @inline(__always)
  private func appendSmallCSVRow(_ report: KeyMemoryReport, key: UnsafeRawBufferPointer) -> Bool {
    let count = key.count
    guard count >= 4, count <= 32, let source = key.baseAddress, !report.isVectorSet else {
      return false
    }
    let table = unsafe UnsafeRawPointer(rowText.table)
    // The database (up to 21 bytes), the type (16 stored), the key and a comma, three
    // figures (21 each), the encoding (16) and the date (24) and the line's end.
    let out = unsafe output.reserve(192)
    var at: Int
    let database = report.database
    if UInt(bitPattern: database) < 10 {
      // The digit, then a comma (0x2C).
      unsafe out.storeBytes(
        of: UInt16(truncatingIfNeeded: 48 &+ database) | 0x2C00, as: UInt16.self)
      at = 2
    } else {
      at = unsafe DecimalText.write(Int64(database), to: out)
      unsafe out.storeBytes(of: UInt8(ascii: ","), toByteOffset: at, as: UInt8.self)
      at &+= 1
    }
    at &+= unsafe Self.writeName(
      at: rowText.typeOffset(DataTypeIndex.of(report.type)), of: table, to: out + at)
    guard unsafe Self.copyPlainName(source, count: count, to: out + at) else { return false }
    at &+= count
    unsafe out.storeBytes(of: UInt8(ascii: ","), toByteOffset: at, as: UInt8.self)
    at &+= 1
    at &+= unsafe Self.writeFigure(report.sizeInBytes, to: out + at, table: table)
    at &+= unsafe Self.writeName(
      at: rowText.encodingOffset(EncodingIndex.of(report.encoding)), of: table, to: out + at)
    at &+= unsafe Self.writeFigure(report.elementCount, to: out + at, table: table)
    at &+= unsafe Self.writeFigure(report.largestElementLength, to: out + at, table: table)
    if let expiresAt = report.expiresAt {
      guard unsafe OutputBuffer.writeISO8601(expiresAt, to: out + at) else { return false }
      at &+= 24
    }
    unsafe out.storeBytes(of: UInt8(ascii: "\n"), toByteOffset: at, as: UInt8.self)
    output.advance(by: at &+ 1)
    return true
  }

  /// Writes a JSON line's fields after the key, without a `file` field and of a type other
  /// than a vector set, in room reserved once.
  @inline(__always)
  private func appendSmallJSONRow(_ report: KeyMemoryReport) {
    let table = unsafe UnsafeRawPointer(rowText.table)
    // The literals (113 bytes), a type and an encoding (16 stored each), three figures and
    // an expiry (21 each).
    let out = unsafe output.reserve(256)
    var at = 0
    @inline(__always)
    func put(_ text: StaticString) {
      unsafe (out + at).copyMemory(from: text.utf8Start, byteCount: text.utf8CodeUnitCount)
      at &+= text.utf8CodeUnitCount
    }
    // Each name and figure is written with its comma, which the next literal overwrites.
    put(",\"type\":\"")
    at &+=
      unsafe Self.writeName(
        at: rowText.typeOffset(DataTypeIndex.of(report.type)), of: table, to: out + at) &- 1
    put("\",\"size_in_bytes\":")
    at &+= unsafe Self.writeFigure(report.sizeInBytes, to: out + at, table: table) &- 1
    put(",\"encoding\":\"")
    at &+=
      unsafe Self.writeName(
        at: rowText.encodingOffset(EncodingIndex.of(report.encoding)), of: table, to: out + at)
      &- 1
    put("\",\"num_elements\":")
    at &+= unsafe Self.writeFigure(report.elementCount, to: out + at, table: table) &- 1
    put(",\"len_largest_element\":")
    at &+= unsafe Self.writeFigure(report.largestElementLength, to: out + at, table: table) &- 1
    put(",\"expire_ms\":")
    if let expiresAt = report.expiresAt {
      at &+= unsafe DecimalText.write(expiresAt, to: out + at)
    } else {
      put("null")
    }
    put("}\n")
    output.advance(by: at)
  }
}
