/// Vector sets as the `VADD` commands that recreate them (Redis 8): each element's vector as
/// `VEMB` gives it back (``VectorSetElementInfo``), in `FP32` form, with the set's
/// quantization, its HNSW `M` and the element's attributes. A server that adds these
/// quantizes them to the same stored values; the graph's links are its own.
///
/// A set made with `REDUCE` keeps a random projection matrix that `VADD` cannot be given, so
/// it is restored from its serialized value instead: `RESTORE key 0 payload`, the payload being
/// what `DUMP` returns (the type byte, the module value as the file holds it, the RDB version
/// and the CRC-64), with the nodes in the version the target reads.
extension RESPWriter {
  public static var needsModulePayloads: Bool { true }

  public mutating func moduleValue(_ module: ModuleType) throws(RDBError) {
    if module.name != "vectorset" { skippedModuleValues += 1 }
  }

  public mutating func beginVectorSet(_ info: VectorSetInfo) throws(RDBError) {
    guard let keyInfo = pendingModuleKey else { return }
    pendingModuleKey = nil
    guard target.hasVectorSets else {
      omitted.vectorSets += 1
      return
    }
    guard info.projectionInputDimension == nil else {
      projectedKey = keyInfo
      return
    }
    self.info = keyInfo
    vectorSet = info
    selectDatabase(keyInfo.database)
    aside.begin("DEL", key: key)
    aside.write(to: output)
  }

  public mutating func vectorSetElement(
    _ element: RawSpan, vector: RawSpan, attributes: RawSpan, info: VectorSetElementInfo
  ) throws(RDBError) {
    guard let set = vectorSet else { return }
    fillVectorBlob(vector, set: set, info: info)
    command.begin("VADD", key: key)
    command.add("FP32")
    command.add(vectorBlob)
    command.add(element)
    switch set.quantization {
    case .f32: command.add("NOQUANT")
    case .int8: command.add("Q8")
    case .binary: command.add("BIN")
    }
    command.add("M")
    command.add(integer: Int64(set.hnswM))
    if attributes.byteCount > 0 {
      command.add("SETATTR")
      command.add(attributes)
    }
    command.write(to: output)
    try output.flushIfFull()
  }

  /// Writes `RESTORE` for the projected vector set whose value was just read.
  public mutating func modulePayload(_ bytes: RawSpan) throws(RDBError) {
    guard let keyInfo = projectedKey else { return }
    projectedKey = nil
    var value = unsafe bytes.withUnsafeBytes { unsafe [UInt8]($0) }
    if target.vectorSetNodeVersion == 0 {
      guard let downgraded = VectorSetNodeDowngrade.downgraded(value) else {
        skippedModuleValues += 1
        return
      }
      value = downgraded
    }
    let version = target.restoreVersion ?? fileVersion
    var payload = [ValueType.module2.rawValue] + value
    payload += [UInt8(truncatingIfNeeded: version), UInt8(truncatingIfNeeded: version >> 8)]
    let crc = unsafe payload.withUnsafeBytes { unsafe CRC64.update(0, $0) }
    payload += (0..<8).map { UInt8(truncatingIfNeeded: crc >> (8 * $0)) }
    info = keyInfo
    selectDatabase(keyInfo.database)
    aside.begin("DEL", key: key)
    aside.write(to: output)
    command.begin("RESTORE", key: key)
    command.add("0")
    command.add(payload)
    command.write(to: output)
    try output.flushIfFull()
  }

  /// The element's vector as little-endian 32-bit floats: `f32` values times the norm,
  /// `int8` values times range / 127 times the norm, `bin` bits as +1 or -1. The parser has
  /// checked that `vector` holds ``VectorSetInfo/vectorByteCount`` bytes.
  private mutating func fillVectorBlob(
    _ vector: RawSpan, set: VectorSetInfo, info: VectorSetElementInfo
  ) {
    vectorBlob.removeAll(keepingCapacity: true)
    guard vector.byteCount >= set.vectorByteCount else { return }
    let scale = set.quantization == .int8 ? (info.range ?? 0) / 127 * info.l2 : info.l2
    for index in 0..<set.dimension {
      let value: Float
      switch set.quantization {
      case .f32:
        let bits = unsafe vector.unsafeLoadUnaligned(fromByteOffset: index * 4, as: UInt32.self)
        value = Float(bitPattern: UInt32(littleEndian: bits)) * scale
      case .int8:
        let byte = unsafe vector.unsafeLoadUnaligned(fromByteOffset: index, as: Int8.self)
        value = Float(byte) * scale
      case .binary:
        let word = unsafe vector.unsafeLoadUnaligned(
          fromByteOffset: index / 64 * 8, as: UInt64.self)
        value = UInt64(littleEndian: word) >> UInt64(index % 64) & 1 == 1 ? 1 : -1
      }
      let bits = value.bitPattern
      for shift in stride(from: 0, to: 32, by: 8) {
        vectorBlob.append(UInt8(truncatingIfNeeded: bits >> UInt32(shift)))
      }
    }
  }
}
