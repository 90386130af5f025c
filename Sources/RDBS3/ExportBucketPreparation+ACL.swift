import RDBKit

extension ExportBucketPreparation {
  /// The ElastiCache grants the bucket's region needs.
  var requiredGrants: [S3BucketACL.Grant] {
    let user = S3BucketACL.Grantee.canonicalUser(
      id: ExportBucketCheck.canonicalUserID(region: region))
    return ExportBucketCheck.requiredACLPermissions.map { .init(grantee: user, permission: $0.0) }
  }

  /// The ACL steps of a region enabled by default: Object Ownership, then the grants.
  func planACL(_ plan: inout Plan) throws(Failure) {
    let acl: S3BucketACL
    if plan.exists {
      let ownership = try read("Object Ownership") { () throws(S3Error) in
        try client.objectOwnership(bucket: bucket)
      }
      if ownership == .bucketOwnerEnforced {
        guard allowACLChange else {
          plan.refusal =
            "Object Ownership of '\(bucket)' is BucketOwnerEnforced, which disables ACLs, and "
            + "in \(region) ElastiCache is given access only through an ACL grant to its "
            + "canonical user. Enabling ACLs (BucketOwnerPreferred) is a change to the bucket's "
            + "security settings: every ACL on the bucket and on objects written with one "
            + "grants access again. Run again with --allow-acl-change to switch it"
          return
        }
        plan.steps.append(
          Step(
            change: .ownershipControls(bucket, .bucketOwnerPreferred),
            reason: "switch Object Ownership from BucketOwnerEnforced to BucketOwnerPreferred, "
              + "so that ACLs work (--allow-acl-change)"))
      }
      acl = try read("ACL") { () throws(S3Error) in try client.bucketACL(bucket: bucket) }
      plan.acl = acl
    } else {
      acl = S3BucketACL(
        ownerID: Self.newOwnerPlaceholder,
        grants: [
          .init(grantee: .canonicalUser(id: Self.newOwnerPlaceholder), permission: "FULL_CONTROL")
        ])
    }
    let missing = requiredGrants.filter { grant in
      !acl.grants.contains(grant)
        && !acl.grants.contains(.init(grantee: grant.grantee, permission: "FULL_CONTROL"))
    }
    guard !missing.isEmpty else { return }
    if plan.exists, acl.hasPublicGrant,
      try read(
        "Block Public Access settings",
        { () throws(S3Error) in
          try client.publicAccessBlock(bucket: bucket)
        })?.blockPublicACLs == true
    {
      plan.refusal =
        "the ACL of '\(bucket)' has a public grant (AllUsers or AuthenticatedUsers) and "
        + "BlockPublicAcls is on: S3 refuses any ACL that repeats it, and prepare-bucket keeps "
        + "every grant. Remove the public grant, then run again"
      return
    }
    let updated = S3BucketACL(ownerID: acl.ownerID, grants: acl.grants + missing)
    plan.steps.append(
      Step(
        change: .acl(bucket, updated),
        reason: "grant the ElastiCache canonical user "
          + "\(ExportBucketCheck.canonicalUserID(region: region)) "
          + missing.map(\.permission).joined(separator: ", ") + ", keeping the ACL's "
          + "\(acl.grants.count) grant\(acl.grants.count == 1 ? "" : "s")"))
  }

  /// Whether `after` holds every grant of `before` and every required one.
  func keepsEveryGrant(before: S3BucketACL, after: S3BucketACL) -> Bool {
    before.grants.allSatisfy(after.grants.contains)
      && requiredGrants.allSatisfy { grant in
        after.grants.contains(grant)
          || after.grants.contains(.init(grantee: grant.grantee, permission: "FULL_CONTROL"))
      }
  }
}
