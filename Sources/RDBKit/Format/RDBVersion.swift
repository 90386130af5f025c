/// The file header: which magic the writer used and the RDB version number.
///
/// Redis writes `REDIS` and four digits (`REDIS0012`); Valkey 9 writes `VALKEY` and three
/// digits (`VALKEY080`). The magic decides what type 22 and opcode 0xF3 mean.
public struct RDBVersion: Sendable, Equatable, CustomStringConvertible {
  /// The header magic.
  public enum Magic: String, Sendable {
    /// `REDIS`, written by every Redis and by Valkey before 9.0.
    case redis = "REDIS"
    /// `VALKEY`, written by Valkey 9.0 and later.
    case valkey = "VALKEY"
  }

  /// The newest `REDIS` version this parser reads.
  public static let newestRedis = 13
  /// The newest `VALKEY` version this parser reads.
  public static let newestValkey = 80

  /// The header magic.
  public var magic: Magic
  /// The version number after the magic.
  public var number: Int

  /// Creates a version; no range check.
  public init(magic: Magic, number: Int) {
    self.magic = magic
    self.number = number
  }

  /// `REDIS0011` or `VALKEY080`, as in the file.
  public var description: String {
    switch magic {
    case .redis:
      return "REDIS" + String(repeating: "0", count: max(0, 4 - "\(number)".count)) + "\(number)"
    case .valkey:
      return "VALKEY" + String(repeating: "0", count: max(0, 3 - "\(number)".count)) + "\(number)"
    }
  }

  /// Whether the file ends with an 8-byte CRC-64 after the EOF opcode (RDB 5 and later).
  public var hasChecksum: Bool { number >= 5 }

  /// Whether type 22 is Valkey's HASH_2 rather than Redis's pre-GA hash-metadata type.
  var isValkey: Bool { magic == .valkey }

  /// Whether opcode 0xF3 is `KEY_META` and type 26 a stream with an IDMP tail (Redis 8.6,
  /// `REDIS0013`).
  var isRedis13OrLater: Bool { magic == .redis && number >= 13 }

  /// Parses the 9-byte header.
  ///
  /// - Throws: ``RDBError/Kind/badMagic`` for anything but `REDIS`+4 digits or
  ///   `VALKEY`+3 digits; ``RDBError/Kind/unsupportedVersion(_:magic:)`` for a version
  ///   outside 1…13 (`REDIS`) or other than 80 (`VALKEY`).
  static func parse(_ header: [UInt8]) throws(RDBError) -> RDBVersion {
    let redis: [UInt8] = Array("REDIS".utf8)
    let valkey: [UInt8] = Array("VALKEY".utf8)
    let magic: Magic
    let digits: ArraySlice<UInt8>
    if header.count == 9, header.starts(with: redis) {
      magic = .redis
      digits = header[5..<9]
    } else if header.count == 9, header.starts(with: valkey) {
      magic = .valkey
      digits = header[6..<9]
    } else {
      throw RDBError(.badMagic, at: 0)
    }
    var number = 0
    for digit in digits {
      guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else {
        throw RDBError(.badMagic, at: 0)
      }
      number = number * 10 + Int(digit - UInt8(ascii: "0"))
    }
    let supported =
      magic == .redis ? (1...newestRedis).contains(number) : number == newestValkey
    guard supported else {
      throw RDBError(.unsupportedVersion(number, magic: magic.rawValue), at: 0)
    }
    return RDBVersion(magic: magic, number: number)
  }
}
