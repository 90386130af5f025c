/// What `rdbtool info` reports about one file: its header, AUX fields, functions, module
/// data, and key counts.
public struct FileInfo: RDBHandler, Sendable {
  /// The header's version, once read.
  public private(set) var version: RDBVersion?
  /// AUX fields in file order, values as (lossy UTF-8) text.
  public private(set) var aux: [(name: String, value: String)] = []
  /// The names of the function libraries in the file (from their `#!lua name=…` line).
  public private(set) var functions: [String] = []
  /// Module types that stored global data (`MODULE_AUX`).
  public private(set) var moduleAux: [ModuleType] = []
  /// Module types of module values, with how many keys hold one.
  public private(set) var moduleValues: [String: Int] = [:]
  /// Key counts.
  public private(set) var keys = KeyCountAnalyzer()

  /// Creates an empty report.
  public init() {}

  /// The report needs a string's encoding, never its bytes.
  public static var needsStringValues: Bool { false }

  /// The report needs a value's encoding, never its elements.
  public static var needsElements: Bool { false }

  /// Its results live in its own value, so a copy can start over.
  public static var restartsCleanly: Bool { true }

  public mutating func header(_ version: RDBVersion) throws(RDBError) { self.version = version }

  public mutating func aux(key: RawSpan, value: RawSpan) throws(RDBError) {
    aux.append((AuxField.text(key), AuxField.text(value)))
    try keys.aux(key: key, value: value)
  }

  public mutating func function(code: RawSpan) throws(RDBError) {
    let text = AuxField.text(code)
    let firstLine = text.prefix { $0 != "\n" }
    let name = firstLine.split(separator: " ").first { $0.hasPrefix("name=") }
    functions.append(name.map { String($0.dropFirst(5)) } ?? String(firstLine))
  }

  public mutating func moduleAux(_ module: ModuleType) throws(RDBError) {
    moduleAux.append(module)
  }

  public mutating func moduleValue(_ module: ModuleType) throws(RDBError) {
    moduleValues[module.description, default: 0] += 1
  }

  public mutating func beginKey(_ key: RawSpan, info: KeyInfo) throws(RDBError) -> KeyDecision {
    try keys.beginKey(key, info: info)
  }

  public mutating func endKey(_ summary: KeySummary) throws(RDBError) {
    try keys.endKey(summary)
  }
}
