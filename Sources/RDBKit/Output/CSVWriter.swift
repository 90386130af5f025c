/// Flattens strings and hashes into CSV rows: `database,type,key,field,value`, one row per
/// string and one per hash field (strings leave `field` empty). Fields are written by
/// ``CSVField``: the lossless text form of ``ByteText``, RFC 4180 quoting. Other types are
/// skipped undecoded and counted.
public struct CSVWriter: RDBHandler {
  /// The buffered output; call ``finish()`` after the parse.
  public let output: OutputBuffer
  private let style: ByteStringStyle
  private var key: [UInt8] = []
  private var database = 0
  /// Keys of other types, left out.
  public private(set) var skippedKeys = 0

  /// Writes the header row to `output`; byte strings in their text form, or base64 with
  /// ``ByteStringStyle/base64`` (``ByteStringStyle/utf8`` is taken as text: CSV has no
  /// base64 objects).
  public init(output: OutputBuffer, style: ByteStringStyle = .text) {
    self.output = output
    self.style = style
    self.output.append("database,type,key,field,value\n")
  }

  /// Writes whatever is still buffered.
  public mutating func finish() throws(RDBError) { try output.flush() }

  public mutating func beginKey(_ key: RawSpan, info: KeyInfo) throws(RDBError) -> KeyDecision {
    guard info.dataType == .string || info.dataType == .hash else {
      skippedKeys += 1
      return .skip
    }
    self.key = unsafe key.withUnsafeBytes { unsafe Array($0) }
    database = info.database
    return .decode
  }

  public mutating func stringValue(_ value: RawSpan) throws(RDBError) {
    try row(type: "string", field: nil, value: value)
  }

  public mutating func hashField(_ field: RawSpan, value: RawSpan, expiresAt: Int64?)
    throws(RDBError)
  {
    try row(type: "hash", field: field, value: value)
  }

  private mutating func row(type: StaticString, field: RawSpan?, value: RawSpan) throws(RDBError) {
    output.append(integer: Int64(database))
    output.append(UInt8(ascii: ","))
    output.append(type)
    output.append(UInt8(ascii: ","))
    unsafe key.withUnsafeBytes { unsafe appendField($0) }
    output.append(UInt8(ascii: ","))
    if let field { unsafe field.withUnsafeBytes { unsafe appendField($0) } }
    output.append(UInt8(ascii: ","))
    unsafe value.withUnsafeBytes { unsafe appendField($0) }
    output.append(UInt8(ascii: "\n"))
    try output.flushIfFull()
  }

  @unsafe private func appendField(_ bytes: UnsafeRawBufferPointer) {
    unsafe CSVField.append(bytes, base64: style == .base64, to: output)
  }
}
