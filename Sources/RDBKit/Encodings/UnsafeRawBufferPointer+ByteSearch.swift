extension UnsafeRawBufferPointer {
  /// The first position of `byte` at or after `start`, or nil: eight bytes at a time, for the
  /// scans made on every key name (hash tags, prefix separators).
  ///
  ///     let name = "user:42"
  ///     unsafe name.utf8.withContiguousStorageIfAvailable {
  ///       unsafe UnsafeRawBufferPointer($0).firstIndex(of: UInt8(ascii: ":"), from: 0)  // 4
  ///     }
  @inline(__always)
  @unsafe func firstIndex(of byte: UInt8, from start: Int) -> Int? {
    let count = self.count
    var index = start
    let ones: UInt64 = 0x0101_0101_0101_0101
    let pattern = ones &* UInt64(byte)
    while index &+ 8 <= count {
      let word = unsafe loadUnaligned(fromByteOffset: index, as: UInt64.self) ^ pattern
      // The high bit of each zero byte (and of none before the first): little-endian, so the
      // lowest set bit marks the first match.
      let zeros = (word &- ones) & ~word & 0x8080_8080_8080_8080
      if zeros != 0 { return index &+ zeros.trailingZeroBitCount &>> 3 }
      index &+= 8
    }
    guard index < count else { return nil }
    if count >= 8 {
      // The last 1–7 bytes: the word that ends the buffer, shifted past the bytes already
      // searched, its emptied high bytes masked off (a false match only ever lies above a
      // true one, so the lowest bit left is the first match).
      let skip = UInt64(truncatingIfNeeded: 8 &- (count &- index)) &<< 3
      let word =
        (unsafe loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self) ^ pattern) &>> skip
      let zeros = (word &- ones) & ~word & 0x8080_8080_8080_8080 & (UInt64.max &>> skip)
      return zeros == 0 ? nil : index &+ zeros.trailingZeroBitCount &>> 3
    }
    while index < count {
      if unsafe self[index] == byte { return index }
      index &+= 1
    }
    return nil
  }
}
