import Foundation
import RDBKit

extension S3Client {
  /// PutObject: `bytes` as the whole object, replacing any object of that key, with a
  /// `Content-MD5` that S3 checks (400 BadDigest on a mismatch).
  /// - Returns: The new object's ETag.
  public func putObject(bucket: String, key: String, bytes: [UInt8]) throws(S3Error) -> String {
    let request = S3Request(
      operation: "PutObject", method: "PUT", bucket: bucket, key: key,
      headers: [
        HTTPHeader("Content-MD5", Digest.md5Base64(bytes)),
        HTTPHeader("Content-Type", "application/octet-stream"),
      ], body: bytes,
      payloadHash: SigV4Signer.unsignedPayload)
    return try eTag(of: sendCollecting(request), request)
  }

  /// CreateMultipartUpload: starts an upload of `key`; nothing is visible until it completes.
  /// - Returns: The upload id.
  public func createMultipartUpload(bucket: String, key: String) throws(S3Error) -> String {
    let request = S3Request(
      operation: "CreateMultipartUpload", method: "POST", bucket: bucket, key: key,
      query: [("uploads", "")])
    let response = try sendCollecting(request)
    guard let root = XMLNode.parse(response.body), root.name == "InitiateMultipartUploadResult",
      let uploadID = root.text(of: "UploadId"), !uploadID.isEmpty
    else {
      throw S3Error(
        .invalidResponse, operation: request.operation, bucket: bucket, key: key,
        httpStatus: response.status, message: "not an InitiateMultipartUploadResult document")
    }
    return uploadID
  }

  /// UploadPart: part `number` (1–10,000) of upload `uploadID`, with its `Content-MD5`,
  /// retried per ``retryPolicy``.
  /// - Returns: The part's ETag, which ``completeMultipartUpload(bucket:key:uploadID:parts:)``
  ///   lists.
  public func uploadPart(
    bucket: String, key: String, uploadID: String, number: Int, bytes: [UInt8]
  ) throws(S3Error) -> String {
    try uploadPart(
      bucket: bucket, key: key, uploadID: uploadID, number: number, bytes: bytes,
      using: CurlEasy())
  }

  /// UploadPart on `easy`, whose connection the next part reuses.
  func uploadPart(
    bucket: String, key: String, uploadID: String, number: Int, bytes: [UInt8],
    using easy: CurlEasy
  ) throws(S3Error) -> String {
    let request = S3Request(
      operation: "UploadPart", method: "PUT", bucket: bucket, key: key,
      query: [("partNumber", String(number)), ("uploadId", uploadID)],
      headers: [
        HTTPHeader("Content-MD5", Digest.md5Base64(bytes)),
        HTTPHeader("Content-Type", "application/octet-stream"),
      ], body: bytes,
      payloadHash: SigV4Signer.unsignedPayload)
    return try eTag(of: sendCollecting(request, using: easy), request)
  }

  /// CompleteMultipartUpload: assembles the parts, `(number, ETag)` in ascending order, into
  /// the object. S3 may answer 200 with an `<Error>` document; that is thrown too.
  public func completeMultipartUpload(
    bucket: String, key: String, uploadID: String, parts: [(number: Int, eTag: String)]
  ) throws(S3Error) {
    var document = "<CompleteMultipartUpload>"
    for part in parts {
      document +=
        "<Part><PartNumber>\(part.number)</PartNumber>"
        + "<ETag>\(part.eTag.replacing("&", with: "&amp;").replacing("<", with: "&lt;"))</ETag></Part>"
    }
    document += "</CompleteMultipartUpload>"
    let body = Array(document.utf8)
    let request = S3Request(
      operation: "CompleteMultipartUpload", method: "POST", bucket: bucket, key: key,
      query: [("uploadId", uploadID)], headers: [HTTPHeader("Content-Type", "application/xml")],
      body: body, payloadHash: Digest.sha256Hex(body))
    let response = try sendCollecting(request)
    let root = XMLNode.parse(response.body)
    if root?.name == "Error" {
      throw S3Error(response: response, operation: request.operation, bucket: bucket, key: key)
    }
    // S3 names the root CompleteMultipartUploadResult; moto, CompleteMultipartUploadResponse.
    guard root?.name.hasPrefix("CompleteMultipartUpload") == true else {
      throw S3Error(
        .invalidResponse, operation: request.operation, bucket: bucket, key: key,
        httpStatus: response.status, message: "not a CompleteMultipartUploadResult document")
    }
  }

  /// AbortMultipartUpload: discards the upload and every part stored for it. An upload that
  /// is already gone (404 NoSuchUpload) counts as aborted.
  public func abortMultipartUpload(bucket: String, key: String, uploadID: String)
    throws(S3Error)
  {
    let request = S3Request(
      operation: "AbortMultipartUpload", method: "DELETE", bucket: bucket, key: key,
      query: [("uploadId", uploadID)])
    do {
      _ = try sendCollecting(request)
    } catch  where error.awsCode == "NoSuchUpload" {
      return
    }
  }

  /// ListMultipartUploads: the uploads started under `prefix` and neither completed nor
  /// aborted (one page of up to 1,000).
  public func listMultipartUploads(bucket: String, prefix: String = "") throws(S3Error)
    -> [S3PendingUpload]
  {
    var request = S3Request(
      operation: "ListMultipartUploads", bucket: bucket, query: [("uploads", "")])
    if !prefix.isEmpty { request.query.append(("prefix", prefix)) }
    let response = try sendCollecting(request)
    guard let root = XMLNode.parse(response.body), root.name == "ListMultipartUploadsResult" else {
      throw S3Error(
        .invalidResponse, operation: request.operation, bucket: bucket, key: prefix,
        httpStatus: response.status, message: "not a ListMultipartUploadsResult document")
    }
    return root.children("Upload").compactMap { node in
      guard let key = node.text(of: "Key"), let uploadID = node.text(of: "UploadId") else {
        return nil
      }
      return S3PendingUpload(key: key, uploadID: uploadID)
    }
  }

  /// The `ETag` header of a PUT answer.
  private func eTag(of response: HTTPResponse, _ request: S3Request) throws(S3Error) -> String {
    guard let eTag = response.header("ETag"), !eTag.isEmpty else {
      throw S3Error(
        .invalidResponse, operation: request.operation, bucket: request.bucket, key: request.key,
        httpStatus: response.status, message: "\(request.operation) answer lacks an ETag")
    }
    return eTag
  }
}
