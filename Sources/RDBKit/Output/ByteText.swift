/// The lossless text form of a byte string, for outputs whose readers want text (JSON lines
/// with ``ByteStringStyle/text``, CSV): valid UTF-8 is kept as it is, except that a backslash
/// is written as two (`\\`), and every byte that is not part of a valid UTF-8 sequence is
/// written as `\xHH` (two lowercase hex digits).
///
/// Reading it back is unambiguous: a backslash is always followed by a second backslash or by
/// `x` and two hex digits. Names that are plain UTF-8 without a backslash, nearly all of them,
/// read the same in both forms, so `WHERE key = 'user:1'` finds them.
///
///     "caf\xc3\xa9"         (valid UTF-8)    →  café
///     "\xff\xfe:id"         (not UTF-8)      →  \xff\xfe:id
///     "C:\temp"             (a backslash)    →  C:\\temp
enum ByteText {
  /// Whether `bytes` is its own text form: valid UTF-8 without a backslash.
  @inline(__always)
  static func isPlain(_ bytes: UnsafeRawBufferPointer) -> Bool {
    unsafe !bytes.contains(UInt8(ascii: "\\")) && JSONText.isValidUTF8(bytes)
  }

  /// The text form of `bytes`, which is always valid UTF-8.
  ///
  /// - Complexity: O(*n*) in the length of `bytes`.
  static func escaped(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
    var text: [UInt8] = []
    text.reserveCapacity(bytes.count + 8)
    var index = 0
    while index < bytes.count {
      let byte = unsafe bytes[index]
      if byte == UInt8(ascii: "\\") {
        text += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
        index += 1
      } else if byte < 0x80 {
        text.append(byte)
        index += 1
      } else if let length = unsafe JSONText.sequenceLength(bytes, at: index) {
        unsafe text.append(contentsOf: bytes[index..<(index + length)])
        index += length
      } else {
        text += [UInt8(ascii: "\\"), UInt8(ascii: "x"), hexDigits[Int(byte >> 4)]]
        text.append(hexDigits[Int(byte & 15)])
        index += 1
      }
    }
    return text
  }

  private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
