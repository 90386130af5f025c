/// Writes one JSON document in the shape redis-rdb-tools' `rdb --command json` users know:
/// an array with one object per database present, mapping key names to values.
///
///     [{"user:1":{"name":"Ada"},"queue":["a","b"],"board":{"ada":12.5}},{"other-db-key":"v"}]
///
/// Strings are JSON strings, lists and sets arrays, sorted sets `{member: score}`, hashes
/// `{field: value}`, streams as in the JSON-lines format (an entry's fields as `[field, value]`
/// pairs when a name repeats), module values
/// `{"module":…,"encver":…}`. This shape cannot carry types, expiries or non-UTF-8 names
/// losslessly: bytes that are not valid UTF-8 are written one `\u00XX` escape per byte, as
/// redis-rdb-tools does, unless a ``ByteStringStyle`` says otherwise (base64 is lossless).
/// Use ``JSONLinesWriter`` for a lossless record of every key.
public struct JSONDocumentWriter: RDBHandler {
  /// The buffered output; call ``finish()`` after the parse.
  public let output: OutputBuffer
  private var database: Int?
  private var type: DataType = .string
  private var elementCount = 0
  private var streamFields = MapWriter()
  private let style: ByteStringStyle?

  /// Writes to `output`, byte strings as redis-rdb-tools writes them, or in `style`.
  /// ``ByteStringStyle/utf8`` is not one this document can hold (its base64 objects cannot
  /// be object keys) and is taken as nil.
  public init(output: OutputBuffer, style: ByteStringStyle? = nil) {
    self.output = output
    self.style = style == .utf8 ? nil : style
    self.output.append(UInt8(ascii: "["))
  }

  /// Closes the document and writes what is buffered.
  public mutating func finish() throws(RDBError) {
    output.append(database == nil ? "]\n" : "}]\n")
    try output.flush()
  }

  private mutating func appendBytes(_ span: RawSpan) {
    unsafe span.withUnsafeBytes { bytes in
      if let style {
        unsafe JSONText.appendValue(bytes, style: style, to: output)
      } else if unsafe JSONText.isValidUTF8(bytes) {
        unsafe JSONText.appendEscaped(bytes, to: output)
      } else {
        unsafe JSONText.appendLatin1(bytes, to: output)
      }
    }
  }

  public mutating func beginKey(_ key: RawSpan, info: KeyInfo) throws(RDBError) -> KeyDecision {
    if database != info.database {
      output.append(database == nil ? "{" : "},{")
      database = info.database
    } else {
      output.append(UInt8(ascii: ","))
    }
    appendBytes(key)
    output.append(UInt8(ascii: ":"))
    type = info.dataType
    elementCount = 0
    switch type {
    case .list, .set: output.append(UInt8(ascii: "["))
    case .sortedSet, .hash: output.append(UInt8(ascii: "{"))
    case .stream: output.append("{\"entries\":[")
    case .string, .module: break
    }
    return .decode
  }

  private mutating func separate() {
    if elementCount > 0 { output.append(UInt8(ascii: ",")) }
    elementCount += 1
  }

  public mutating func stringValue(_ value: RawSpan) throws(RDBError) { appendBytes(value) }

  public mutating func listElement(_ element: RawSpan) throws(RDBError) {
    separate()
    appendBytes(element)
    try output.flushIfFull()
  }

  public mutating func setMember(_ member: RawSpan) throws(RDBError) {
    separate()
    appendBytes(member)
    try output.flushIfFull()
  }

  public mutating func sortedSetMember(_ member: RawSpan, score: Double) throws(RDBError) {
    separate()
    appendBytes(member)
    output.append(UInt8(ascii: ":"))
    JSONText.appendScore(score, to: output)
    try output.flushIfFull()
  }

  public mutating func hashField(_ field: RawSpan, value: RawSpan, expiresAt: Int64?)
    throws(RDBError)
  {
    separate()
    appendBytes(field)
    output.append(UInt8(ascii: ":"))
    appendBytes(value)
    try output.flushIfFull()
  }

  public mutating func beginStreamEntry(id: StreamID, fieldCount: Int) throws(RDBError) {
    separate()
    output.append("{\"id\":\"")
    output.append(id)
    output.append("\",\"fields\":")
    streamFields.begin(at: output.count, checksRepeats: true)
    streamFields.remaining = fieldCount
    if fieldCount == 0 { closeStreamEntry() }
  }

  public mutating func streamField(_ field: RawSpan, value: RawSpan) throws(RDBError) {
    streamFields.beginKey(in: output)
    appendBytes(field)
    streamFields.endKey(in: output)
    appendBytes(value)
    streamFields.remaining -= 1
    if streamFields.remaining == 0 { closeStreamEntry() }
  }

  /// Ends the entry's fields: an object, or `[field, value]` pairs when a name repeats.
  private mutating func closeStreamEntry() {
    streamFields.end(in: output)
    output.append(UInt8(ascii: "}"))
  }

  public mutating func streamMetadata(_ metadata: StreamMetadata) throws(RDBError) {
    output.append("],\"length\":")
    output.append(integer: Int64(clamping: metadata.length))
    output.append(",\"last_id\":\"")
    output.append(metadata.lastID)
    output.append("\"}")
  }

  public mutating func moduleValue(_ module: ModuleType) throws(RDBError) {
    output.append("{\"module\":\"")
    output.append(module.name)
    output.append("\",\"encver\":")
    output.append(integer: Int64(module.encodingVersion))
    output.append(UInt8(ascii: "}"))
  }

  public mutating func endKey(_ summary: KeySummary) throws(RDBError) {
    switch type {
    case .list, .set: output.append(UInt8(ascii: "]"))
    case .sortedSet, .hash: output.append(UInt8(ascii: "}"))
    case .string, .stream, .module: break
    }
    try output.flushIfFull()
  }
}
