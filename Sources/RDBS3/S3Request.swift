import RDBKit

/// One S3 API call before addressing and signing.
struct S3Request: Sendable {
  /// The operation name used in errors (`GetObject`, `ListObjectsV2`, …).
  var operation: String
  /// The HTTP method.
  var method: String = "GET"
  /// The bucket.
  var bucket: String
  /// The object key; nil for bucket-level calls.
  var key: String?
  /// Decoded query parameters (`acl` with an empty value for `?acl`).
  var query: [(name: String, value: String)] = []
  /// Extra headers to sign and send (`Range`, `If-Match`).
  var headers: [HTTPHeader] = []
}
