/// `KEY_META` (opcode 243 in `REDIS` files of RDB 13): module metadata attached to the key
/// whose type byte follows at once. Each class's items are framed as a module value is, so
/// they are passed over without the module and handed on byte for byte.
extension Decoder {
  /// The most classes Redis 8.6 accepts in one record (class slot 0, the expiry, is never
  /// written).
  static let maximumMetadataClasses: UInt64 = 7

  /// Reads the record after its opcode and keeps it for the next key: a class count, then per
  /// class a 4-byte little-endian spec and module items up to their EOF opcode.
  mutating func readKeyMetadata(at offset: Int) throws(RDBError) {
    let count = try readLength()
    guard count <= Self.maximumMetadataClasses else {
      throw RDBError(
        .invalidValue("KEY_META holds \(count) classes, more than \(Self.maximumMetadataClasses)"),
        at: offset)
    }
    pendingMetadata.removeAll(keepingCapacity: true)
    source.beginCapture()
    let start = source.offset
    for _ in 0..<count {
      let spec = unsafe try source.take(4).littleEndian(at: 0, as: UInt32.self)
      let itemsStart = source.offset &- start
      try skipModuleOpcodes(of: "key metadata class \(KeyMetadataClass(spec: spec).name)")
      pendingMetadata.append((spec, itemsStart..<(source.offset &- start)))
    }
    let bytes = unsafe source.endCapture()
    // A stream's window moves on while the key name is read: keep a copy until then.
    unsafe metadataBytes = source.keepsBytes ? bytes : metadataScratch.copy(bytes)
    expectsKeyAfterMetadata = true
  }

  /// Reports the classes read before the current key, in file order.
  mutating func reportKeyMetadata<H: RDBHandler>(to handler: inout H) throws(RDBError) {
    for (spec, payload) in pendingMetadata {
      try unsafe handler.keyMetadata(
        KeyMetadataClass(spec: spec),
        payload: RawSpan(_unsafeBytes: UnsafeRawBufferPointer(rebasing: metadataBytes[payload])))
    }
  }
}
