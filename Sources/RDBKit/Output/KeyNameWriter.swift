/// Writes each key's name and a terminator (a newline, or NUL for names that may hold
/// newlines): `rdbtool keys`. Values are skipped undecoded.
public struct KeyNameWriter: RDBHandler {
  /// The buffered output; flush it after the parse.
  public let output: OutputBuffer
  private let terminator: UInt8

  /// Writes to `output`, each name followed by `terminator`.
  public init(output: OutputBuffer, terminator: UInt8 = UInt8(ascii: "\n")) {
    self.output = output
    self.terminator = terminator
  }

  public mutating func beginKey(_ key: RawSpan, info: KeyInfo) throws(RDBError) -> KeyDecision {
    unsafe key.withUnsafeBytes { unsafe output.append($0) }
    output.append(terminator)
    try output.flushIfFull()
    return .skip
  }
}
