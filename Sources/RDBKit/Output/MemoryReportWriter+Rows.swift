extension MemoryReportWriter {
  /// The texts a row is assembled from, looked up instead of formatted: the figures 0–999,
  /// each followed by a comma, and each type's and encoding's name followed by a comma, made
  /// once per writer from the names ``OutputBuffer/append(_:)-(DataType)`` writes.
  ///
  /// A row of a small key (a name of 4 to 32 plain bytes, figures below 1000) is then written
  /// into room reserved once, by word stores at a cursor: no capacity check, count update or
  /// `memcpy` call per column.
  @safe final class RowText: @unchecked Sendable {
    /// Figures below this are looked up.
    static let figures = 1000
    /// Bytes per type and per encoding: the name and its comma in 16 bytes, then its length.
    static let nameStride = 24
    /// `figures` words (digits then a comma, little-endian), then the types' and the
    /// encodings' names (``nameStride`` each).
    let table: UnsafeMutableRawPointer

    init() {
      let names = DataType.allCases.count + Encoding.allCases.count
      unsafe table = .allocate(
        byteCount: 4 * Self.figures + Self.nameStride * names, alignment: 8)
      for value in 0..<Self.figures {
        var word: UInt32 = 0
        for (index, byte) in Array("\(value),".utf8).enumerated() {
          word |= UInt32(byte) << (8 * index)
        }
        unsafe table.storeBytes(of: word, toByteOffset: 4 * value, as: UInt32.self)
      }
      for type in DataType.allCases {
        unsafe store(type.rawValue, at: typeOffset(DataTypeIndex.of(type)))
      }
      for encoding in Encoding.allCases {
        unsafe store(encoding.rawValue, at: encodingOffset(EncodingIndex.of(encoding)))
      }
    }

    deinit { unsafe table.deallocate() }

    @inline(__always)
    func typeOffset(_ index: Int) -> Int { 4 &* Self.figures &+ Self.nameStride &* index }

    @inline(__always)
    func encodingOffset(_ index: Int) -> Int {
      4 &* Self.figures &+ Self.nameStride &* (DataType.allCases.count &+ index)
    }

    /// Stores `name` and a comma, zeros to 16 bytes, then its length with the comma.
    @unsafe private func store(_ name: String, at offset: Int) {
      let bytes = Array(name.utf8) + [UInt8(ascii: ",")]
      precondition(bytes.count <= 16)
      for index in 0..<16 {
        unsafe table.storeBytes(
          of: index < bytes.count ? bytes[index] : 0, toByteOffset: offset &+ index,
          as: UInt8.self)
      }
      unsafe table.storeBytes(of: bytes.count, toByteOffset: offset &+ 16, as: Int.self)
    }
  }

  /// Writes `value` and a comma at `out` (room for 21 bytes) and returns the bytes written:
  /// a figure below 1000 (most sizes, counts and lengths) from ``RowText``'s words, one store.
  @inline(__always)
  @unsafe static func writeFigure(
    _ value: Int, to out: UnsafeMutableRawPointer, table: UnsafeRawPointer
  ) -> Int {
    let magnitude = UInt(bitPattern: value)
    guard magnitude < UInt(RowText.figures) else {
      let digits = unsafe DecimalText.write(Int64(value), to: out)
      unsafe out.storeBytes(of: UInt8(ascii: ","), toByteOffset: digits, as: UInt8.self)
      return digits &+ 1
    }
    let word = unsafe table.load(fromByteOffset: 4 &* Int(magnitude), as: UInt32.self)
    unsafe out.storeBytes(of: word, as: UInt32.self)
    return 2 &+ (magnitude >= 10 ? 1 : 0) &+ (magnitude >= 100 ? 1 : 0)
  }

  /// Writes the name and comma at `offset` of `table` (``RowText``) at `out` (room for 16
  /// bytes) and returns its length.
  @inline(__always)
  @unsafe static func writeName(
    at offset: Int, of table: UnsafeRawPointer, to out: UnsafeMutableRawPointer
  ) -> Int {
    unsafe out.storeBytes(
      of: table.load(fromByteOffset: offset, as: UInt64.self), as: UInt64.self)
    unsafe out.storeBytes(
      of: table.load(fromByteOffset: offset &+ 8, as: UInt64.self), toByteOffset: 8,
      as: UInt64.self)
    return unsafe table.load(fromByteOffset: offset &+ 16, as: Int.self)
  }

  /// Copies a key name of 4 to 32 bytes to `out` and returns true when every byte is printable
  /// ASCII but a comma, a double quote and a backslash (``CSVField``'s unquoted names, written
  /// as they are); false otherwise (what it stored is then to be overwritten). Two or four
  /// words, overlapping for lengths between, tested together.
  @inline(__always)
  @unsafe static func copyPlainName(
    _ source: UnsafeRawPointer, count: Int, to out: UnsafeMutableRawPointer
  ) -> Bool {
    if count >= 8 {
      let first = unsafe source.loadUnaligned(as: UInt64.self)
      let last = unsafe source.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
      unsafe out.storeBytes(of: first, as: UInt64.self)
      unsafe out.storeBytes(of: last, toByteOffset: count &- 8, as: UInt64.self)
      guard count > 16 else { return (flags(first) | flags(last)) & highs == 0 }
      let second = unsafe source.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
      let third = unsafe source.loadUnaligned(fromByteOffset: count &- 16, as: UInt64.self)
      unsafe out.storeBytes(of: second, toByteOffset: 8, as: UInt64.self)
      unsafe out.storeBytes(of: third, toByteOffset: count &- 16, as: UInt64.self)
      return (flags(first) | flags(last) | flags(second) | flags(third)) & highs == 0
    }
    let first = unsafe source.loadUnaligned(as: UInt32.self)
    let last = unsafe source.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
    unsafe out.storeBytes(of: first, as: UInt32.self)
    unsafe out.storeBytes(of: last, toByteOffset: count &- 4, as: UInt32.self)
    return flags(UInt64(first) | UInt64(last) &<< 32) & highs == 0
  }

  private static let highs: UInt64 = 0x8080_8080_8080_8080

  /// A word whose bytes' high bits (``highs``) mark, in `word`, a byte that is not printable
  /// ASCII or is a comma, a double quote or a backslash: the test of ``CSVField``'s unquoted
  /// names. Each term sets the high bit of such a byte: its own (0x80 and more), or a borrow
  /// out of it (below 0x20; DEL or one of the three, which the XOR makes zero). A borrow also
  /// reaches the bytes above, but only out of a byte that is marked itself, so the test of the
  /// whole word is exact.
  @inline(__always)
  static func flags(_ word: UInt64) -> UInt64 {
    let ones: UInt64 = 0x0101_0101_0101_0101
    return word | (word &- ones &* 0x20) | ((word ^ (ones &* 0x7F)) &- ones)
      | ((word ^ (ones &* 0x2C)) &- ones) | ((word ^ (ones &* 0x22)) &- ones)
      | ((word ^ (ones &* 0x5C)) &- ones)
  }
}
