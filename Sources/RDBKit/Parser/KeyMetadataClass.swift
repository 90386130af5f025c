/// One class of per-key module metadata (`KEY_META`, opcode 243, RDB 13): which class wrote
/// it, decoded from the 4-byte class spec that precedes its items in the file.
///
/// The spec is a little-endian `UInt32`: bits 31–8 hold the 4-character class name at 6 bits
/// per character (`A`–`Z`, `a`–`z`, `0`–`9`, `_`, `-`), bits 7–3 the class version and
/// bits 2–0 the flags (bit 0: ALLOW_IGNORE, a server without the class may drop the data).
///
///     KeyMetadataClass(spec: 0x28C4_F509)  // "KMT1", version 1, flags 1
public struct KeyMetadataClass: Sendable, Equatable, CustomStringConvertible {
  /// The spec as stored in the file.
  public var spec: UInt32

  /// Decodes nothing up front; the fields below are read from `spec`.
  public init(spec: UInt32) {
    self.spec = spec
  }

  /// The 4-character class name, such as `KMT1`.
  public var name: String {
    let charset = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
    var characters: [Character] = []
    for index in 0..<4 {
      let shift = UInt32(26 - 6 * index)
      characters.append(charset[Int((spec >> shift) & 63)])
    }
    return String(characters)
  }

  /// The class version, 0…31, which the class's loader receives.
  public var version: Int { Int((spec >> 3) & 31) }
  /// The flag bits, 0…7.
  public var flags: Int { Int(spec & 7) }
  /// Whether a server that lacks the class may ignore this metadata (flag bit 0).
  public var allowsIgnore: Bool { spec & 1 != 0 }

  /// `KMT1 (version 1, flags 1)`.
  public var description: String { "\(name) (version \(version), flags \(flags))" }
}
