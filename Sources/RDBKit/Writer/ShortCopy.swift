/// Copies a few bytes (a tiny key's name or value, a listpack's short string) with two
/// overlapping loads and stores of the widest size that fits, instead of a call to `memcpy`
/// per element; never touches a byte outside either range.
enum ShortCopy {
  /// Copies `count` bytes from `source` to `target`: up to 64 inline, more through
  /// `copyMemory`.
  @inline(__always)
  @unsafe static func copy(
    from source: UnsafeRawPointer, to target: UnsafeMutableRawPointer, count: Int
  ) {
    @inline(__always)
    func pair<T>(_: T.Type) {
      let size = MemoryLayout<T>.size
      let head = unsafe source.loadUnaligned(as: T.self)
      let tail = unsafe source.loadUnaligned(fromByteOffset: count &- size, as: T.self)
      unsafe target.storeBytes(of: head, as: T.self)
      unsafe target.storeBytes(of: tail, toByteOffset: count &- size, as: T.self)
    }
    if count > 64 {
      unsafe target.copyMemory(from: source, byteCount: count)
    } else if count >= 16 {
      if count <= 32 {
        pair(SIMD16<UInt8>.self)
      } else {
        pair(SIMD32<UInt8>.self)
      }
    } else if count >= 8 {
      pair(UInt64.self)
    } else if count >= 4 {
      pair(UInt32.self)
    } else {
      for index in 0..<count {
        unsafe target.storeBytes(
          of: source.load(fromByteOffset: index, as: UInt8.self), toByteOffset: index,
          as: UInt8.self)
      }
    }
  }
}
