import Foundation
import RDBKit

extension S3Client {
  /// GetBucketAcl: the bucket's grants.
  public func bucketACL(bucket: String) throws(S3Error) -> S3BucketACL {
    let request = S3Request(operation: "GetBucketAcl", bucket: bucket, query: [("acl", "")])
    let response = try sendCollecting(request)
    guard let acl = S3BucketACL(xml: response.body) else {
      throw S3Error(
        .invalidResponse, operation: "GetBucketAcl", bucket: bucket, httpStatus: response.status,
        message: "not an AccessControlPolicy document")
    }
    return acl
  }

  /// GetBucketPolicy: the policy JSON text, or nil when the bucket has none.
  public func bucketPolicy(bucket: String) throws(S3Error) -> String? {
    let request = S3Request(operation: "GetBucketPolicy", bucket: bucket, query: [("policy", "")])
    do {
      return String(decoding: try sendCollecting(request).body, as: UTF8.self)
    } catch  where error.kind == .noSuchBucketPolicy {
      return nil
    }
  }

  /// GetBucketLocation: the bucket's region (`us-east-1` for an empty constraint, `eu-west-1`
  /// for the legacy `EU`).
  public func bucketLocation(bucket: String) throws(S3Error) -> String {
    let request = S3Request(
      operation: "GetBucketLocation", bucket: bucket, query: [("location", "")])
    let response = try sendCollecting(request)
    guard let root = XMLNode.parse(response.body), root.name == "LocationConstraint" else {
      throw S3Error(
        .invalidResponse, operation: "GetBucketLocation", bucket: bucket,
        httpStatus: response.status, message: "not a LocationConstraint document")
    }
    let constraint = root.text.trimmingCharacters(in: .whitespacesAndNewlines)
    switch constraint {
    case "": return "us-east-1"
    case "EU": return "eu-west-1"
    default: return constraint
    }
  }
}
