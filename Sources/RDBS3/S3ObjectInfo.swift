import RDBKit

/// What HeadObject or a listing says about one object.
public struct S3ObjectInfo: Sendable, Equatable {
  /// The object key.
  public var key: String
  /// The size in bytes.
  public var size: Int64
  /// The ETag, with its quotes, as S3 sends it (`"…"` or `"…-128"` for multipart uploads).
  public var eTag: String
  /// The `Last-Modified` header or `<LastModified>` text, if any.
  public var lastModified: String?

  /// Creates an object description.
  public init(key: String, size: Int64, eTag: String, lastModified: String? = nil) {
    self.key = key
    self.size = size
    self.eTag = eTag
    self.lastModified = lastModified
  }
}
