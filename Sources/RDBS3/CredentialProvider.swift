import RDBKit

/// A source of AWS credentials that ``S3Client`` asks before each request.
///
/// Implementations cache and refresh as needed; the call may block on I/O (a file, a process,
/// an HTTP endpoint) and must be safe to call from several threads.
public protocol CredentialProvider: Sendable {
  /// Returns credentials valid for at least the next few minutes.
  /// - Throws: ``S3Error`` `.credentialsNotFound` or `.credentialSourceFailed`.
  func credentials() throws(S3Error) -> AWSCredentials
}

/// Fixed credentials, for tests and for callers that resolved them elsewhere.
public struct StaticCredentials: CredentialProvider {
  /// The credentials returned on every call.
  public let value: AWSCredentials

  /// Wraps `value`.
  public init(_ value: AWSCredentials) { self.value = value }

  /// Returns ``value``.
  public func credentials() throws(S3Error) -> AWSCredentials { value }
}
