/// Encoding each buffered value in the target format's encoding for it.
extension RDBWriter {
  /// Writes the record of the key just parsed, or counts why it cannot be written.
  mutating func writeRecord(_ info: KeyInfo) throws(RDBError) {
    switch info.dataType {
    case .string:
      writeKeyPrefix(info)
      writeTypeAndKey(.string)
      if values.count > 0 {
        unsafe encoder.string(unsafeBytes: values.element(0))
      } else {
        encoder.length(0)
      }
    case .list, .set, .sortedSet, .hash:
      guard values.count > 0 || quicklist.elementCount > 0 else {
        recordLoss(.emptyKeys)
        return
      }
      switch info.dataType {
      case .list: try writeList(info)
      case .set: writeSet(info)
      case .sortedSet: writeSortedSet(info)
      default: writeHash(info)
      }
    case .stream:
      guard let type = format.streamType else {
        recordLoss(.streams)
        return
      }
      writeKeyPrefix(info)
      writeTypeAndKey(type)
      try writeStream(type)
    case .module:
      writeModuleValue(info)
    }
  }

  // MARK: Lists

  private mutating func writeList(_ info: KeyInfo) throws(RDBError) {
    let limits = engine.limits
    writeKeyPrefix(info)
    if format.hasQuicklist {
      writeTypeAndKey(format.hasListpacks ? .listQuicklist2 : .listQuicklist)
      quicklist.finish()
      encoder.length(UInt64(quicklist.nodes.count))
      for node in 0..<quicklist.nodes.count {
        if format.hasListpacks { encoder.length(quicklist.plain[node] ? 1 : 2) }
        unsafe encoder.blob(unsafeBytes: quicklist.nodes.element(node))
        try encoder.flushIfFull()
      }
    } else if format.hasZiplists, values.count <= limits.listZiplistEntries,
      values.longestElement <= limits.listZiplistValue
    {
      writeTypeAndKey(.listZiplist)
      writePackedElements()
    } else {
      writeTypeAndKey(.list)
      encoder.length(UInt64(values.count))
      for index in 0..<values.count { unsafe encoder.string(unsafeBytes: values.element(index)) }
    }
  }

  /// Writes every buffered element, in order, as one packed blob.
  private mutating func writePackedElements() {
    packed.reset()
    for index in 0..<values.count { unsafe packed.append(unsafeBytes: values.element(index)) }
    packed.finish()
    unsafe encoder.blob(unsafeBytes: packed.blob.buffer)
  }

  // MARK: Sets

  private mutating func writeSet(_ info: KeyInfo) {
    let limits = engine.limits
    writeKeyPrefix(info)
    if format.hasZiplists, values.count <= limits.intsetEntries, var integers = integerMembers() {
      writeTypeAndKey(.setIntset)
      encoder.blob(IntsetEncoder.encode(&integers))
    } else if format.hasListpackSets, values.count <= limits.setListpackEntries,
      values.longestElement <= limits.setListpackValue
    {
      writeTypeAndKey(.setListpack)
      writePackedElements()
    } else {
      writeTypeAndKey(.set)
      encoder.length(UInt64(values.count))
      for index in 0..<values.count { unsafe encoder.string(unsafeBytes: values.element(index)) }
    }
  }

  /// Every member as an Int64, when every member spells one canonically.
  private func integerMembers() -> [Int64]? {
    var integers: [Int64] = []
    for index in 0..<values.count {
      guard values.length(index) <= 20,
        let value = unsafe IntegerText.canonicalValue(RawSpan(_unsafeBytes: values.element(index)))
      else { return nil }
      // Reserved only once the first member is an integer: most sets have none.
      if index == 0 { integers.reserveCapacity(values.count) }
      integers.append(value)
    }
    return integers
  }

  // MARK: Sorted sets

  private mutating func writeSortedSet(_ info: KeyInfo) {
    let limits = engine.limits
    writeKeyPrefix(info)
    if format.hasZiplists, values.count <= limits.sortedSetEntries,
      values.longestElement <= limits.sortedSetValue
    {
      writeTypeAndKey(format.hasListpacks ? .sortedSetListpack : .sortedSetZiplist)
      packed.reset()
      if values.isInScoreOrder() {
        for index in 0..<values.count { appendMember(index) }
      } else {
        for index in values.scoreOrder() { appendMember(index) }
      }
      packed.finish()
      unsafe encoder.blob(unsafeBytes: packed.blob.buffer)
    } else {
      writeTypeAndKey(format.hasBinaryScores ? .sortedSet2 : .sortedSet)
      encoder.length(UInt64(values.count))
      for index in 0..<values.count {
        unsafe encoder.string(unsafeBytes: values.element(index))
        if format.hasBinaryScores {
          encoder.binaryDouble(values.scores[index])
        } else {
          encoder.textScore(values.scores[index])
        }
      }
    }
  }

  /// Appends sorted-set member `index` and its score to the packed blob.
  private mutating func appendMember(_ index: Int) {
    unsafe packed.append(unsafeBytes: values.element(index))
    packed.append(score: values.scores[index])
  }

  // MARK: Hashes

  private mutating func writeHash(_ info: KeyInfo) {
    let limits = engine.limits
    let fields = values.count / 2
    var expiring = values.fieldExpiries.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
    if expiring > 0, !format.hasFieldTTLs {
      recordLoss(.fieldTTLs, items: expiring)
      expiring = 0
    }
    let small = fields <= limits.hashEntries && values.longestElement <= limits.hashValue
    let isValkey = engine.version.magic == .valkey
    let keepsListpackEx =
      !isValkey && format.hasFieldTTLs
      && (info.type == .hashListpackEx || info.type == .hashListpackExPreGA)
    writeKeyPrefix(info)
    if expiring > 0 || (keepsListpackEx && small) {
      if isValkey {
        writeValkeyHashWithTTLs()
      } else if small {
        writeListpackExHash()
      } else {
        writeHashMetadata()
      }
    } else if small, format.hasZiplistHashes {
      writeTypeAndKey(format.hasListpacks ? .hashListpack : .hashZiplist)
      writePackedElements()
    } else {
      writeTypeAndKey(.hash)
      encoder.length(UInt64(fields))
      for index in 0..<values.count { unsafe encoder.string(unsafeBytes: values.element(index)) }
    }
  }

  /// The smallest field TTL, or 0 when no field has one.
  private var minimumFieldExpiry: Int64 {
    values.fieldExpiries.reduce(0) { $1 != 0 && ($0 == 0 || $1 < $0) ? $1 : $0 }
  }

  /// Type 25: the minimum TTL, then a listpack of field, value, TTL triplets, the fields with
  /// a TTL first by ascending TTL, then the others.
  private mutating func writeListpackExHash() {
    writeTypeAndKey(.hashListpackEx)
    encoder.littleEndian(UInt64(minimumFieldExpiry), byteCount: 8)
    let expiries = values.fieldExpiries
    let order = (0..<expiries.count).sorted { left, right in
      let a = expiries[left] == 0 ? Int64.max : expiries[left]
      let b = expiries[right] == 0 ? Int64.max : expiries[right]
      return a != b ? a < b : left < right
    }
    packed.reset()
    for field in order {
      unsafe packed.append(unsafeBytes: values.element(field * 2))
      unsafe packed.append(unsafeBytes: values.element(field * 2 + 1))
      packed.append(integer: expiries[field])
    }
    packed.finish()
    unsafe encoder.blob(unsafeBytes: packed.blob.buffer)
  }

  /// Type 24: the minimum TTL, then per field its TTL relative to it (0 for none), the field
  /// and the value.
  private mutating func writeHashMetadata() {
    writeTypeAndKey(.hashMetadata)
    let minimum = minimumFieldExpiry
    encoder.littleEndian(UInt64(minimum), byteCount: 8)
    encoder.length(UInt64(values.count / 2))
    for field in 0..<values.count / 2 {
      let expiry = values.fieldExpiries[field]
      encoder.length(expiry == 0 ? 0 : UInt64(expiry - minimum + 1))
      unsafe encoder.string(unsafeBytes: values.element(field * 2))
      unsafe encoder.string(unsafeBytes: values.element(field * 2 + 1))
    }
  }

  /// Valkey 9's type 22: per field the field, the value and an 8-byte expiry (-1 for none).
  private mutating func writeValkeyHashWithTTLs() {
    writeTypeAndKey(.hashMetadataPreGA)
    encoder.length(UInt64(values.count / 2))
    for field in 0..<values.count / 2 {
      unsafe encoder.string(unsafeBytes: values.element(field * 2))
      unsafe encoder.string(unsafeBytes: values.element(field * 2 + 1))
      let expiry = values.fieldExpiries[field]
      encoder.littleEndian(UInt64(bitPattern: expiry == 0 ? -1 : expiry), byteCount: 8)
    }
  }
}
