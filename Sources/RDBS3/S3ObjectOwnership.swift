import RDBKit

/// A bucket's Object Ownership setting, as GetBucketOwnershipControls returns it.
///
/// Since April 2023 new buckets get ``bucketOwnerEnforced``, which disables ACLs: S3 then
/// ignores every ACL grant and refuses PutBucketAcl with anything but the owner's full control
/// (`AccessControlListNotSupported`). The ElastiCache canonical-user grant of regions enabled by
/// default needs ACLs, so such a bucket must first be switched to ``bucketOwnerPreferred``.
public enum S3ObjectOwnership: String, Sendable, Equatable {
  /// ACLs are disabled; the bucket owner owns every object.
  case bucketOwnerEnforced = "BucketOwnerEnforced"
  /// ACLs work; objects uploaded with `bucket-owner-full-control` belong to the bucket owner.
  case bucketOwnerPreferred = "BucketOwnerPreferred"
  /// ACLs work; the uploader owns each object (the setting of buckets made before 2023 that
  /// have no ownership controls).
  case objectWriter = "ObjectWriter"

  /// Whether S3 honours ACL grants under this setting.
  public var allowsACLs: Bool { self != .bucketOwnerEnforced }

  /// Parses an `OwnershipControls` document; nil when it is not one or names no rule.
  init?(xml: [UInt8]) {
    guard let root = XMLNode.parse(xml), root.name == "OwnershipControls",
      let value = root.child("Rule")?.text(of: "ObjectOwnership"),
      let ownership = S3ObjectOwnership(rawValue: value)
    else { return nil }
    self = ownership
  }

  /// The `OwnershipControls` document PutBucketOwnershipControls takes.
  var xml: String {
    "<OwnershipControls xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Rule>"
      + "<ObjectOwnership>\(rawValue)</ObjectOwnership></Rule></OwnershipControls>"
  }
}
