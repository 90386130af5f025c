import RDBKit

extension SeedObjectCheck {
  /// A bucket's ``ExportBucketCheck`` findings as seed findings, with the fixing command.
  static func bucketFindings(
    _ report: ExportBucketCheck.Report, objects: [S3ObjectInfo], targetRegion: String?
  ) -> [SeedFinding] {
    let bucket = report.bucket
    return report.findings.map { finding in
      let status: SeedFinding.Status =
        switch finding.severity {
        case .pass: .pass
        case .warning: .warn
        case .failure: .fail
        }
      let message = "bucket \(bucket): \(finding.message)"
      guard status == .fail else { return SeedFinding(.s3, status, message) }
      switch finding.rule {
      case .region:
        guard let region = report.region, let targetRegion else {
          return SeedFinding(.s3, .fail, message)
        }
        let destination = "s3://YOUR-BUCKET-IN-\(targetRegion)/"
        return SeedFinding(
          .s3, .fail, message,
          advice: "copy the objects to a bucket of yours in \(targetRegion) and seed from there",
          command: ["aws", "s3", "cp", "--recursive", "s3://\(bucket)/", destination]
            + ["--exclude", "*"] + objects.flatMap { ["--include", $0.key] }
            + ["--source-region", region, "--region", targetRegion])
      case .aclGrants:
        guard let acl = report.acl, let region = report.region else {
          return SeedFinding(.s3, .fail, message)
        }
        let user = S3BucketACL.Grantee.canonicalUser(
          id: ExportBucketCheck.canonicalUserID(region: region))
        return SeedFinding(
          .s3, .fail, message,
          advice: "grant it with this command, which repeats the ACL's other grants "
            + "(put-bucket-acl replaces the whole ACL)",
          command: ["aws", "s3api", "put-bucket-acl", "--bucket", bucket]
            + acl.grantArguments(adding: [
              .init(grantee: user, permission: "READ"),
              .init(grantee: user, permission: "READ_ACP"),
            ]))
      case .bucketPolicy:
        return SeedFinding(
          .s3, .fail, message, advice: policyAdvice(bucket),
          command: report.region.map { ["rdbtool", "s3", "policy", "--region", $0, bucket] })
      case .objectOwnership:
        return SeedFinding(
          .s3, .fail, message, advice: "enable ACLs again",
          command: [
            "aws", "s3api", "put-bucket-ownership-controls", "--bucket", bucket,
            "--ownership-controls", "Rules=[{ObjectOwnership=BucketOwnerPreferred}]",
          ])
      case .bucketName, .publicAccess, .blockPublicAccess:
        return SeedFinding(.s3, .fail, message)
      }
    }
  }

  /// What to do with the policy `rdbtool s3 policy` prints.
  static func policyAdvice(_ bucket: String) -> String {
    "apply the policy this prints (it allows exports too) with aws s3api put-bucket-policy "
      + "--bucket \(bucket) --policy file://policy.json, merged into the bucket's policy if it "
      + "has one"
  }

  /// Whether ElastiCache may read each object: its ACL in regions enabled by default, the
  /// bucket policy in opt-in regions (when the bucket has one; without, the bucket finding
  /// already failed).
  func accessFindings(bucket: String, region: String, objects: [S3ObjectInfo], policy: String?)
    -> [SeedFinding]
  {
    guard !objects.isEmpty else { return [] }
    var findings: [SeedFinding] = []
    let userID = ExportBucketCheck.canonicalUserID(region: region)
    if ExportBucketCheck.isOptInRegion(region) {
      guard policy != nil else { return [] }
      let principal = ExportBucketPolicy.servicePrincipal(region: region)
      for object in objects
      where !ExportBucketCheck.policyAllowsReading(
        policy, bucket: bucket, key: object.key, region: region)
      {
        findings.append(
          SeedFinding(
            .s3, .fail,
            "s3://\(bucket)/\(object.key): the bucket policy does not allow \(principal) "
              + "s3:GetObject on it",
            advice: Self.policyAdvice(bucket),
            command: ["rdbtool", "s3", "policy", "--region", region, bucket]))
      }
      guard findings.isEmpty else { return findings }
      return [
        SeedFinding(
          .s3, .pass,
          "the bucket policy allows \(principal) s3:GetObject on every object of \(bucket)")
      ]
    }
    let user = S3BucketACL.Grantee.canonicalUser(id: userID)
    for object in objects {
      let acl: S3BucketACL
      do {
        acl = try client.objectACL(bucket: bucket, key: object.key)
      } catch {
        findings.append(
          SeedFinding(.s3, .fail, "cannot read the ACL of s3://\(bucket)/\(object.key): \(error)"))
        continue
      }
      let granted = acl.grants.contains {
        $0.grantee == user && ($0.permission == "READ" || $0.permission == "FULL_CONTROL")
      }
      guard !granted else { continue }
      findings.append(
        SeedFinding(
          .s3, .fail,
          "s3://\(bucket)/\(object.key): the object ACL does not grant the ElastiCache canonical "
            + "user \(userID) READ, so ElastiCache cannot read the file",
          advice: "grant it with this command, which repeats the ACL's other grants "
            + "(put-object-acl replaces the whole ACL)",
          command: ["aws", "s3api", "put-object-acl", "--bucket", bucket, "--key", object.key]
            + acl.grantArguments(adding: [.init(grantee: user, permission: "READ")])))
    }
    guard findings.isEmpty else { return findings }
    return [
      SeedFinding(
        .s3, .pass,
        "the ACL of every object of \(bucket) grants the ElastiCache canonical user READ")
    ]
  }
}
