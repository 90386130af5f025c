import RDBKit

/// A failed ElastiCache call, rendered as one line that says what to do.
///
/// The three permission errors CopySnapshot answers when the bucket does not let ElastiCache in
/// ("ElastiCache has not been granted READ / WRITE / READ_ACP permissions %s on the S3
/// Bucket") name the `rdbtool s3 prepare-bucket` command that grants it.
public struct ElastiCacheError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong, as far as the fix is concerned.
  public enum Kind: Sendable, Equatable {
    /// The bucket does not grant ElastiCache this permission (`READ`, `WRITE`, `READ_ACP`).
    case permissionNotGranted(String)
    /// The source snapshot does not exist in this region (`SnapshotNotFoundFault`).
    case snapshotNotFound
    /// Still throttled after the last retry.
    case throttled
    /// The request was signed for or sent to another region than the endpoint's.
    case wrongRegion
    /// The bucket is in another region than the snapshot.
    case bucketOutsideRegion
    /// Credentials or signature refused.
    case authentication
    /// The connection failed or timed out.
    case transport
    /// Any other answer.
    case other
  }

  /// The kind.
  public var kind: Kind
  /// The API action.
  public var action: String
  /// ElastiCache's `<Code>`, if any.
  public var code: String?
  /// ElastiCache's `<Message>` or a local explanation.
  public var message: String
  /// The HTTP status, if an answer came.
  public var httpStatus: Int?
  /// The request id, if any.
  public var requestID: String?
  /// What to run or change, filled in by the caller that knows the command line.
  public var fix: String?

  /// Creates an error.
  public init(
    _ kind: Kind, action: String, code: String? = nil, message: String, httpStatus: Int? = nil,
    requestID: String? = nil, fix: String? = nil
  ) {
    self.kind = kind
    self.action = action
    self.code = code
    self.message = message
    self.httpStatus = httpStatus
    self.requestID = requestID
    self.fix = fix
  }

  /// The kind an error answer stands for.
  static func kind(code: String?, message: String) -> Kind {
    for permission in ["READ_ACP", "WRITE", "READ"]
    where message.contains("has not been granted \(permission) permissions") {
      return .permissionNotGranted(permission)
    }
    if message.contains("is outside of the region") { return .bucketOutsideRegion }
    switch code {
    case "SnapshotNotFoundFault": return .snapshotNotFound
    case "Throttling", "ThrottlingException", "RequestLimitExceeded": return .throttled
    case "SignatureDoesNotMatch" where message.contains("scoped to a valid region"):
      return .wrongRegion
    case "SignatureDoesNotMatch", "InvalidClientTokenId", "UnrecognizedClientException",
      "ExpiredToken", "MissingAuthenticationToken", "AccessDenied":
      return .authentication
    default: return .other
    }
  }

  /// `ACTION failed: message: fix [HTTP status Code, request id …]`.
  public var description: String {
    var line = "\(action) failed: \(message)"
    if let fix { line += ": \(fix)" }
    var evidence: [String] = []
    if let httpStatus { evidence.append("HTTP \(httpStatus)" + (code.map { " \($0)" } ?? "")) }
    if let requestID { evidence.append("request id \(requestID)") }
    if !evidence.isEmpty { line += " [" + evidence.joined(separator: ", ") + "]" }
    return line
  }
}
