/// Module values and module AUX data, passed over without the module: the opcode stream
/// that frames them (`RDB_MODULE_OPCODE_*`) is enough to find their end.
extension Decoder {
  /// Type 7: reports the module's name and encoding version, then decodes a vector set or
  /// skips any other module's opcode stream, and hands on the value's bytes when the handler
  /// asks for them. Type 6 (4.0 release candidates) has no framing and cannot be passed over.
  mutating func readModuleValue<H: RDBHandler>(_ type: ValueType, into handler: inout H)
    throws(RDBError)
  {
    if H.needsModulePayloads { source.beginCapture() }
    let start = source.offset
    let id = try readLength()
    let module = ModuleType(id: id)
    guard type == .module2 else {
      throw RDBError(
        .unreadableModule(
          "module \(module) value in the pre-release format cannot be read without the module"),
        at: start)
    }
    try handler.beginValue(encoding: .raw)
    try handler.moduleValue(module)
    if id == Self.vectorSetModuleID {
      try readVectorSet(into: &handler)
    } else {
      try skipModuleOpcodes(of: "module \(module)")
    }
    if H.needsModulePayloads {
      try unsafe handler.modulePayload(RawSpan(_unsafeBytes: source.endCapture()))
    }
  }

  /// `MODULE_AUX`: module id, the UINT opcode 2, the `when` value, then the opcode stream.
  mutating func readModuleAux<H: RDBHandler>(_ handler: inout H, at offset: Int)
    throws(RDBError)
  {
    if H.needsModulePayloads { source.beginCapture() }
    let module = ModuleType(id: try readLength())
    let marker = try readLength()
    guard marker == 2 else {
      throw RDBError(
        .unreadableModule("module \(module) AUX data starts with \(marker), not 2"), at: offset)
    }
    _ = try readLength()  // when: before or after the keyspace
    try skipModuleOpcodes(of: "module \(module)")
    try handler.moduleAux(module)
    if H.needsModulePayloads {
      try unsafe handler.modulePayload(RawSpan(_unsafeBytes: source.endCapture()))
    }
  }

  /// Passes over module opcodes up to the EOF opcode 0; `owner` names whose data they are in
  /// an error.
  mutating func skipModuleOpcodes(of owner: @autoclosure () -> String) throws(RDBError) {
    while true {
      let start = source.offset
      switch try readLength() {
      case 0: return
      case 1, 2: _ = try readLength()
      case 3: try source.skip(4)
      case 4: try source.skip(8)
      case 5: try skipString()
      case let opcode:
        throw RDBError(
          .unreadableModule("\(owner()) data has unknown opcode \(opcode)"), at: start)
      }
    }
  }
}
