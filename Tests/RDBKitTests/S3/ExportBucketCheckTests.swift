import Foundation
import Testing

@testable import RDBKit
@testable import RDBS3

/// The export-bucket rules on hand-made inputs (no network).
@Suite struct ExportBucketCheckTests {
  static let ecID = ExportBucketCheck.elastiCacheCanonicalUserID

  func acl(_ permissions: [String], id: String = ecID, groups: [String] = []) -> S3BucketACL {
    S3BucketACL(
      ownerID: "owner",
      grants: [.init(grantee: .canonicalUser(id: "owner"), permission: "FULL_CONTROL")]
        + permissions.map { .init(grantee: .canonicalUser(id: id), permission: $0) }
        + groups.map { .init(grantee: .group(uri: $0), permission: "READ") })
  }

  func failures(_ findings: [ExportBucketFinding]) -> [ExportBucketFinding] {
    findings.filter { $0.severity == .failure }
  }

  @Test func aclRules() {
    let ok = ExportBucketCheck.evaluate(
      bucket: "rdb-exports", region: "us-east-1", cacheRegion: "us-east-1",
      acl: .success(acl(["READ", "WRITE", "READ_ACP"])), policy: .success(nil))
    #expect(ok.allSatisfy { $0.severity == .pass }, "\(ok)")
    #expect(
      ExportBucketCheck.evaluate(
        bucket: "rdb-exports", region: "eu-west-1", cacheRegion: nil,
        acl: .success(acl(["FULL_CONTROL"])), policy: .success(nil)
      ).allSatisfy { $0.severity == .pass })

    let noWrite = failures(
      ExportBucketCheck.evaluate(
        bucket: "rdb-exports", region: "us-east-1", cacheRegion: nil,
        acl: .success(acl(["READ", "READ_ACP"])), policy: .success(nil)))
    #expect(noWrite.map(\.rule) == [.aclGrants])
    #expect(noWrite.first?.message.contains("Write objects (WRITE)") == true)
    #expect(noWrite.first?.message.contains("List objects") == false)

    let gov = failures(
      ExportBucketCheck.evaluate(
        bucket: "rdb-exports", region: "us-gov-west-1", cacheRegion: nil,
        acl: .success(acl(["READ", "WRITE", "READ_ACP"])), policy: .success(nil)))
    #expect(gov.first?.message.contains(ExportBucketCheck.govCloudCanonicalUserID) == true)
    #expect(gov.first?.message.contains("commercial ElastiCache id") == true)
    #expect(
      failures(
        ExportBucketCheck.evaluate(
          bucket: "rdb-exports", region: "us-gov-west-1", cacheRegion: nil,
          acl: .success(
            acl(["READ", "WRITE", "READ_ACP"], id: ExportBucketCheck.govCloudCanonicalUserID)),
          policy: .success(nil))
      ).isEmpty)
  }

  @Test func nameAndRegionRules() {
    let findings = failures(
      ExportBucketCheck.evaluate(
        bucket: "Rdb_Exports", region: "us-east-1", cacheRegion: "eu-west-1",
        acl: .success(acl(["FULL_CONTROL"])), policy: .success(nil)))
    #expect(findings.map(\.rule) == [.bucketName, .region])
    #expect(findings.last?.message.contains("the cache is in eu-west-1") == true)
  }

  @Test func generatedPolicyPassesInOptInRegions() throws {
    for region in [
      "ap-east-1", "me-south-1", "af-south-1", "eu-south-1", "ap-southeast-3", "me-central-1",
    ] {
      #expect(ExportBucketCheck.isOptInRegion(region))
      let policy = ExportBucketPolicy(bucket: "rdb-exports", region: region)
      let findings = ExportBucketCheck.evaluate(
        bucket: "rdb-exports", region: region, cacheRegion: region, acl: nil,
        policy: .success(policy.json))
      #expect(findings.allSatisfy { $0.severity == .pass }, "\(region): \(findings)")
      let document = try #require(
        try JSONSerialization.jsonObject(with: Data(policy.json.utf8)) as? [String: Any])
      let statement = try #require((document["Statement"] as? [[String: Any]])?.first)
      #expect(
        (statement["Principal"] as? [String: String])?["Service"]
          == "\(region).elasticache-snapshot.amazonaws.com")
      #expect(statement["Action"] as? [String] == ExportBucketPolicy.actions)
    }
    #expect(!ExportBucketCheck.isOptInRegion("us-east-1"))
    #expect(
      ExportBucketPolicy(bucket: "b", region: "us-gov-west-1").resources == [
        "arn:aws-us-gov:s3:::b", "arn:aws-us-gov:s3:::b/*",
      ])
  }

  @Test func wildcardActionsAndResourcesCount() {
    let policy = """
      {"Statement": {"Effect": "Allow", "Principal": {"Service": ["ap-east-1.elasticache-snapshot.amazonaws.com"]},
       "Action": ["s3:*Object", "s3:List*", "s3:GetBucketAcl"], "Resource": "arn:aws:s3:::rdb-exports*"}}
      """
    let findings = ExportBucketCheck.evaluate(
      bucket: "rdb-exports", region: "ap-east-1", cacheRegion: nil, acl: nil,
      policy: .success(policy))
    #expect(failures(findings).isEmpty, "\(findings)")
    #expect(PolicyStatement.glob("s3:get*", matches: "s3:getobject"))
    #expect(!PolicyStatement.glob("s3:get?", matches: "s3:getobject"))
  }
}
