import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `rdbtool export` end to end against the ElastiCache stand-in (signature-checking Query API,
/// see `Support/elasticache_standin.py`) and a real moto S3 server with IAM on: the bucket is
/// prepared with `s3 prepare-bucket`, the export waited for and verified; each of the three
/// permission errors after removing that grant; the API errors; an interrupted wait.
@Suite struct ExportCommandTests {
  static let elastiCache = "540804c33a284a299d2547575ce1010f2312ef3da9b3a053c8bc45bf233e4353"

  static func with(
    setup: [String] = ["--enable-auth"],
    _ body: (S3MotoServer, ElastiCacheStandIn, [String: String]) throws -> Void
  ) throws {
    try S3MotoServer.with(setup) { server in
      let standIn = try ElastiCacheStandIn(moto: server)
      defer { standIn.stop() }
      var environment = try server.environment(user: "admin")
      environment["AWS_ENDPOINT_URL_ELASTICACHE"] = standIn.endpoint
      let prepared = try S3ToolRunner.rdbtool(
        ["s3", "prepare-bucket", "--region", "us-east-1", server.setup.bucket],
        environment: environment)
      #expect(prepared.status == 0, "\(prepared.stderr)")
      try body(server, standIn, environment)
    }
  }

  static func export(_ arguments: [String], _ environment: [String: String], bucket: String)
    throws -> RDBToolProcess.Result
  {
    try RDBToolProcess.runProgram(
      RDBToolProcess.binary, ["export", "--bucket", bucket, "--region", "us-east-1"] + arguments,
      environment: environment, deadline: 60)
  }

  @Test func exportWaitVerify() throws {
    try Self.with { server, standIn, environment in
      let bucket = server.setup.bucket
      let dry = try Self.export(
        ["--snapshot", "nightly", "--target-name", "night ly/1", "--dry-run"], environment,
        bucket: bucket)
      #expect(dry.status == 0, "\(dry.stderr)")
      #expect(
        dry.stdout == "POST \(standIn.endpoint)/\n"
          + "Content-Type: application/x-www-form-urlencoded; charset=utf-8\n\n"
          + "Action=CopySnapshot&Version=2015-02-02&SourceSnapshotName=nightly"
          + "&TargetSnapshotName=night%20ly%2F1&TargetBucket=\(bucket)\n")
      #expect(standIn.requests.isEmpty)

      let started = Date()
      let result = try Self.export(
        ["--snapshot", "nightly", "--target-name", "nightly-s3", "--wait", "--verify"],
        environment, bucket: bucket)
      #expect(result.status == 0, "\(result.stderr)")
      #expect(
        result.stdout.contains(
          "nightly: CopySnapshot accepted (creating), writing s3://\(bucket)/nightly-s3-NNNN.rdb"),
        "\(result.stdout)")
      #expect(result.stdout.contains("s3://\(bucket)/nightly-s3: 3 of 3 shards, "))
      for shard in 1...3 {
        #expect(result.stdout.contains("s3://\(bucket)/nightly-s3-000\(shard).rdb: OK, "))
      }
      #expect(result.stdout.contains("3 files: 3 OK, 0 failed"))
      // The stand-in writes the first shard 1.5 s after CopySnapshot: the wait waited.
      #expect(Date().timeIntervalSince(started) > 1.5)
      let actions = standIn.requests.compactMap { ($0["params"] as? [String: String])?["Action"] }
      #expect(actions == ["CopySnapshot", "DescribeSnapshots"], "\(standIn.requests)")
      let copy = try #require(standIn.requests.first?["params"] as? [String: String])
      #expect(
        copy == [
          "Action": "CopySnapshot", "Version": "2015-02-02", "SourceSnapshotName": "nightly",
          "TargetSnapshotName": "nightly-s3", "TargetBucket": bucket,
        ])
      #expect(standIn.requests.allSatisfy { $0["status"] as? Int == 200 })
    }
  }

  /// Each grant removed in turn gives its own error and the prepare-bucket line, which fixes it.
  @Test func eachPermissionError() throws {
    try Self.with { server, standIn, environment in
      let bucket = server.setup.bucket
      let python = try #require(S3MotoServer.executable("python3"))
      let admin = try #require(server.setup.users["admin"])
      for permission in ["READ", "WRITE", "READ_ACP"] {
        _ = try S3MotoServer.run(
          python,
          [
            S3MotoServer.helper, "remove-grant", "--endpoint", server.endpoint, "--bucket", bucket,
            "--id", Self.elastiCache, "--permission", permission, "--access-key",
            admin.access_key_id, "--secret-key", admin.secret_access_key,
          ])
        let refused = try Self.export(
          ["--snapshot", "nightly", "--target-name", "denied-\(permission)", "--wait"],
          environment, bucket: bucket)
        #expect(refused.status == 1, "\(permission): \(refused.stdout)")
        #expect(
          refused.stderr.contains(
            "ElastiCache has not been granted \(permission) permissions \(Self.elastiCache) on "
              + "the S3 Bucket."), "\(refused.stderr)")
        #expect(
          refused.stderr.contains("rdbtool s3 prepare-bucket --region us-east-1 \(bucket)"),
          "\(refused.stderr)")
        #expect(refused.stderr.contains("HTTP 400 InvalidParameterValue"))
        #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        let fixed = try S3ToolRunner.rdbtool(
          ["s3", "prepare-bucket", "--region", "us-east-1", bucket], environment: environment)
        #expect(fixed.status == 0, "\(fixed.stderr)")
        #expect(fixed.stdout.contains("grant the ElastiCache canonical user"))
      }
      let statuses = standIn.requests.compactMap { $0["status"] as? Int }
      #expect(statuses == [400, 400, 400])
    }
  }

  @Test func apiErrorsSayWhatToDo() throws {
    try Self.with { server, standIn, environment in
      let bucket = server.setup.bucket
      let missing = try Self.export(
        ["--snapshot", "no-such", "--target-name", "x"], environment, bucket: bucket)
      #expect(missing.status == 1)
      #expect(missing.stderr.contains("Snapshot no-such not found."), "\(missing.stderr)")
      #expect(missing.stderr.contains("aws elasticache describe-snapshots --region us-east-1"))

      let throttled = try Self.export(
        ["--snapshot", "busy", "--target-name", "x"], environment, bucket: bucket)
      #expect(throttled.status == 1)
      #expect(
        throttled.stderr.contains("Rate exceeded: ElastiCache kept throttling"),
        "\(throttled.stderr)")
      let busy = standIn.requests.filter {
        ($0["params"] as? [String: String])?["SourceSnapshotName"] == "busy"
      }
      #expect(busy.count == 4, "4 attempts with backoff")

      let elsewhere = try RDBToolProcess.runProgram(
        RDBToolProcess.binary,
        [
          "export", "--bucket", bucket, "--region", "eu-west-1", "--snapshot", "nightly",
          "--target-name", "x",
        ],
        environment: environment, deadline: 60)
      #expect(elsewhere.status == 1)
      #expect(
        elsewhere.stderr.contains("scoped to a valid region, not 'eu-west-1'"),
        "\(elsewhere.stderr)")
      #expect(elsewhere.stderr.contains("pass the snapshot's region with --region"))

      var wrongKeys = environment
      wrongKeys["AWS_SECRET_ACCESS_KEY"] = "wrongSecretValue0123456789abcdefghijklmn"
      let signature = try Self.export(
        ["--snapshot", "nightly", "--target-name", "x"], wrongKeys, bucket: bucket)
      #expect(signature.status == 1)
      #expect(signature.stderr.contains("SignatureDoesNotMatch"), "\(signature.stderr)")
      #expect(signature.stderr.contains("check the AWS credentials"))
      #expect(!signature.stderr.contains("wrongSecretValue"))
    }
  }

  /// ACLs disabled: the complete grant is ignored, so ElastiCache answers READ, and the fix
  /// needs --allow-acl-change, after which the export goes through.
  @Test func aclsDisabledNeedTheOwnershipChange() throws {
    try Self.with(setup: ["--ownership-scenarios", "--enable-auth"]) {
      server, standIn, environment in
      let refused = try Self.export(
        ["--snapshot", "nightly", "--target-name", "enforced"], environment, bucket: "own-enforced")
      #expect(refused.status == 1)
      #expect(refused.stderr.contains("has not been granted READ permissions"), "\(refused.stderr)")
      #expect(refused.stderr.contains("add --allow-acl-change if its Object Ownership"))
      let fixed = try S3ToolRunner.rdbtool(
        ["s3", "prepare-bucket", "--region", "us-east-1", "--allow-acl-change", "own-enforced"],
        environment: environment)
      #expect(fixed.status == 0, "\(fixed.stderr)")
      let exported = try Self.export(
        ["--snapshot", "nightly", "--target-name", "enforced", "--wait"], environment,
        bucket: "own-enforced")
      #expect(exported.status == 0, "\(exported.stderr)")
      #expect(exported.stdout.contains("s3://own-enforced/enforced: 3 of 3 shards"))
    }
  }

  /// An opt-in region: the bucket policy is what ElastiCache checks, and a bucket in another
  /// region is refused with where it is.
  @Test func optInRegionUsesThePolicy() throws {
    try S3MotoServer.with(["--enable-auth"]) { server in
      let standIn = try ElastiCacheStandIn(moto: server, region: "ap-east-1")
      defer { standIn.stop() }
      var environment = try server.environment(user: "admin")
      environment["AWS_ENDPOINT_URL_ELASTICACHE"] = standIn.endpoint
      environment["AWS_REGION"] = "ap-east-1"
      func export(_ bucket: String, _ extra: [String] = []) throws -> RDBToolProcess.Result {
        try RDBToolProcess.runProgram(
          RDBToolProcess.binary,
          ["export", "--snapshot", "nightly", "--target-name", "hk", "--bucket", bucket] + extra,
          environment: environment, deadline: 60)
      }
      let created = try S3ToolRunner.rdbtool(
        ["s3", "prepare-bucket", "--region", "ap-east-1", "--create", "hk-exports"],
        environment: environment)
      #expect(created.status == 0, "\(created.stderr)")
      let exported = try export("hk-exports", ["--verify"])
      #expect(exported.status == 0, "\(exported.stderr)")
      #expect(exported.stdout.contains("3 files: 3 OK, 0 failed"), "\(exported.stdout)")
      let outside = try export(server.setup.bucket)
      #expect(outside.status == 1)
      #expect(outside.stderr.contains("is outside of the region"), "\(outside.stderr)")
      #expect(outside.stderr.contains("(it is in us-east-1)"), "\(outside.stderr)")
      // A dry run for a new opt-in bucket: CreateBucket with its LocationConstraint, then
      // the policy; nothing is created.
      let plan = try S3ToolRunner.rdbtool(
        ["s3", "prepare-bucket", "--region", "ap-east-1", "--create", "hk-bare", "--dry-run"],
        environment: environment)
      #expect(plan.status == 0, "\(plan.stderr)")
      #expect(plan.stdout.contains("<LocationConstraint>ap-east-1</LocationConstraint>"))
      #expect(
        plan.stdout.contains("{\"Service\":\"ap-east-1.elasticache-snapshot.amazonaws.com\"}"),
        "\(plan.stdout)")
      #expect(plan.stdout.contains("dry run: 2 requests not sent"))
      let missing = try S3ToolRunner.rdbtool(
        ["s3", "check-bucket", "--region", "ap-east-1", "hk-bare"], environment: environment)
      #expect(missing.stdout.contains("NoSuchBucket"), "\(missing.stdout)")
    }
  }

  @Test(arguments: [
    ["--target-name", ""], ["--target-name", String(repeating: "n", count: 1001)],
    ["--target-name", "x", "--wait-timeout", "0"],
  ])
  func usageErrorsExitTwo(_ arguments: [String]) throws {
    let result = try RDBToolProcess.run(
      ["export", "--snapshot", "s", "--bucket", "my-bucket"] + arguments)
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count >= 1)
  }

  /// SIGINT while waiting for the shards: one line, exit 130.
  @Test func interruptedWait() throws {
    try Self.with { server, standIn, environment in
      let process = Process()
      process.executableURL = RDBToolProcess.binary
      process.arguments = [
        "export", "--bucket", server.setup.bucket, "--region", "us-east-1", "--snapshot", "slow",
        "--target-name", "slow-s3", "--wait",
      ]
      process.environment = environment
      let errorFile = standIn.directory.appendingPathComponent("export.err")
      _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
      let errors = try FileHandle(forWritingTo: errorFile)
      defer { try? errors.close() }
      process.standardError = errors
      process.standardOutput = FileHandle.nullDevice
      try process.run()
      let deadline = Date().addingTimeInterval(30)
      while process.isRunning, Date() < deadline, standIn.requests.count < 2 {
        Thread.sleep(forTimeInterval: 0.05)
      }
      #expect(standIn.requests.count == 2, "CopySnapshot and DescribeSnapshots before waiting")
      Thread.sleep(forTimeInterval: 0.3)
      kill(process.processIdentifier, SIGINT)
      let exitDeadline = Date().addingTimeInterval(10)
      while process.isRunning, Date() < exitDeadline { Thread.sleep(forTimeInterval: 0.02) }
      let ended = !process.isRunning
      if !ended { kill(process.processIdentifier, SIGKILL) }
      process.waitUntilExit()
      #expect(ended, "rdbtool export did not end within 10 s of SIGINT")
      let message = try String(contentsOf: errorFile, encoding: .utf8)
      #expect(process.terminationStatus == 130, "\(message)")
      #expect(message == "rdbtool: interrupted by SIGINT\n")
    }
  }
}
