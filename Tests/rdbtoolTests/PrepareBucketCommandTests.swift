import Foundation
import Testing

/// `rdbtool s3 prepare-bucket` against real moto buckets with signature checks on: a new
/// bucket, an ACL-disabled one, an ACL-enabled one with other grants, and opt-in-region
/// buckets with and without a policy. After each run `s3 check-bucket` passes, every earlier
/// grant and statement is still there (read back with boto3), and a second run changes nothing.
@Suite struct PrepareBucketCommandTests {
  static let elastiCache = "540804c33a284a299d2547575ce1010f2312ef3da9b3a053c8bc45bf233e4353"
  static let other = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"

  struct BucketState: Decodable, Equatable {
    var grants: [String]
    var ownership: String?
    var policy: Policy?
    struct Policy: Decodable, Equatable {
      var Statement: [Statement]
    }
    struct Statement: Decodable, Equatable {
      var Sid: String?
      var Action: Strings
      var Resource: Strings
    }
    enum Strings: Decodable, Equatable {
      case one(String)
      case many([String])
      init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let one = try? container.decode(String.self) {
          self = .one(one)
        } else {
          self = .many(try container.decode([String].self))
        }
      }
    }
  }

  /// The bucket as boto3 reads it with the admin keys.
  static func state(_ server: S3MotoServer, _ bucket: String, region: String) throws -> BucketState
  {
    let python = try #require(S3MotoServer.executable("python3"))
    let keys = try #require(server.setup.users["admin"])
    let output = try S3MotoServer.run(
      python,
      [
        S3MotoServer.helper, "describe-bucket", "--endpoint", server.endpoint, "--bucket", bucket,
        "--region", region, "--access-key", keys.access_key_id, "--secret-key",
        keys.secret_access_key,
      ])
    return try JSONDecoder().decode(BucketState.self, from: output)
  }

  static func prepare(_ arguments: [String], _ environment: [String: String]) throws
    -> RDBToolProcess.Result
  {
    try S3ToolRunner.rdbtool(["s3", "prepare-bucket"] + arguments, environment: environment)
  }

  /// check-bucket passes, and a second prepare-bucket says there is nothing to change.
  static func expectReadyAndIdempotent(
    _ bucket: String, region: String, _ environment: [String: String]
  ) throws {
    let check = try S3ToolRunner.rdbtool(
      ["s3", "check-bucket", "--region", region, bucket], environment: environment)
    #expect(check.status == 0, "\(bucket): \(check.stdout)")
    let again = try prepare(["--region", region, bucket], environment)
    #expect(again.status == 0, "\(bucket): \(again.stderr)")
    #expect(
      again.stdout
        == "\(bucket) (\(region)): nothing to change: ElastiCache can already export here\n",
      "\(again.stdout)")
  }

  @Test func defaultRegionBuckets() throws {
    try S3MotoServer.with(["--ownership-scenarios", "--enable-auth"]) { server in
      let environment = try server.environment(user: "admin")
      let region = "us-east-1"

      // A new bucket: refused without --allow-acl-change (2), planned by --dry-run, created.
      let refused = try Self.prepare(["--region", region, "--create", "new-exports"], environment)
      #expect(refused.status == 2)
      #expect(refused.stderr.contains("add --allow-acl-change"), "\(refused.stderr)")
      let dry = try Self.prepare(
        ["--region", region, "--create", "--allow-acl-change", "--dry-run", "new-exports"],
        environment)
      #expect(dry.status == 0, "\(dry.stderr)")
      #expect(
        dry.stdout.contains(
          "PUT \(server.endpoint)/new-exports\nx-amz-object-ownership: BucketOwnerPreferred\n"),
        "\(dry.stdout)")
      #expect(dry.stdout.contains("PUT \(server.endpoint)/new-exports?acl=\nContent-MD5: "))
      #expect(dry.stdout.contains("<ID>\(Self.elastiCache)</ID></Grantee><Permission>READ_ACP"))
      #expect(dry.stdout.contains("dry run: 2 requests not sent"))
      let stillMissing = try S3ToolRunner.rdbtool(
        ["s3", "check-bucket", "new-exports"], environment: environment)
      #expect(stillMissing.status == 1)
      #expect(stillMissing.stdout.contains("NoSuchBucket"), "\(stillMissing.stdout)")
      let created = try Self.prepare(
        ["--region", region, "--create", "--allow-acl-change", "new-exports"], environment)
      #expect(created.status == 0, "\(created.stderr)")
      #expect(
        created.stdout.contains("changed: create the bucket in us-east-1"), "\(created.stdout)")
      #expect(created.stdout.hasSuffix("new-exports (us-east-1): ready for ElastiCache exports\n"))
      let new = try Self.state(server, "new-exports", region: region)
      #expect(new.ownership == "BucketOwnerPreferred")
      #expect(new.grants.count == 4, "owner FULL_CONTROL and three grants: \(new.grants)")
      try Self.expectReadyAndIdempotent("new-exports", region: region, environment)
      let missing = try Self.prepare(["--region", region, "no-such-exports"], environment)
      #expect(missing.status == 1)
      #expect(missing.stderr.contains("pass --create"), "\(missing.stderr)")

      // ACLs disabled: refused with the reason, nothing changed; switched with the flag.
      let before = try Self.state(server, "own-enforced-bare", region: region)
      let disabled = try Self.prepare(["--region", region, "own-enforced-bare"], environment)
      #expect(disabled.status == 1)
      #expect(disabled.stderr.contains("BucketOwnerEnforced, which disables ACLs"))
      #expect(disabled.stderr.contains("Run again with --allow-acl-change"), "\(disabled.stderr)")
      #expect(try Self.state(server, "own-enforced-bare", region: region) == before)
      let switched = try Self.prepare(
        ["--region", region, "--allow-acl-change", "own-enforced-bare"], environment)
      #expect(switched.status == 0, "\(switched.stderr)")
      #expect(switched.stdout.contains("changed: switch Object Ownership"), "\(switched.stdout)")
      let after = try Self.state(server, "own-enforced-bare", region: region)
      #expect(after.ownership == "BucketOwnerPreferred")
      #expect(Set(before.grants).isSubset(of: after.grants))
      try Self.expectReadyAndIdempotent("own-enforced-bare", region: region, environment)

      // Other grants (another account, AuthenticatedUsers, ElastiCache's READ) all stay.
      let others = try Self.state(server, "acl-other-grants", region: region)
      #expect(others.grants.contains("\(Self.other) WRITE_ACP"))
      let plan = try Self.prepare(
        ["--region", region, "--dry-run", "acl-other-grants"], environment)
      #expect(
        plan.stdout.contains("PUT \(server.endpoint)/acl-other-grants?acl="), "\(plan.stdout)")
      #expect(plan.stdout.contains("<ID>\(Self.other)</ID></Grantee><Permission>WRITE_ACP"))
      #expect(
        plan.stdout.contains(
          "grant the ElastiCache canonical user \(Self.elastiCache) WRITE, READ_ACP, keeping the ACL's 4 grants"
        ))
      #expect(try Self.state(server, "acl-other-grants", region: region) == others)
      let granted = try Self.prepare(["--region", region, "acl-other-grants"], environment)
      #expect(granted.status == 0, "\(granted.stderr)")
      let grants = try Self.state(server, "acl-other-grants", region: region).grants
      #expect(Set(others.grants).isSubset(of: grants))
      #expect(grants.count == others.grants.count + 2, "\(grants)")
      try Self.expectReadyAndIdempotent("acl-other-grants", region: region, environment)
    }
  }

  @Test func optInRegionBuckets() throws {
    try S3MotoServer.with(["--scenarios", "--ownership-scenarios", "--enable-auth"]) { server in
      var environment = try server.environment(user: "admin")
      let region = "ap-east-1"
      environment["AWS_REGION"] = region

      // An existing policy: its two statements stay, ElastiCache's is added under a free Sid.
      let before = try #require(
        try Self.state(server, "optin-other-statement", region: region).policy)
      let dry = try Self.prepare(
        ["--region", region, "--dry-run", "optin-other-statement"], environment)
      #expect(
        dry.stdout.contains("PUT \(server.endpoint)/optin-other-statement?policy="), "\(dry.stdout)"
      )
      #expect(dry.stdout.contains("\"Sid\":\"ElastiCacheSnapshotExport2\""), "\(dry.stdout)")
      #expect(dry.stdout.contains("keeping the policy's 2 statements"))
      let added = try Self.prepare(["--region", region, "optin-other-statement"], environment)
      #expect(added.status == 0, "\(added.stderr)")
      let after = try #require(
        try Self.state(server, "optin-other-statement", region: region).policy)
      #expect(after.Statement.count == 3)
      for statement in before.Statement { #expect(after.Statement.contains(statement)) }
      try Self.expectReadyAndIdempotent("optin-other-statement", region: region, environment)

      // No policy, and a new bucket: the statement alone.
      for (bucket, create) in [("ec-optin-no-policy", false), ("new-optin-exports", true)] {
        let made = try Self.prepare(
          ["--region", region, bucket] + (create ? ["--create"] : []), environment)
        #expect(made.status == 0, "\(bucket): \(made.stderr)")
        let policy = try #require(try Self.state(server, bucket, region: region).policy)
        #expect(policy.Statement.count == 1)
        try Self.expectReadyAndIdempotent(bucket, region: region, environment)
      }

      // A bucket in another region is refused.
      let elsewhere = try Self.prepare(["--region", "eu-west-1", "acl-other-grants"], environment)
      #expect(elsewhere.status == 1)
      #expect(elsewhere.stderr.contains("is in us-east-1, not eu-west-1"), "\(elsewhere.stderr)")
    }
  }

  @Test(arguments: [
    ["--region", "eu-west-1", "Not_DNS"], ["--region", "eu-west-1", "bad..name"],
    ["--region", "Europe", "good-name"], ["good-name"],
  ])
  func usageErrorsExitTwo(_ arguments: [String]) throws {
    let result = try RDBToolProcess.run(["s3", "prepare-bucket"] + arguments)
    #expect(result.status == 2, "\(arguments): \(result.stderr)")
  }
}
