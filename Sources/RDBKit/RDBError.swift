/// An error found while reading or decoding an RDB stream.
///
/// Every error names what was wrong (``kind``), the absolute byte offset in the input where
/// decoding failed (``offset``), and the key being decoded when there is one (``key``).
///
///     rdbtool: dump.rdb: byte 48213: file ends early: needed 8 bytes, 3 left (key "user:42")
public struct RDBError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong.
  public enum Kind: Sendable, Equatable, CustomStringConvertible {
    /// The input ends before a field that needs `needed` bytes; `available` remain.
    case truncated(needed: Int, available: Int)
    /// The file does not start with `REDIS` or `VALKEY` followed by a decimal version.
    case badMagic
    /// The header's version is one this parser does not read.
    case unsupportedVersion(Int, magic: String)
    /// A length (of a string, blob or count) claims more bytes than the input has left.
    case lengthTooLarge(UInt64)
    /// A length-encoding byte that no writer produces (`0x82`–`0xBF`, or a special encoding
    /// where a plain length is required).
    case invalidLengthEncoding(UInt8)
    /// A string-encoding marker other than INT8/16/32 and LZF.
    case invalidStringEncoding(UInt8)
    /// A type or opcode byte that this version does not define.
    case unknownType(UInt8)
    /// LZF data that does not decompress to exactly the announced length.
    case corruptLZF(String)
    /// A ziplist, listpack, intset, zipmap or stream structure whose inner fields disagree.
    case corruptStructure(structure: String, reason: String)
    /// A value that is well framed but not allowed (a NaN score, a field TTL out of range …).
    case invalidValue(String)
    /// A module value or opcode that cannot be read without the module.
    case unreadableModule(String)
    /// The CRC-64 trailer does not match the bytes.
    case checksumMismatch(expected: UInt64, actual: UInt64)
    /// The underlying input (a pipe, a socket, an HTTP body) failed.
    case readFailed(String)
    /// A handler could not go on (its output failed, for example).
    case handlerFailed(String)
    /// The input is compressed in a format this parser does not decompress (lz4, bzip2, xz).
    case compressed(String)

    public var description: String {
      switch self {
      case .truncated(let needed, let available):
        return "file ends early: needed \(needed) bytes, \(available) left"
      case .badMagic:
        return "not an RDB file: it does not start with REDIS or VALKEY and a version number"
      case .unsupportedVersion(let version, let magic):
        let newest = "newest: \(RDBVersion.newestRedis), Valkey \(RDBVersion.newestValkey)"
        if magic == "VALKEY" {
          return "Valkey RDB version \(version) is not one this rdbtool understands (it reads 80)"
        }
        if version == 14 {
          return "RDB 14, written by Redis 8.8 or newer, is newer than this rdbtool understands "
            + "(\(newest))"
        }
        if version > RDBVersion.newestRedis {
          return "RDB \(version), written by a Redis newer than 8.8, is newer than this rdbtool "
            + "understands (\(newest))"
        }
        return "RDB version \(version) is not one this rdbtool understands (\(newest))"
      case .lengthTooLarge(let length):
        return "length \(length) runs past the end of the input"
      case .invalidLengthEncoding(let byte):
        return "invalid length encoding byte 0x\(hex(byte))"
      case .invalidStringEncoding(let byte):
        return "invalid string encoding 0x\(hex(byte))"
      case .unknownType(let byte):
        return "unknown value type or opcode \(byte) (0x\(hex(byte)))"
      case .corruptLZF(let reason):
        return "corrupt LZF string: \(reason)"
      case .corruptStructure(let structure, let reason):
        return "corrupt \(structure): \(reason)"
      case .invalidValue(let reason):
        return reason
      case .unreadableModule(let reason):
        return reason
      case .checksumMismatch(let expected, let actual):
        return "checksum mismatch: file says 0x\(hex(expected)), bytes give 0x\(hex(actual))"
      case .readFailed(let reason):
        return "read failed: \(reason)"
      case .handlerFailed(let reason):
        return reason
      case .compressed(let format):
        return "the input is \(format)-compressed, which rdbtool does not read (it reads gzip "
          + "and zstd): decompress it first, e.g. \(format) -dc FILE | rdbtool verify -"
      }
    }
  }

  /// What went wrong.
  public var kind: Kind
  /// The absolute input offset of the first byte that could not be decoded.
  public var offset: Int
  /// The key being decoded, as lossy UTF-8, when the error happened inside a key.
  public var key: String?

  /// Creates an error of `kind` at the absolute input `offset`, inside `key` if given.
  public init(_ kind: Kind, at offset: Int, key: String? = nil) {
    self.kind = kind
    self.offset = offset
    self.key = key
  }

  /// `byte <offset>: <what> (key "<key>")`, the form rdbtool prints after the file name.
  public var description: String {
    var text = "byte \(offset): \(kind)"
    if let key { text += " (key \"\(Self.printable(key))\")" }
    return text
  }

  /// `<what> at byte <offset> (key "<key>")`, the form rdbtool prints after an input's name
  /// and verdict; the key is shown as ``description`` shows it.
  public var located: String { Self.located("\(kind)", at: offset, key: key) }

  /// `<what> at byte <offset> (key "<key>")`, the key made ``printable(_:)``.
  static func located(_ what: String, at offset: Int, key: String?) -> String {
    var text = "\(what) at byte \(offset)"
    if let key { text += " (key \"\(printable(key))\")" }
    return text
  }

  /// The longest key name an error message shows, in characters.
  static let keyNameLimit = 120

  /// A key name fit for one line of a terminal: control characters escaped as `\xNN`, `"` and
  /// `\` with a backslash, and cut after ``keyNameLimit`` characters with the full length said
  /// (a damaged file can make a "key" of megabytes of binary data).
  static func printable(_ name: String) -> String {
    var text = ""
    for (index, scalar) in name.unicodeScalars.enumerated() {
      if index == keyNameLimit { return text + "… (\(name.utf8.count) bytes)" }
      switch scalar {
      case "\"", "\\":
        text += "\\\(scalar)"
      case _ where scalar.value < 0x20 || scalar.value == 0x7F:
        text += "\\x" + String(scalar.value, radix: 16).leftPadded(2)
      default:
        text.unicodeScalars.append(scalar)
      }
    }
    return text
  }
}

extension String {
  /// The string with leading zeros up to `width` characters.
  fileprivate func leftPadded(_ width: Int) -> String {
    String(repeating: "0", count: max(0, width - count)) + self
  }
}

private func hex<T: BinaryInteger>(_ value: T) -> String {
  String(value, radix: 16)
}
