import RDBKit

extension ExportBucketCheck {
  /// The bucket-policy rule for opt-in regions.
  static func policyFinding(
    bucket: String, region: String, policy: Result<String?, S3Error>, purpose: Purpose = .export
  ) -> ExportBucketFinding {
    let expected = ExportBucketPolicy(bucket: bucket, region: region)
    let text: String
    switch policy {
    case .failure(let error):
      return .init(.bucketPolicy, .failure, "cannot read the bucket policy: \(error)")
    case .success(nil):
      return .init(
        .bucketPolicy, .failure,
        "\(region) is an opt-in region and the bucket has no policy: apply a bucket policy "
          + "allowing \(expected.servicePrincipal) \(purpose.policyActions.joined(separator: ", "))"
          + " (rdbtool s3 check-bucket prints one)")
    case .success(let value?): text = value
    }
    let statements = PolicyStatement.parse(text).filter(\.allows)
    let objectARN = expected.resources[1].dropLast() + "snapshot-0001.rdb"
    // A seed's objects are checked one by one (policies often name each file), so here
    // only the bucket's own actions are.
    let actions = purpose.policyActions.filter { purpose == .export || !Self.isObjectAction($0) }
    let missing = actions.filter { action in
      let resource = Self.isObjectAction(action) ? String(objectARN) : expected.resources[0]
      return !statements.contains {
        $0.servicePrincipals.contains(expected.servicePrincipal) && $0.matches(action: action)
          && $0.matches(resource: resource)
      }
    }
    if missing.isEmpty {
      return .init(
        .bucketPolicy, .pass,
        "the bucket policy grants \(expected.servicePrincipal) "
          + (purpose == .export ? "every export action" : actions.joined(separator: " and ")))
    }
    var message =
      "the bucket policy does not allow \(expected.servicePrincipal) "
      + "\(missing.joined(separator: ", ")) on \(expected.resources.joined(separator: " and ")): "
      + "add \(missing.count == 1 ? "it" : "them") to the statement for that principal"
    let others = Set(statements.flatMap(\.servicePrincipals))
      .filter {
        $0.hasSuffix(".elasticache-snapshot.amazonaws.com") && $0 != expected.servicePrincipal
      }
    if !others.isEmpty {
      message +=
        "; the policy names \(others.sorted().joined(separator: ", ")), which is for "
        + "another region: use \(expected.servicePrincipal)"
    }
    return .init(.bucketPolicy, .failure, message)
  }

  /// Whether the policy `text` allows ElastiCache in `region` `s3:GetObject` on `key`.
  public static func policyAllowsReading(
    _ text: String?, bucket: String, key: String, region: String
  )
    -> Bool
  {
    guard let text else { return false }
    let policy = ExportBucketPolicy(bucket: bucket, region: region)
    let arn = policy.resources[1].dropLast() + key
    return PolicyStatement.parse(text).filter(\.allows).contains {
      $0.servicePrincipals.contains(policy.servicePrincipal) && $0.matches(action: "s3:GetObject")
        && $0.matches(resource: String(arn))
    }
  }

  /// Whether `action` applies to objects (`bucket/*`) rather than the bucket.
  static func isObjectAction(_ action: String) -> Bool {
    ["s3:PutObject", "s3:GetObject", "s3:ListMultipartUploadParts"].contains(action)
  }
}
