/// One element of a ziplist or listpack: either bytes or an integer.
@safe struct PackedElement {
  /// The string bytes (empty when ``isInteger``).
  var string: UnsafeRawBufferPointer
  /// The integer value when ``isInteger``.
  var integer: Int64
  /// Whether the element was stored as an integer.
  var isInteger: Bool

  @inline(__always)
  @unsafe init(string: UnsafeRawBufferPointer) {
    unsafe self.string = string
    integer = 0
    isInteger = false
  }

  @inline(__always)
  init(integer: Int64) {
    unsafe string = UnsafeRawBufferPointer(start: nil, count: 0)
    self.integer = integer
    isInteger = true
  }

  /// The element as bytes: strings as they are, integers as decimal text in `scratch`.
  @inline(__always)
  func bytes(using scratch: inout ScratchBuffer) -> UnsafeRawBufferPointer {
    isInteger ? unsafe scratch.text(of: integer) : unsafe string
  }

  /// The byte count of ``bytes(using:)``, without writing an integer's text.
  @inline(__always)
  var textLength: Int {
    isInteger ? IntegerText.length(of: integer) : unsafe string.count
  }
}

/// Reads little-endian integers from a buffer whose bounds were already checked.
extension UnsafeRawBufferPointer {
  @inline(__always)
  func littleEndian<T: FixedWidthInteger>(at offset: Int, as type: T.Type) -> T {
    T(littleEndian: unsafe loadUnaligned(fromByteOffset: offset, as: T.self))
  }

  /// The integer of an RDB string stored integer-encoded (`11000000`–`11000010`): `marker` 0,
  /// 1 or 2, then its 1, 2 or 4 bytes (`1 << marker`), little-endian, at `offset`.
  @inline(__always)
  func encodedInteger(marker: Int, at offset: Int) -> Int64 {
    switch marker {
    case 0: Int64(Int8(bitPattern: unsafe self[offset]))
    case 1: Int64(unsafe littleEndian(at: offset, as: Int16.self))
    default: Int64(unsafe littleEndian(at: offset, as: Int32.self))
    }
  }
}
