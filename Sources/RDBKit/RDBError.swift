/// An error found while reading or decoding an RDB stream.
///
/// Placeholder on the `s3` branch: the parser branch owns the full type (same initializer, more
/// kinds) and replaces this file at merge time.
public struct RDBError: Error, Sendable, Equatable {
  /// What went wrong.
  public enum Kind: Sendable, Equatable {
    /// The input could not be read; the string says why (an S3 or I/O failure).
    case readFailed(String)
  }

  /// What went wrong.
  public var kind: Kind
  /// The absolute offset of the first byte that could not be read or decoded.
  public var offset: Int
  /// The key being decoded, if any.
  public var key: String?

  /// Creates an error of `kind` at byte `offset`, optionally naming the key being decoded.
  public init(_ kind: Kind, at offset: Int, key: String? = nil) {
    self.kind = kind
    self.offset = offset
    self.key = key
  }
}
