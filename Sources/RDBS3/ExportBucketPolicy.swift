import Foundation
import RDBKit

/// The bucket policy an ElastiCache export to S3 needs in an opt-in region.
///
/// In regions launched after 2019-03-20 ElastiCache reaches the bucket as the service principal
/// `REGION.elasticache-snapshot.amazonaws.com`, granted by a bucket policy instead of the ACL.
///
///     let json = ExportBucketPolicy(bucket: "rdb-exports", region: "ap-east-1").json
public struct ExportBucketPolicy: Sendable, Equatable {
  /// The actions ElastiCache needs on the bucket and its objects.
  public static let actions = [
    "s3:PutObject", "s3:GetObject", "s3:ListBucket", "s3:GetBucketAcl",
    "s3:ListMultipartUploadParts", "s3:ListBucketMultipartUploads",
  ]

  /// The bucket.
  public var bucket: String
  /// The bucket's (and the cache's) region.
  public var region: String

  /// Describes the policy for `bucket` in `region`.
  public init(bucket: String, region: String) {
    self.bucket = bucket
    self.region = region
  }

  /// `REGION.elasticache-snapshot.amazonaws.com`.
  public var servicePrincipal: String { Self.servicePrincipal(region: region) }

  /// The service principal ElastiCache uses in `region`.
  public static func servicePrincipal(region: String) -> String {
    "\(region).elasticache-snapshot.amazonaws.com"
  }

  /// The ARN partition of `region`: `aws`, `aws-us-gov` or `aws-cn`.
  public static func partition(region: String) -> String {
    if region.hasPrefix("us-gov-") { return "aws-us-gov" }
    if region.hasPrefix("cn-") { return "aws-cn" }
    return "aws"
  }

  /// The bucket ARN and the ARN of all its objects.
  public var resources: [String] {
    let base = "arn:\(Self.partition(region: region)):s3:::\(bucket)"
    return [base, base + "/*"]
  }

  /// The policy document, pretty-printed JSON with sorted keys, ready for
  /// `aws s3api put-bucket-policy --policy file://…`.
  public var json: String {
    let document: [String: Any] = [
      "Version": "2012-10-17",
      "Statement": [
        [
          "Sid": "ElastiCacheSnapshotExport", "Effect": "Allow",
          "Principal": ["Service": servicePrincipal], "Action": Self.actions,
          "Resource": resources,
        ] as [String: Any]
      ],
    ]
    let data =
      (try? JSONSerialization.data(
        withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]))
      ?? Data()
    return String(decoding: data, as: UTF8.self)
  }
}
