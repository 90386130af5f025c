/// Reading well-known AUX fields.
enum AuxField {
  /// The snapshot time in ms when `key` is `ctime` (seconds since the epoch), else nil.
  static func snapshotTime(key: RawSpan, value: RawSpan) -> Int64? {
    guard equals(key, "ctime"), let seconds = Int64(text(value)) else { return nil }
    return seconds &* 1000
  }

  static func equals(_ span: RawSpan, _ text: StaticString) -> Bool {
    guard span.byteCount == text.utf8CodeUnitCount else { return false }
    return unsafe span.withUnsafeBytes { bytes in
      unsafe bytes.elementsEqual(
        UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
  }

  /// The span's bytes as (lossy) UTF-8 text.
  static func text(_ span: RawSpan) -> String {
    unsafe span.withUnsafeBytes { unsafe String(decoding: $0, as: UTF8.self) }
  }
}
