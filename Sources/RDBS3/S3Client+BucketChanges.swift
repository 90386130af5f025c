import RDBKit

extension S3Client {
  /// One bucket-changing request, as `prepare-bucket --dry-run` prints it and as it is sent.
  public struct BucketChange: Sendable, Equatable {
    /// The S3 operation (`CreateBucket`, `PutBucketAcl`, …).
    public var operation: String
    /// The HTTP method.
    public var method: String
    /// The bucket.
    public var bucket: String
    /// The query parameter naming the sub-resource (`acl`, `policy`, `ownershipControls`), or
    /// nil for the bucket itself.
    public var subresource: String?
    /// Headers sent besides the signing ones.
    public var headers: [HTTPHeader]
    /// The body.
    public var body: String

    /// CreateBucket in `region`, with `ownership` as its Object Ownership: the
    /// `LocationConstraint` body everywhere but us-east-1, which takes none.
    public static func createBucket(_ bucket: String, region: String, ownership: S3ObjectOwnership)
      -> BucketChange
    {
      let body =
        region == "us-east-1"
        ? ""
        : "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
          + "<LocationConstraint>\(region)</LocationConstraint></CreateBucketConfiguration>"
      var headers = [HTTPHeader("x-amz-object-ownership", ownership.rawValue)]
      if !body.isEmpty { headers.append(HTTPHeader("Content-Type", "application/xml")) }
      return BucketChange(
        operation: "CreateBucket", method: "PUT", bucket: bucket, subresource: nil,
        headers: headers, body: body)
    }

    /// PutBucketOwnershipControls with `ownership`.
    public static func ownershipControls(_ bucket: String, _ ownership: S3ObjectOwnership)
      -> BucketChange
    {
      change("PutBucketOwnershipControls", bucket, "ownershipControls", ownership.xml)
    }

    /// PutBucketAcl with `acl`, which replaces the whole ACL.
    public static func acl(_ bucket: String, _ acl: S3BucketACL) -> BucketChange {
      change("PutBucketAcl", bucket, "acl", acl.xml)
    }

    /// PutBucketPolicy with the policy document `json`, which replaces the whole policy.
    public static func policy(_ bucket: String, _ json: String) -> BucketChange {
      change("PutBucketPolicy", bucket, "policy", json)
    }

    private static func change(
      _ operation: String, _ bucket: String, _ query: String, _ body: String
    )
      -> BucketChange
    {
      // S3 wants Content-MD5 on PutBucketAcl and PutBucketOwnershipControls; it is harmless
      // on PutBucketPolicy and lets S3 check the body there too. An explicit Content-Type
      // keeps libcurl from labelling the body a form, which a server may then parse as one.
      BucketChange(
        operation: operation, method: "PUT", bucket: bucket, subresource: query,
        headers: [
          HTTPHeader("Content-MD5", Digest.md5Base64(Array(body.utf8))),
          HTTPHeader("Content-Type", query == "policy" ? "application/json" : "application/xml"),
        ], body: body)
    }
  }

  /// The URL `change` goes to.
  public func url(of change: BucketChange) -> String {
    let query = change.subresource.map { SigV4Signer.canonicalQuery([($0, "")]) } ?? ""
    return endpoint.location(
      bucket: change.bucket, key: nil, query: query, region: region(for: change.bucket)
    ).url
  }

  /// Sends `change` (with retries) and returns when S3 accepted it.
  /// - Throws: ``S3Error`` with S3's code (`AccessControlListNotSupported`,
  ///   `BucketAlreadyExists`, `MalformedPolicy`, …).
  public func apply(_ change: BucketChange) throws(S3Error) {
    let request = S3Request(
      operation: change.operation, method: change.method, bucket: change.bucket,
      query: change.subresource.map { [($0, "")] } ?? [], headers: change.headers,
      body: Array(change.body.utf8),
      payloadHash: Digest.sha256Hex(Array(change.body.utf8)))
    _ = try sendCollecting(request)
  }
}
