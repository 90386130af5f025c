import RDBKit

/// An `s3://bucket/key` location.
///
/// The key is taken literally (no percent-decoding), as the AWS CLI does; it may be empty,
/// which names the bucket or a prefix for listing.
///
///     let url = try S3URL(parsing: "s3://rdb-exports/nightly/cache-0001.rdb")
///     url.bucket  // "rdb-exports"
///     url.key     // "nightly/cache-0001.rdb"
public struct S3URL: Sendable, Equatable, Hashable, CustomStringConvertible {
  /// The bucket name.
  public var bucket: String
  /// The object key or prefix, possibly empty.
  public var key: String

  /// Creates a location from its parts; the bucket is checked as in ``init(parsing:)``.
  public init(bucket: String, key: String) throws(S3Error) {
    guard Self.isValidBucketName(bucket) else {
      throw S3Error(
        .invalidURL, bucket: bucket,
        message: "'\(bucket)' is not a valid bucket name: use 3-63 characters of a-z, 0-9, '.', '-'"
      )
    }
    self.bucket = bucket
    self.key = key
  }

  /// Parses `s3://bucket[/key]`.
  /// - Throws: ``S3Error`` of kind `.invalidURL` when the scheme is not `s3://` or the bucket
  ///   name has characters S3 never allowed.
  public init(parsing text: String) throws(S3Error) {
    guard text.hasPrefix("s3://") else {
      throw S3Error(.invalidURL, message: "'\(text)' does not start with s3://")
    }
    let rest = text.dropFirst(5)
    let slash = rest.firstIndex(of: "/") ?? rest.endIndex
    let bucket = String(rest[..<slash])
    let key = slash < rest.endIndex ? String(rest[rest.index(after: slash)...]) : ""
    try self.init(bucket: bucket, key: key)
  }

  /// `s3://bucket/key`.
  public var description: String { "s3://\(bucket)/\(key)" }

  /// Whether the bucket name is DNS-compatible (see ``isDNSCompatible(bucket:)``).
  public var hasDNSCompatibleBucket: Bool { Self.isDNSCompatible(bucket: bucket) }

  /// Whether `bucket` is a name S3 ever accepted: 3-255 characters of letters, digits, `.`,
  /// `-` and `_` (legacy us-east-1 names allow upper case and `_`).
  public static func isValidBucketName(_ bucket: String) -> Bool {
    guard (3...255).contains(bucket.utf8.count) else { return false }
    return bucket.utf8.allSatisfy { byte in
      isLowerOrDigit(byte) || (byte >= 65 && byte <= 90) || byte == 46 || byte == 45 || byte == 95
    }
  }

  /// Whether `bucket` follows S3's current (DNS-compatible) naming rules, which virtual-hosted
  /// addressing and ElastiCache exports require.
  ///
  /// The rules: 3-63 characters; lower-case letters, digits, `.` and `-`; begins and ends with
  /// a letter or digit; no `..`, `.-` or `-.`; not an IPv4 address; no `xn--`, `sthree-` or
  /// `amzn-s3-demo-` prefix; no `-s3alias`, `--ol-s3`, `.mrap` or `--x-s3` suffix.
  public static func isDNSCompatible(bucket: String) -> Bool {
    let bytes = Array(bucket.utf8)
    guard (3...63).contains(bytes.count),
      let first = bytes.first, let last = bytes.last, isLowerOrDigit(first), isLowerOrDigit(last),
      bytes.allSatisfy({ isLowerOrDigit($0) || $0 == 46 || $0 == 45 }),
      !bucket.contains(".."), !bucket.contains(".-"), !bucket.contains("-.")
    else { return false }
    for prefix in ["xn--", "sthree-", "amzn-s3-demo-"] where bucket.hasPrefix(prefix) {
      return false
    }
    for suffix in ["-s3alias", "--ol-s3", ".mrap", "--x-s3"] where bucket.hasSuffix(suffix) {
      return false
    }
    let labels = bucket.split(separator: ".", omittingEmptySubsequences: false)
    let looksLikeIPv4 = labels.count == 4 && labels.allSatisfy { UInt8($0) != nil }
    return !looksLikeIPv4
  }

  private static func isLowerOrDigit(_ byte: UInt8) -> Bool {
    (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57)
  }
}
