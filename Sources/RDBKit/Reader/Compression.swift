/// A compression format recognised by the magic bytes an input starts with.
///
/// gzip and zstd are read directly (``DecompressingInput``); the others are named in an
/// error that says how to decompress them first.
public enum Compression: Sendable, Equatable {
  /// gzip (RFC 1952): `1F 8B`.
  case gzip
  /// Zstandard frames: `28 B5 2F FD`.
  case zstd
  /// LZ4 frames: `04 22 4D 18`.
  case lz4
  /// bzip2: `BZh`.
  case bzip2
  /// xz: `FD 37 7A 58 5A 00`.
  case xz

  /// The longest magic this type recognises, in bytes.
  static let longestMagic = 6

  /// The format `prefix` (an input's first bytes) starts with, or nil for anything else,
  /// an RDB file included.
  public static func detect(_ prefix: some Collection<UInt8>) -> Compression? {
    let bytes = Array(prefix.prefix(longestMagic))
    func starts(_ magic: [UInt8]) -> Bool { bytes.starts(with: magic) }
    if starts([0x1F, 0x8B]) { return .gzip }
    if starts([0x28, 0xB5, 0x2F, 0xFD]) { return .zstd }
    if starts([0x04, 0x22, 0x4D, 0x18]) { return .lz4 }
    if starts([0x42, 0x5A, 0x68]) { return .bzip2 }
    if starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return .xz }
    return nil
  }

  /// The format's usual name, which is also its command-line tool's.
  public var name: String {
    switch self {
    case .gzip: return "gzip"
    case .zstd: return "zstd"
    case .lz4: return "lz4"
    case .bzip2: return "bzip2"
    case .xz: return "xz"
    }
  }

  /// Whether rdbtool decompresses this format as it reads.
  public var isReadable: Bool { self == .gzip || self == .zstd }
}
