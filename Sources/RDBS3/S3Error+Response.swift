import RDBKit

extension S3Error {
  /// The error an S3 error response stands for.
  ///
  /// The AWS code comes from the XML body's `<Code>`, or from the status when there is no body
  /// (HEAD, and some 403s); the request id from `x-amz-request-id`, else `<RequestId>`, else
  /// `x-amzn-requestid`; the bucket's region from `x-amz-bucket-region` or `<Region>`.
  init(response: HTTPResponse, operation: String, bucket: String?, key: String?) {
    let document = response.body.isEmpty ? nil : XMLNode.parse(response.body)
    let errorNode = document?.name == "Error" ? document : nil
    let objectLevel = key != nil
    let bucketRegion = response.header("x-amz-bucket-region")
    let code =
      errorNode?.text(of: "Code")
      ?? Self.code(forStatus: response.status, objectLevel, hasRegion: bucketRegion != nil)
    self.init(
      Self.kind(forCode: code, status: response.status), operation: operation, bucket: bucket,
      key: key, httpStatus: response.status, awsCode: code,
      message: errorNode?.text(of: "Message"),
      requestID: response.header("x-amz-request-id") ?? errorNode?.text(of: "RequestId")
        ?? response.header("x-amzn-requestid"),
      region: bucketRegion ?? errorNode?.text(of: "Region"))
  }

  /// The code S3 means by a body-less status (HEAD answers carry none).
  private static func code(forStatus status: Int, _ objectLevel: Bool, hasRegion: Bool) -> String? {
    switch status {
    case 301: return "PermanentRedirect"
    case 400 where hasRegion: return "AuthorizationHeaderMalformed"
    case 403: return "AccessDenied"
    case 404: return objectLevel ? "NoSuchKey" : "NoSuchBucket"
    case 412: return "PreconditionFailed"
    case 416: return "InvalidRange"
    case 503: return "ServiceUnavailable"
    default: return nil
    }
  }

  private static func kind(forCode code: String?, status: Int) -> Kind {
    switch code {
    case "AccessDenied", "AllAccessDisabled": return .accessDenied
    case "SignatureDoesNotMatch": return .signatureMismatch
    case "InvalidAccessKeyId": return .invalidAccessKeyID
    case "InvalidToken": return .invalidToken
    case "ExpiredToken": return .expiredToken
    case "RequestTimeTooSkewed": return .clockSkew
    case "NoSuchKey": return .noSuchKey
    case "NoSuchBucket": return .noSuchBucket
    case "NoSuchBucketPolicy": return .noSuchBucketPolicy
    case "PreconditionFailed": return .objectChanged
    case "InvalidRange": return .invalidRange
    case "PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException",
      "TemporaryRedirect":
      return .wrongRegion
    case "SlowDown", "Throttling", "ThrottlingException", "RequestLimitExceeded":
      return .throttled
    default:
      if (301...307).contains(status) { return .wrongRegion }
      return status >= 500 ? .serverError : .httpError
    }
  }

  /// Whether retrying the same request may succeed: connection errors and timeouts, 500, 502,
  /// 503, 504, throttling and `RequestTimeout`/`InternalError`. Not TLS verification failures,
  /// malformed URLs or cancelled transfers.
  var isRetryable: Bool {
    switch kind {
    case .transport:
      // 1 unsupported protocol, 3 malformed URL, 23 write aborted (cancelled), 58/60/77/83
      // certificate problems: retrying cannot help.
      guard let curlCode else { return false }
      return ![1, 2, 3, 23, 43, 58, 60, 77, 83].contains(curlCode)
    case .throttled, .serverError: return true
    case .httpError:
      return awsCode == "RequestTimeout" || awsCode == "InternalError"
        || [500, 502, 503, 504].contains(httpStatus ?? 0)
    default: return false
    }
  }
}
