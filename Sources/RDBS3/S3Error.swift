import RDBKit

/// A failure of the S3 fetcher: transport, HTTP, AWS error code, credentials or configuration.
///
/// Each error carries what was known when it happened (curl code, HTTP status, AWS error
/// `<Code>` and `<Message>`, request id) and renders as one actionable line:
///
///     no read permission on s3://b/k: the caller needs s3:GetObject on arn:aws:s3:::b/* [HTTP 403 AccessDenied, request id 4442587FB7D0A2F9]
///
/// No field ever holds a secret key, a session token, a signature or an `Authorization` value.
public struct S3Error: Error, Sendable, Equatable, CustomStringConvertible {
  /// The kind of failure, which decides the advice in ``description``.
  public enum Kind: Sendable, Equatable {
    /// The `s3://` URL or bucket name is malformed.
    case invalidURL
    /// An endpoint, region or option is invalid.
    case invalidConfiguration
    /// No credential source had credentials.
    case credentialsNotFound
    /// A credential source was configured but failed (file, process, container, IMDS, STS).
    case credentialSourceFailed
    /// The connection failed or timed out (curl error).
    case transport
    /// 403 AccessDenied: the caller lacks a permission.
    case accessDenied
    /// 403 SignatureDoesNotMatch: the secret does not belong to the access key id.
    case signatureMismatch
    /// 403 InvalidAccessKeyId.
    case invalidAccessKeyID
    /// 400 InvalidToken: the session token is malformed or belongs to other keys.
    case invalidToken
    /// 400 ExpiredToken.
    case expiredToken
    /// 403 RequestTimeTooSkewed.
    case clockSkew
    /// 404 NoSuchKey.
    case noSuchKey
    /// 404 NoSuchBucket.
    case noSuchBucket
    /// 404 NoSuchBucketPolicy.
    case noSuchBucketPolicy
    /// 412 PreconditionFailed: the object changed since the download began.
    case objectChanged
    /// 416 InvalidRange.
    case invalidRange
    /// The bucket is in another region and the redirect could not be followed.
    case wrongRegion
    /// 503 SlowDown, still throttled after the last retry.
    case throttled
    /// 5xx, still failing after the last retry.
    case serverError
    /// The response could not be understood.
    case invalidResponse
    /// Any other HTTP error.
    case httpError
  }

  /// The kind of failure.
  public var kind: Kind
  /// The S3 operation (`GetObject`, `ListObjectsV2`, …), if any.
  public var operation: String?
  /// The bucket involved, if any.
  public var bucket: String?
  /// The key or prefix involved, if any.
  public var key: String?
  /// The HTTP status, if a response arrived.
  public var httpStatus: Int?
  /// The AWS error code (`<Code>`), if any.
  public var awsCode: String?
  /// The AWS error message or a local explanation.
  public var message: String?
  /// The request id: `x-amz-request-id`, else `<RequestId>`, else `x-amzn-requestid`.
  public var requestID: String?
  /// The libcurl error code for transport failures.
  public var curlCode: Int?
  /// The region the bucket is really in, for wrong-region errors.
  public var region: String?
  /// How many attempts were made, when retries were exhausted.
  public var attempts: Int?

  /// Creates an error of `kind`; fill in the other fields as known.
  public init(
    _ kind: Kind, operation: String? = nil, bucket: String? = nil, key: String? = nil,
    httpStatus: Int? = nil, awsCode: String? = nil, message: String? = nil,
    requestID: String? = nil, curlCode: Int? = nil, region: String? = nil
  ) {
    self.kind = kind
    self.operation = operation
    self.bucket = bucket
    self.key = key
    self.httpStatus = httpStatus
    self.awsCode = awsCode
    self.message = message
    self.requestID = requestID
    self.curlCode = curlCode
    self.region = region
  }

  /// One line: what failed, what to do, and the evidence (status, code, request id).
  public var description: String {
    var line = advice
    var evidence: [String] = []
    if let httpStatus { evidence.append("HTTP \(httpStatus)" + (awsCode.map { " \($0)" } ?? "")) }
    if httpStatus == nil, let awsCode { evidence.append(awsCode) }
    if let curlCode { evidence.append("curl code \(curlCode)") }
    if let attempts, attempts > 1 { evidence.append("\(attempts) attempts") }
    if let requestID { evidence.append("request id \(requestID)") }
    if !evidence.isEmpty { line += " [" + evidence.joined(separator: ", ") + "]" }
    return line
  }

  private var target: String {
    guard let bucket else { return "S3" }
    return "s3://\(bucket)/\(key ?? "")"
  }

  private var detail: String { message.map { ": \($0)" } ?? "" }

  private var advice: String {
    let bucketName = bucket ?? "BUCKET"
    switch kind {
    case .invalidURL: return "invalid S3 location\(detail)"
    case .invalidConfiguration: return "invalid S3 configuration\(detail)"
    case .credentialsNotFound:
      return "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
        + "choose a profile with AWS_PROFILE, or run where container or instance credentials exist"
    case .credentialSourceFailed: return "cannot load AWS credentials\(detail)"
    case .transport: return "cannot reach S3 for \(target)\(detail)"
    case .accessDenied: return "no \(permissionNoun) permission on \(target): \(permissionAdvice)"
    case .signatureMismatch:
      return "S3 rejected the signature for \(target): the secret access key does not match "
        + "the access key id; check AWS_SECRET_ACCESS_KEY or the profile's aws_secret_access_key"
    case .invalidAccessKeyID:
      return "S3 does not know the access key id used for \(target): check the credentials "
        + "(temporary ASIA… keys also need their session token)"
    case .invalidToken:
      return "S3 rejected the session token for \(target): it is malformed or belongs to "
        + "other keys; check AWS_SESSION_TOKEN or the profile's aws_session_token"
    case .expiredToken:
      return "the session token for \(target) has expired: refresh the temporary credentials"
    case .clockSkew:
      return "S3 says this machine's clock is wrong for \(target): synchronize the clock (NTP)"
    case .noSuchKey:
      return "no such object \(target): check the key; list the prefix to see what exists"
    case .noSuchBucket:
      return "no such bucket '\(bucketName)': check the bucket name and the account"
    case .noSuchBucketPolicy: return "bucket '\(bucketName)' has no bucket policy"
    case .objectChanged:
      return "\(target) was replaced during the download (its ETag changed): download it again"
    case .invalidRange: return "requested range is outside \(target)\(detail)"
    case .wrongRegion:
      return "bucket '\(bucketName)' is in region \(region ?? "another region")"
        + ": pass --region \(region ?? "REGION") or set AWS_REGION"
    case .throttled:
      return "S3 kept throttling requests for \(target) (SlowDown): lower the parallelism "
        + "or try again later"
    case .serverError: return "S3 kept failing for \(target) with server errors: try again later"
    case .invalidResponse: return "unexpected S3 response for \(target)\(detail)"
    case .httpError: return "S3 request for \(target) failed\(detail)"
    }
  }

  private var permissionNoun: String {
    switch operation {
    case "GetObject", "HeadObject": return "read"
    case "ListObjectsV2": return "list"
    case "GetBucketAcl": return "ACL read"
    case "GetBucketPolicy": return "policy read"
    case "GetBucketLocation": return "location read"
    case "PutObject", "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload":
      return "write"
    default: return "access"
    }
  }

  private var permissionAdvice: String {
    let bucketName = bucket ?? "BUCKET"
    switch operation {
    case "GetObject", "HeadObject":
      return "the caller needs s3:GetObject on arn:aws:s3:::\(bucketName)/*"
    case "ListObjectsV2": return "the caller needs s3:ListBucket on arn:aws:s3:::\(bucketName)"
    case "GetBucketAcl": return "the caller needs s3:GetBucketAcl on arn:aws:s3:::\(bucketName)"
    case "GetBucketPolicy":
      return "the caller needs s3:GetBucketPolicy on arn:aws:s3:::\(bucketName)"
    case "GetBucketLocation":
      return "the caller needs s3:GetBucketLocation on arn:aws:s3:::\(bucketName)"
    case "PutObject", "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload":
      return "the caller needs s3:PutObject on arn:aws:s3:::\(bucketName)/*"
    case "AbortMultipartUpload":
      return "the caller needs s3:AbortMultipartUpload on arn:aws:s3:::\(bucketName)/*"
    default:
      return "check the caller's IAM policy and the bucket policy for arn:aws:s3:::\(bucketName)"
    }
  }
}
