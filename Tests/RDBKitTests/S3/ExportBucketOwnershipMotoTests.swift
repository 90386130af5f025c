import Foundation
import Testing

@testable import RDBKit
@testable import RDBS3

/// check-bucket's Object Ownership and Block Public Access rules on real moto buckets in each
/// state (`s3_helper.py setup --ownership-scenarios`), read with signature checks on.
@Suite struct ExportBucketOwnershipMotoTests {
  @Test func ownershipAndBlockPublicAccessStates() throws {
    try MotoServer.with(setupArguments: ["--ownership-scenarios", "--enable-auth"]) {
      server, setup in
      #expect(setup.scenarios.count == 10)
      let check = ExportBucketCheck(client: server.client(try setup.user("admin")))
      func finding(_ report: ExportBucketCheck.Report, _ rule: ExportBucketFinding.Rule)
        -> [ExportBucketFinding]
      {
        report.findings.filter { $0.rule == rule }
      }

      let enforced = check.run(bucket: "own-enforced")
      #expect(!enforced.passed)
      #expect(enforced.ownership == .success(.bucketOwnerEnforced))
      let ownershipFailure = try #require(finding(enforced, .objectOwnership).first)
      #expect(ownershipFailure.severity == .failure)
      #expect(ownershipFailure.message.contains("BucketOwnerEnforced, which disables ACLs"))
      #expect(
        ownershipFailure.message.contains(
          "rdbtool s3 prepare-bucket --region us-east-1 --allow-acl-change own-enforced"))
      #expect(ownershipFailure.message.contains("ObjectOwnership=BucketOwnerPreferred"))
      // The grant itself is complete: ownership alone fails the bucket.
      #expect(finding(enforced, .aclGrants).first?.severity == .pass)

      for (bucket, value) in [
        ("own-preferred", "BucketOwnerPreferred"), ("own-writer", "ObjectWriter"),
      ] {
        let report = check.run(bucket: bucket)
        #expect(report.passed, "\(report.findings)")
        #expect(
          finding(report, .objectOwnership).first?.message.contains("\(value): ACLs are enabled")
            == true)
      }
      // moto's buckets, like S3's made before 2023, have no ownership controls.
      let legacy = check.run(bucket: "pab-off")
      #expect(legacy.ownership == .success(nil))
      #expect(finding(legacy, .objectOwnership).first?.message.contains("ObjectWriter") == true)
      #expect(legacy.passed)
      let off = finding(legacy, .blockPublicAccess)
      #expect(off.map(\.severity) == [.pass])
      #expect(off.first?.message.contains("no Block Public Access setting is on") == true)

      let allOn = check.run(bucket: "pab-all-on")
      #expect(allOn.passed)
      #expect(
        allOn.publicAccessBlock
          == .success(
            S3PublicAccessBlock(
              blockPublicACLs: true, ignorePublicACLs: true, blockPublicPolicy: true,
              restrictPublicBuckets: true)))
      #expect(
        finding(allOn, .blockPublicAccess).first?.message
          == "BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets on: "
          + "none of them affects ElastiCache, whose grant is not public")

      // A public grant under BlockPublicAcls: the export works, rewriting the ACL would not.
      let publicGrant = check.run(bucket: "pab-public-grant")
      #expect(publicGrant.passed)
      let warnings = finding(publicGrant, .blockPublicAccess).filter { $0.severity == .warning }
      #expect(warnings.count == 1)
      #expect(warnings.first?.message.contains("remove the public grant before") == true)

      let star = check.run(bucket: "pab-optin-star")
      #expect(star.passed)
      #expect(finding(star, .objectOwnership).isEmpty, "opt-in regions use the policy, not ACLs")
      #expect(
        finding(star, .blockPublicAccess).contains {
          $0.severity == .warning && $0.message.contains("BlockPublicPolicy is on")
        })

      // The original scenario bucket: no ownership controls and no settings of its own.
      let plain = check.run(bucket: setup.bucket)
      #expect(
        finding(plain, .blockPublicAccess).first?.message.contains("the account's apply") == true)
    }
  }

  /// Without s3:GetBucketOwnershipControls and s3:GetBucketPublicAccessBlock both rules warn.
  /// (moto does not check IAM for these two actions, so the errors are S3's documented 403.)
  @Test func unreadableSettingsWarn() {
    let denied = S3Error(
      .accessDenied, operation: "GetBucketOwnershipControls", bucket: "b", httpStatus: 403,
      awsCode: "AccessDenied")
    let findings = ExportBucketCheck.evaluate(
      bucket: "bucket-x", region: "eu-west-1", cacheRegion: nil,
      acl: .success(S3BucketACL(ownerID: "o", grants: [])), policy: .success(nil),
      ownership: .failure(denied), publicAccessBlock: .failure(denied))
    let ownership = findings.first { $0.rule == .objectOwnership }
    #expect(ownership?.severity == .warning)
    #expect(ownership?.message.contains("cannot read Object Ownership") == true)
    let block = findings.first { $0.rule == .blockPublicAccess }
    #expect(block?.severity == .warning)
    #expect(block?.message.contains("AccessDenied") == true)
    // Not read at all (nil): no finding, as before these rules existed.
    let unread = ExportBucketCheck.evaluate(
      bucket: "bucket-x", region: "eu-west-1", cacheRegion: nil,
      acl: .success(S3BucketACL(ownerID: "o", grants: [])), policy: .success(nil))
    #expect(!unread.contains { $0.rule == .objectOwnership || $0.rule == .blockPublicAccess })
  }
}
