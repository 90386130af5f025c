import RDBKit

/// One page of a ListObjectsV2 answer.
public struct S3ListPage: Sendable, Equatable {
  /// The objects on this page, in key order.
  public var objects: [S3ObjectInfo]
  /// The token for the next page; nil on the last page.
  public var nextContinuationToken: String?

  /// Creates a page.
  public init(objects: [S3ObjectInfo], nextContinuationToken: String?) {
    self.objects = objects
    self.nextContinuationToken = nextContinuationToken
  }
}
