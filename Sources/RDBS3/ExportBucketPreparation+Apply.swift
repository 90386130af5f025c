import RDBKit

extension ExportBucketPreparation {
  /// Sends the steps of `plan`, creating the bucket first and planning again once it exists.
  ///
  /// Before each ACL or policy write the ACL or policy is read again and must equal what the
  /// plan read (S3 has no precondition for these writes); after it, it is read back and must
  /// hold every earlier grant or statement and ElastiCache's.
  /// - Returns: One line per change made.
  /// - Throws: ``Failure`` naming the request that failed, or a concurrent change.
  public func apply(_ plan: Plan) throws(Failure) -> [String] {
    var plan = plan
    var done: [String] = []
    if let create = plan.steps.first, create.change.operation == "CreateBucket" {
      try send(create)
      done.append(create.reason)
      plan = try self.plan()
    }
    if let refusal = plan.refusal { throw Failure(description: refusal) }
    for step in plan.steps {
      switch step.change.operation {
      case "PutBucketAcl":
        let before = try read("ACL") { () throws(S3Error) in try client.bucketACL(bucket: bucket) }
        guard before == plan.acl, let original = plan.acl else { throw changedMeanwhile("ACL") }
        try send(step)
        let after = try read("ACL") { () throws(S3Error) in try client.bucketACL(bucket: bucket) }
        guard keepsEveryGrant(before: original, after: after) else {
          throw Failure(
            description: "after PutBucketAcl the ACL of '\(bucket)' lacks a grant it had or "
              + "ElastiCache's: check it with rdbtool s3 check-bucket")
        }
      case "PutBucketPolicy":
        let before = try read("policy") { () throws(S3Error) in
          try client.bucketPolicy(bucket: bucket)
        }
        guard before == plan.policy else { throw changedMeanwhile("policy") }
        try send(step)
        let after = try read("policy") { () throws(S3Error) in
          try client.bucketPolicy(bucket: bucket)
        }
        guard Self.keepsEveryStatement(before: before, after: after) else {
          throw Failure(
            description: "after PutBucketPolicy the policy of '\(bucket)' lacks a statement it "
              + "had: check it with rdbtool s3 check-bucket")
        }
      default:
        try send(step)
      }
      done.append(step.reason)
    }
    return done
  }

  private func send(_ step: Step) throws(Failure) {
    do { try client.apply(step.change) } catch {
      var advice = ""
      if error.awsCode == "AccessControlListNotSupported" {
        advice =
          "; ACLs are disabled (Object Ownership BucketOwnerEnforced): run again with "
          + "--allow-acl-change"
      }
      throw Failure(description: "\(step.change.operation) failed: \(error)\(advice)")
    }
  }

  private func changedMeanwhile(_ what: String) -> Failure {
    Failure(
      description: "the \(what) of '\(bucket)' changed since it was read (someone else is "
        + "changing it): nothing was written; run again")
  }
}
