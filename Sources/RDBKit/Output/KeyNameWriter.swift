/// Writes each key's name and a newline: `rdbtool keys`. Values are skipped undecoded.
public struct KeyNameWriter: RDBHandler {
  /// The buffered output; flush it after the parse.
  public let output: OutputBuffer

  /// Writes to `output`.
  public init(output: OutputBuffer) {
    self.output = output
  }

  public mutating func beginKey(_ key: RawSpan, info: KeyInfo) throws(RDBError) -> KeyDecision {
    unsafe key.withUnsafeBytes { unsafe output.append($0) }
    output.append(UInt8(ascii: "\n"))
    try output.flushIfFull()
    return .skip
  }
}
