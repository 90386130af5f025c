import RDBKit

/// A multipart upload that was started and neither completed nor aborted, as
/// ListMultipartUploads names it.
public struct S3PendingUpload: Sendable, Equatable {
  /// The object key the upload would create.
  public var key: String
  /// The upload id.
  public var uploadID: String
}
