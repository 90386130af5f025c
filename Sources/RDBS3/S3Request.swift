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
  /// Extra headers to sign and send (`Range`, `If-Match`, `Content-MD5`).
  var headers: [HTTPHeader] = []
  /// The request body (a part, an XML document); empty for most calls.
  var body: [UInt8] = []
  /// What is signed as the payload: the hex SHA-256 of `body`, or
  /// ``SigV4Signer/unsignedPayload`` when another checksum (`Content-MD5`) guards the body.
  var payloadHash = SigV4Signer.emptyPayloadHash
}
