/// A key name or prefix as text for reports: UTF-8 as it is, unless it holds a line break or
/// is not UTF-8, when printable ASCII stays and every other byte (and `\`) is `\xHH`.
///
/// The result is never longer than four characters a byte and holds no control character,
/// and text it produced maps to itself.
public enum KeyText {
  /// The text of `bytes`.
  ///
  /// - Complexity: O(*n*).
  public static func text(_ bytes: some Collection<UInt8>) -> String {
    if let text = String(validating: Array(bytes), as: UTF8.self),
      !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
    {
      return text
    }
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    for byte in bytes {
      if byte >= 0x20, byte < 0x7F, byte != 0x5C {
        out.append(byte)
      } else {
        out += [0x5C, UInt8(ascii: "x"), digits[Int(byte >> 4)], digits[Int(byte & 0xF)]]
      }
    }
    return String(decoding: out, as: UTF8.self)
  }
}
