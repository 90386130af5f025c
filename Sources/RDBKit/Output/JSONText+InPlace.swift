extension JSONText {
  /// The longest value ``appendValue(notPlain:style:to:)`` stores in one reservation: one
  /// that might need six times its length.
  static let longestStoredValue = 1024

  /// The most bytes ``storeValue(notPlain:style:at:)`` stores for a value of `count` bytes:
  /// six for each (a control character's `\u00XX`) and the quotes, or a base64 object.
  @inline(__always)
  static func mostStoredBytes(notPlain count: Int) -> Int { count &* 6 &+ 16 }

  /// Stores `bytes`, which are not all plain ASCII unless the style is base64, at `out` as
  /// the JSON value ``appendValue(notPlain:style:to:)`` appends in `style`, the same bytes,
  /// and returns its length. `out` has room for ``mostStoredBytes(notPlain:)``. One pass for
  /// the escapes where the appending took one for the form and one more for the escapes.
  @unsafe static func storeValue(
    notPlain bytes: UnsafeRawBufferPointer, style: ByteStringStyle, at out: UnsafeMutableRawPointer
  ) -> Int {
    switch style {
    case .utf8:
      guard unsafe isValidUTF8(bytes) else { return unsafe storeBase64Object(bytes, at: out) }
      return unsafe storeEscaped(bytes, lossless: false, at: out)
    case .text:
      return unsafe storeEscaped(bytes, lossless: !ByteText.isPlain(bytes), at: out)
    case .base64:
      let encoded = (bytes.count &+ 2) / 3 &* 4
      unsafe out.storeBytes(of: UInt8(ascii: "\""), as: UInt8.self)
      unsafe storeBase64(bytes, at: out + 1)
      unsafe out.storeBytes(of: UInt8(ascii: "\""), toByteOffset: encoded &+ 1, as: UInt8.self)
      return encoded &+ 2
    }
  }

  /// Stores `{"base64":"…"}` of `bytes` at `out`, which has room for it, and returns its
  /// length.
  @unsafe static func storeBase64Object(
    _ bytes: UnsafeRawBufferPointer, at out: UnsafeMutableRawPointer
  ) -> Int {
    let encoded = (bytes.count &+ 2) / 3 &* 4
    let opening: StaticString = "{\"base64\":\""
    unsafe out.copyMemory(from: opening.utf8Start, byteCount: 11)
    unsafe storeBase64(bytes, at: out + 11)
    unsafe out.storeBytes(
      of: (0x7D22 as UInt16).littleEndian, toByteOffset: encoded &+ 11, as: UInt16.self)
    return encoded &+ 13
  }

  /// Stores a JSON string of `bytes` at `out`, which has room for six bytes each and the
  /// quotes, and returns its length: what ``appendEscaped(_:to:)`` appends of valid UTF-8
  /// (then `lossless` is false: eight bytes at a time while none needs an escape), or when
  /// `lossless`, of their ``ByteText`` form (a backslash doubled, a byte outside a valid
  /// UTF-8 sequence as `\xHH`, both then escaped).
  @unsafe static func storeEscaped(
    _ bytes: UnsafeRawBufferPointer, lossless: Bool, at out: UnsafeMutableRawPointer
  ) -> Int {
    unsafe out.storeBytes(of: UInt8(ascii: "\""), as: UInt8.self)
    var position = 1
    var index = 0
    let count = bytes.count
    while index < count {
      if !lossless, index &+ 8 <= count {
        let word = unsafe bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
        if !needsEscape(word) {
          unsafe out.storeBytes(of: word, toByteOffset: position, as: UInt64.self)
          index &+= 8
          position &+= 8
          continue
        }
      }
      let byte = unsafe bytes[index]
      if byte >= 0x80 {
        if !lossless {
          // Part of a sequence of the valid UTF-8 given.
          unsafe out.storeBytes(of: byte, toByteOffset: position, as: UInt8.self)
          index &+= 1
          position &+= 1
        } else if let length = unsafe sequenceLength(bytes, at: index) {
          for offset in 0..<length {
            unsafe out.storeBytes(
              of: bytes[index &+ offset], toByteOffset: position &+ offset, as: UInt8.self)
          }
          index &+= length
          position &+= length
        } else {
          // `\\x` and the byte's two hex digits: `\xHH` with its backslash escaped.
          unsafe out.storeBytes(
            of: (0x785C_5C as UInt32).littleEndian, toByteOffset: position, as: UInt32.self)
          unsafe storeHexDigits(of: byte, at: out + (position &+ 3))
          index &+= 1
          position &+= 5
        }
        continue
      }
      index &+= 1
      let escape: UInt8
      switch byte {
      case UInt8(ascii: "\""): escape = UInt8(ascii: "\"")
      case UInt8(ascii: "\\"):
        if lossless {
          // The backslash doubled, each escaped.
          unsafe out.storeBytes(
            of: (0x5C5C_5C5C as UInt32).littleEndian, toByteOffset: position, as: UInt32.self)
          position &+= 4
          continue
        }
        escape = UInt8(ascii: "\\")
      case 0x0A: escape = UInt8(ascii: "n")
      case 0x0D: escape = UInt8(ascii: "r")
      case 0x09: escape = UInt8(ascii: "t")
      case 0..<0x20:
        // `\u00` and the byte's two hex digits.
        unsafe out.storeBytes(
          of: (0x3030_755C as UInt32).littleEndian, toByteOffset: position, as: UInt32.self)
        unsafe storeHexDigits(of: byte, at: out + (position &+ 4))
        position &+= 6
        continue
      default:
        unsafe out.storeBytes(of: byte, toByteOffset: position, as: UInt8.self)
        position &+= 1
        continue
      }
      unsafe out.storeBytes(of: UInt8(ascii: "\\"), toByteOffset: position, as: UInt8.self)
      unsafe out.storeBytes(of: escape, toByteOffset: position &+ 1, as: UInt8.self)
      position &+= 2
    }
    unsafe out.storeBytes(of: UInt8(ascii: "\""), toByteOffset: position, as: UInt8.self)
    return position &+ 1
  }

  /// Stores the two hex digits of `byte` (``hexText``) at `out`.
  @inline(__always)
  @unsafe private static func storeHexDigits(of byte: UInt8, at out: UnsafeMutableRawPointer) {
    let hex = unsafe UnsafeRawPointer(hexText.utf8Start)
    unsafe out.storeBytes(
      of: hex.load(fromByteOffset: Int(byte >> 4), as: UInt8.self), as: UInt8.self)
    unsafe out.storeBytes(
      of: hex.load(fromByteOffset: Int(byte & 15), as: UInt8.self), toByteOffset: 1,
      as: UInt8.self)
  }

  /// The hex digits of the escapes, lowercase.
  private static let hexText: StaticString = "0123456789abcdef"
}
