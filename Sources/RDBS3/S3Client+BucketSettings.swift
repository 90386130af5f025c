import RDBKit

extension S3Client {
  /// GetBucketOwnershipControls: the bucket's Object Ownership, or nil when it has no ownership
  /// controls (a bucket made before 2023: ACLs work as under ``S3ObjectOwnership/objectWriter``).
  public func objectOwnership(bucket: String) throws(S3Error) -> S3ObjectOwnership? {
    let request = S3Request(
      operation: "GetBucketOwnershipControls", bucket: bucket, query: [("ownershipControls", "")])
    let response: HTTPResponse
    do {
      response = try sendCollecting(request)
    } catch  where error.awsCode == "OwnershipControlsNotFoundError" {
      return nil
    }
    guard let ownership = S3ObjectOwnership(xml: response.body) else {
      throw S3Error(
        .invalidResponse, operation: "GetBucketOwnershipControls", bucket: bucket,
        httpStatus: response.status, message: "not an OwnershipControls document")
    }
    return ownership
  }

  /// GetPublicAccessBlock: the bucket's Block Public Access settings, or nil when it has none
  /// of its own (the account's settings still apply).
  public func publicAccessBlock(bucket: String) throws(S3Error) -> S3PublicAccessBlock? {
    let request = S3Request(
      operation: "GetPublicAccessBlock", bucket: bucket, query: [("publicAccessBlock", "")])
    let response: HTTPResponse
    do {
      response = try sendCollecting(request)
    } catch  where error.awsCode == "NoSuchPublicAccessBlockConfiguration" {
      return nil
    }
    guard let settings = S3PublicAccessBlock(xml: response.body) else {
      throw S3Error(
        .invalidResponse, operation: "GetPublicAccessBlock", bucket: bucket,
        httpStatus: response.status, message: "not a PublicAccessBlockConfiguration document")
    }
    return settings
  }
}
