/// Module data: module values and `MODULE_AUX` records copied byte for byte where the target
/// format has them, and Redis 8.6's per-key metadata (`KEY_META`).
extension RDBWriter {
  public mutating func modulePayload(_ bytes: RawSpan) throws(RDBError) {
    guard info == nil else {
      modulePayload.removeAll(keepingCapacity: true)
      unsafe bytes.withUnsafeBytes { unsafe modulePayload.append(contentsOf: $0) }
      return
    }
    guard format.hasStreams else {
      losses.record(.moduleAux, key: nil)
      return
    }
    encoder.byte(Opcode.moduleAux.rawValue)
    unsafe bytes.withUnsafeBytes { unsafe encoder.output.append($0) }
  }

  public mutating func keyMetadata(_ metadata: KeyMetadataClass, payload: RawSpan)
    throws(RDBError)
  {
    metadataSpecs.append(metadata.spec)
    metadataPayloads.append(unsafe payload.withUnsafeBytes { unsafe [UInt8]($0) })
  }

  /// Writes the key's module value: its bytes as they were, when the target format has module
  /// values and (for a vector set) the target server has the module built in.
  mutating func writeModuleValue(_ info: KeyInfo) {
    guard let module, format.hasModules, !modulePayload.isEmpty else {
      recordLoss(.moduleValues)
      return
    }
    if module.name == "vectorset", !engine.builtInModules.contains(module.name) {
      recordLoss(.vectorSets)
      return
    }
    var payload = modulePayload
    if module.name == "vectorset", engine.vectorSetNodeVersion == 0 {
      guard let downgraded = VectorSetNodeDowngrade.downgraded(modulePayload) else {
        recordLoss(.vectorSets)
        return
      }
      payload = downgraded
    }
    writeKeyPrefix(info)
    writeTypeAndKey(.module2)
    unsafe payload.withUnsafeBytes { unsafe encoder.output.append($0) }
  }

  /// `KEY_META` before the type byte, when the key has metadata and the format holds it.
  mutating func writeKeyMetadata() {
    guard !metadataSpecs.isEmpty else { return }
    guard format.hasKeyMetadata else {
      recordLoss(.keyMetadata, items: metadataSpecs.count)
      return
    }
    encoder.byte(Opcode.keyMetadata.rawValue)
    encoder.length(UInt64(metadataSpecs.count))
    for (spec, payload) in zip(metadataSpecs, metadataPayloads) {
      encoder.littleEndian(UInt64(spec), byteCount: 4)
      unsafe payload.withUnsafeBytes { unsafe encoder.output.append($0) }
    }
  }
}
