/// An RDB length in its shortest form (6, 14, 32 or 64 bits) appended to bytes being built:
/// the records `JSONLinesBatcher` batches, a module payload `VectorSetNodeDowngrade` rebuilds.
/// ``RDBEncoder/length(_:)`` writes the same form straight into its output.
enum RDBLength {
  /// Appends `value` to `bytes`.
  static func append(_ value: UInt64, to bytes: inout [UInt8]) {
    if value < 1 << 6 {
      bytes.append(UInt8(value))
    } else if value < 1 << 14 {
      bytes.append(0x40 | UInt8(value >> 8))
      bytes.append(UInt8(truncatingIfNeeded: value))
    } else if value <= UInt64(UInt32.max) {
      bytes.append(0x80)
      withUnsafeBytes(of: UInt32(value).bigEndian) { bytes.append(contentsOf: $0) }
    } else {
      bytes.append(0x81)
      withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }
  }
}
