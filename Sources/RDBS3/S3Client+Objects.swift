import Foundation
import RDBKit

extension S3Client {
  /// HeadObject: the size and ETag of `key`.
  /// - Throws: ``S3Error`` (`.noSuchKey`, `.accessDenied`, …; HEAD errors carry no body, so the
  ///   kind comes from the status).
  public func headObject(bucket: String, key: String) throws(S3Error) -> S3ObjectInfo {
    let request = S3Request(operation: "HeadObject", method: "HEAD", bucket: bucket, key: key)
    let response: HTTPResponse
    do {
      response = try sendCollecting(request)
    } catch {
      // A HEAD answer has no body, so a 403 or 404 does not say why (wrong secret? no
      // bucket?). A one-byte GET of the same object gets the error code that does.
      guard error.message == nil, error.httpStatus == 403 || error.httpStatus == 404 else {
        throw error
      }
      _ = try getObject(bucket: bucket, key: key, range: 0...0, ifMatch: nil)
      throw error
    }
    guard let length = response.header("Content-Length").flatMap({ Int64($0) }),
      let eTag = response.header("ETag")
    else {
      throw S3Error(
        .invalidResponse, operation: "HeadObject", bucket: bucket, key: key,
        httpStatus: response.status, message: "HeadObject answer lacks Content-Length or ETag")
    }
    return S3ObjectInfo(
      key: key, size: length, eTag: eTag, lastModified: response.header("Last-Modified"))
  }

  /// GetObjectAcl: the grants of one object (the same document as a bucket's ACL).
  public func objectACL(bucket: String, key: String) throws(S3Error) -> S3BucketACL {
    let request = S3Request(
      operation: "GetObjectAcl", bucket: bucket, key: key, query: [("acl", "")])
    let response = try sendCollecting(request)
    guard let acl = S3BucketACL(xml: response.body) else {
      throw S3Error(
        .invalidResponse, operation: "GetObjectAcl", bucket: bucket, key: key,
        httpStatus: response.status, message: "not an AccessControlPolicy document")
    }
    return acl
  }

  /// GetObject into memory, optionally a byte range and only if the ETag still matches.
  ///
  /// For large objects use ``objectInput(bucket:key:options:)``, which streams in parallel.
  /// - Parameters:
  ///   - bucket: The bucket.
  ///   - key: The object key.
  ///   - range: Inclusive byte offsets; nil for the whole object.
  ///   - ifMatch: An ETag the object must still have (412 → `.objectChanged` otherwise).
  /// - Returns: The body bytes.
  /// - Throws: ``S3Error`` after the retry policy is exhausted or on a permanent failure.
  public func getObject(
    bucket: String, key: String, range: ClosedRange<Int64>? = nil, ifMatch: String? = nil
  ) throws(S3Error) -> [UInt8] {
    var request = S3Request(operation: "GetObject", bucket: bucket, key: key)
    if let range {
      request.headers.append(HTTPHeader("Range", "bytes=\(range.lowerBound)-\(range.upperBound)"))
    }
    if let ifMatch { request.headers.append(HTTPHeader("If-Match", ifMatch)) }
    return try sendCollecting(request).body
  }

  /// One ListObjectsV2 page of keys under `prefix`.
  /// - Parameters:
  ///   - bucket: The bucket.
  ///   - prefix: Only keys starting with this (sent without a delimiter).
  ///   - continuationToken: The previous page's ``S3ListPage/nextContinuationToken``.
  ///   - maxKeys: The page size to ask for; nil lets the server choose (1000 on S3).
  /// - Returns: The page's objects and the next token.
  /// - Throws: ``S3Error``; `.accessDenied` names s3:ListBucket.
  public func listObjectsPage(
    bucket: String, prefix: String = "", continuationToken: String? = nil, maxKeys: Int? = nil
  ) throws(S3Error) -> S3ListPage {
    var request = S3Request(operation: "ListObjectsV2", bucket: bucket)
    request.query = [("list-type", "2"), ("encoding-type", "url")]
    if !prefix.isEmpty { request.query.append(("prefix", prefix)) }
    if let continuationToken { request.query.append(("continuation-token", continuationToken)) }
    if let maxKeys { request.query.append(("max-keys", String(maxKeys))) }
    let response = try sendCollecting(request)
    guard let root = XMLNode.parse(response.body), root.name == "ListBucketResult" else {
      throw S3Error(
        .invalidResponse, operation: "ListObjectsV2", bucket: bucket, key: prefix,
        httpStatus: response.status, message: "not a ListBucketResult document")
    }
    let encoded = root.text(of: "EncodingType") == "url"
    let objects = root.children("Contents").compactMap { node -> S3ObjectInfo? in
      guard let rawKey = node.text(of: "Key") else { return nil }
      let key = encoded ? (rawKey.removingPercentEncoding ?? rawKey) : rawKey
      return S3ObjectInfo(
        key: key, size: node.text(of: "Size").flatMap { Int64($0) } ?? 0,
        eTag: node.text(of: "ETag") ?? "", lastModified: node.text(of: "LastModified"))
    }
    let truncated = root.text(of: "IsTruncated") == "true"
    let token = root.text(of: "NextContinuationToken").flatMap { $0.isEmpty ? nil : $0 }
    return S3ListPage(objects: objects, nextContinuationToken: truncated ? token : nil)
  }

  /// Every object under `prefix`, following continuation tokens across pages.
  /// - Complexity: One request per page.
  public func listObjects(bucket: String, prefix: String = "") throws(S3Error) -> [S3ObjectInfo] {
    var objects: [S3ObjectInfo] = []
    var token: String?
    repeat {
      let page = try listObjectsPage(bucket: bucket, prefix: prefix, continuationToken: token)
      objects += page.objects
      token = page.nextContinuationToken
    } while token != nil
    return objects
  }

  /// A streaming reader of `key` with parallel ranged GETs (see ``S3ObjectInput``).
  ///
  /// Sends HeadObject first, so a missing key or a denied read fails here.
  public func objectInput(
    bucket: String, key: String, options: S3ObjectInput.Options = S3ObjectInput.Options()
  ) throws(S3Error) -> S3ObjectInput {
    let info = try headObject(bucket: bucket, key: key)
    return S3ObjectInput(client: self, bucket: bucket, object: info, options: options)
  }
}
