import RDBKit

extension ExportBucketCheck {
  /// The `aws s3api` command that switches `bucket` to `BucketOwnerPreferred`.
  public static func ownershipCommand(bucket: String) -> String {
    "aws s3api put-bucket-ownership-controls --bucket \(bucket) --ownership-controls "
      + "'Rules=[{ObjectOwnership=BucketOwnerPreferred}]'"
  }

  /// The Object Ownership rule of regions enabled by default, where ElastiCache is granted
  /// access through the ACL: `BucketOwnerEnforced` disables ACLs, so the grant cannot work.
  static func ownershipFinding(
    bucket: String, region: String, ownership: Result<S3ObjectOwnership?, S3Error>,
    purpose: Purpose
  ) -> ExportBucketFinding {
    switch ownership {
    case .failure(let error):
      return .init(
        .objectOwnership, .warning,
        "cannot read Object Ownership (\(error)); if it is BucketOwnerEnforced, S3 ignores the "
          + "ACL grant ElastiCache needs")
    case .success(nil):
      return .init(
        .objectOwnership, .pass,
        "the bucket has no ownership controls, so ACLs are enabled (ObjectWriter)")
    case .success(let value?) where value.allowsACLs:
      return .init(
        .objectOwnership, .pass, "Object Ownership is \(value.rawValue): ACLs are enabled")
    case .success(let value?):
      let fix =
        purpose == .export
        ? "rdbtool s3 prepare-bucket --region \(region) --allow-acl-change \(bucket) (or "
          + ownershipCommand(bucket: bucket) + ")"
        : ownershipCommand(bucket: bucket)
      return .init(
        .objectOwnership, .failure,
        "Object Ownership is \(value.rawValue), which disables ACLs: S3 ignores the ElastiCache "
          + "canonical-user grant and refuses to add one (AccessControlListNotSupported). Switch "
          + "it to BucketOwnerPreferred, which enables ACLs again and keeps new objects owned by "
          + "the bucket owner: \(fix)")
    }
  }

  /// What the Block Public Access settings mean here. None of them stops ElastiCache (its ACL
  /// grant names one canonical user and its policy statement one service principal, neither
  /// public); what they do stop is rewriting an ACL or policy that already holds a public
  /// grant or statement, which `prepare-bucket` has to do to add ElastiCache's.
  static func publicAccessBlockFindings(
    _ result: Result<S3PublicAccessBlock?, S3Error>, region: String, acl: S3BucketACL?,
    statements: [PolicyStatement]
  ) -> [ExportBucketFinding] {
    let settings: S3PublicAccessBlock
    switch result {
    case .failure(let error):
      return [
        .init(
          .blockPublicAccess, .warning,
          "cannot read the Block Public Access settings: \(error)")
      ]
    case .success(nil):
      return [
        .init(
          .blockPublicAccess, .pass,
          "the bucket has no Block Public Access settings of its own (the account's apply); "
            + "ElastiCache needs no public access, so all four can be turned on")
      ]
    case .success(let value?): settings = value
    }
    let names = [
      ("BlockPublicAcls", settings.blockPublicACLs),
      ("IgnorePublicAcls", settings.ignorePublicACLs),
      ("BlockPublicPolicy", settings.blockPublicPolicy),
      ("RestrictPublicBuckets", settings.restrictPublicBuckets),
    ]
    let on = names.filter(\.1).map(\.0)
    var findings: [ExportBucketFinding] = [
      .init(
        .blockPublicAccess, .pass,
        (on.isEmpty ? "no Block Public Access setting is on" : "\(on.joined(separator: ", ")) on")
          + ": none of them affects ElastiCache, whose grant is not public")
    ]
    if !isOptInRegion(region), settings.blockPublicACLs, acl?.hasPublicGrant == true {
      findings.append(
        .init(
          .blockPublicAccess, .warning,
          "BlockPublicAcls is on and the ACL has a public grant: S3 refuses any new ACL that "
            + "repeats it, so remove the public grant before adding ElastiCache's"))
    }
    if isOptInRegion(region), settings.blockPublicPolicy,
      statements.contains(where: { $0.allows && $0.hasWildcardPrincipal })
    {
      findings.append(
        .init(
          .blockPublicAccess, .warning,
          "BlockPublicPolicy is on and the policy has a \"*\" statement: S3 refuses any new "
            + "policy that repeats it, so remove that statement before adding ElastiCache's"))
    }
    return findings
  }
}
