import RDBKit
import RDBS3

/// Turns an ElastiCache error of `rdbtool export` into one line with the fix.
struct ExportAdvice {
  let s3: S3Client
  let region: String
  let bucket: String

  func explain(_ error: any Error, snapshot: String) -> String {
    guard var failure = error as? ElastiCacheError else { return "\(error)" }
    switch failure.kind {
    case .permissionNotGranted(let permission):
      let acl = !ExportBucketCheck.isOptInRegion(region)
      failure.fix =
        "the bucket does not grant ElastiCache \(permission); grant what it needs with: "
        + "rdbtool s3 prepare-bucket --region \(region) \(bucket)"
        + (acl
          ? " (add --allow-acl-change if its Object Ownership is BucketOwnerEnforced, which "
            + "disables ACLs)" : "")
    case .snapshotNotFound:
      failure.fix =
        "there is no snapshot '\(snapshot)' in \(region); list them with aws elasticache "
        + "describe-snapshots --region \(region), and pass --region for a snapshot elsewhere"
    case .throttled:
      failure.fix = "ElastiCache kept throttling the request; wait a minute and run again"
    case .wrongRegion:
      failure.fix =
        "the ElastiCache endpoint is not in \(region): pass the snapshot's region with --region "
        + "(or correct AWS_ENDPOINT_URL_ELASTICACHE)"
    case .bucketOutsideRegion:
      let location = (try? s3.bucketLocation(bucket: bucket)).map { " (it is in \($0))" } ?? ""
      failure.fix =
        "ElastiCache exports only to a bucket in the snapshot's region \(region)\(location): "
        + "use one there (rdbtool s3 prepare-bucket --region \(region) --create NEW-BUCKET)"
    case .authentication:
      failure.fix = "check the AWS credentials (and that they may call elasticache:CopySnapshot)"
    case .transport, .other:
      break
    }
    return failure.description
  }
}
