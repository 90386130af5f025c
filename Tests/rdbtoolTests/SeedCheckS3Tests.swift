import Foundation
import Testing

/// `rdbtool seed-check`'s `s3` rule against a real moto S3 server (signature checks and IAM
/// on): a passing case and a failing case for each sub-check (region, bucket grant, object
/// grant, bucket policy in an opt-in region, empty, missing and missing-shard objects), and
/// the `aws` commands the failures suggest, run with the real AWS CLI, making them pass; and
/// the same findings as text.
@Suite struct SeedCheckS3Tests {
  static let rdb = RDBToolProcess.fixture("redis-7.0.15/default.rdb")
  static let target = ["--target", "elasticache-valkey-8.0"]

  /// The exit status and the `s3` findings of one run.
  struct Check {
    var status: Int32
    var findings: [[String: Any]]

    var statuses: [String] { findings.compactMap { $0["status"] as? String } }
    var failures: [[String: Any]] { findings.filter { $0["status"] as? String == "fail" } }

    func failure(containing text: String) -> [String: Any]? {
      failures.first { ($0["message"] as? String)?.contains(text) == true }
    }
  }

  static func seedCheck(_ arguments: [String], _ environment: [String: String]) throws -> Check {
    let run = try S3ToolRunner.rdbtool(
      ["seed-check", "--json", "-q"] + target + arguments, environment: environment)
    let object = try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8))
    let document = try #require(object as? [String: Any], "\(run.stdout)\(run.stderr)")
    let findings = try #require(document["findings"] as? [[String: Any]])
    return Check(status: run.status, findings: findings.filter { $0["rule"] as? String == "s3" })
  }

  /// Runs a finding's `aws …` command against the server with `environment`'s keys.
  static func runAWS(
    _ finding: [String: Any], _ server: S3MotoServer, _ environment: [String: String]
  )
    throws
  {
    let command = try #require(finding["command"] as? [String])
    #expect(command.first == "aws", "\(command)")
    let aws = try #require(
      S3MotoServer.executable("aws"), "the AWS CLI is not installed: make setup")
    var environment = environment
    environment["AWS_DEFAULT_REGION"] = "us-east-1"
    let run = try S3ToolRunner.run(
      aws, Array(command.dropFirst()) + ["--endpoint-url", server.endpoint],
      environment: environment)
    #expect(run.status == 0, "\(command): \(run.stderr)")
  }

  @Test func eachSubCheckPassesAndFails() throws {
    try S3MotoServer.with(["--seed-scenarios", Self.rdb, "--enable-auth"]) { server in
      let admin = try server.environment(user: "admin")
      func check(_ arguments: String...) throws -> Check { try Self.seedCheck(arguments, admin) }

      // Passing: bucket and object grants, in the cluster's region; sizes reported.
      for arguments in [
        ["s3://seed-ok/dump.rdb"], ["--target-region", "us-east-1", "s3://seed-ok/dump.rdb"],
      ] {
        let ok = try Self.seedCheck(arguments, admin)
        #expect(ok.status == 0, "\(ok.findings)")
        #expect(!ok.statuses.isEmpty && ok.statuses.allSatisfy { $0 == "pass" }, "\(ok.findings)")
        #expect(
          ok.findings.contains { ($0["message"] as? String)?.hasPrefix("1 object, ") == true })
      }
      let export = try check("s3://seed-ok/seed")
      #expect(export.statuses.allSatisfy { $0 == "pass" }, "\(export.findings)")
      #expect(
        export.findings.contains {
          ($0["message"] as? String)?.hasPrefix("2 objects, ") == true
            && ($0["message"] as? String)?.contains("s3://seed-ok/seed-0002.rdb") == true
        })

      // The bucket in another region than the cluster.
      let region = try check("--target-region", "eu-west-1", "s3://seed-ok/dump.rdb")
      #expect(region.status == 1)
      let moved = try #require(region.failure(containing: "the cluster is to be in eu-west-1"))
      let copy = try #require(moved["command"] as? [String])
      #expect(copy.starts(with: ["aws", "s3", "cp", "--recursive", "s3://seed-ok/"]))
      #expect(copy.suffix(4) == ["--source-region", "us-east-1", "--region", "eu-west-1"])

      // No bucket grant, then no object grant: each fixed by the command it suggests.
      for (bucket, text) in [
        ("seed-no-bucket-grant", "bucket seed-no-bucket-grant: the ACL does not grant"),
        ("seed-no-object-grant", "the object ACL does not grant the ElastiCache canonical user"),
      ] {
        let url = "s3://\(bucket)/dump.rdb"
        let failing = try check(url)
        #expect(failing.status == 1, "\(bucket)")
        #expect(failing.failures.count == 1, "\(failing.failures)")
        let finding = try #require(failing.failure(containing: text), "\(failing.failures)")
        try Self.runAWS(finding, server, admin)
        let fixed = try check(url)
        #expect(fixed.status == 0, "\(bucket) after the fix: \(fixed.failures)")
      }

      // Empty, missing, and a missing shard of an export.
      let empty = try check("s3://seed-empty/")
      #expect(empty.status == 1)
      #expect(empty.failure(containing: "s3://seed-empty/empty.rdb is empty (0 bytes)") != nil)
      let missing = try check("s3://seed-ok/nope.rdb")
      #expect(missing.status == 1)
      #expect(missing.failure(containing: "s3://seed-ok/nope.rdb does not exist") != nil)
      let gap = try check("s3://seed-gap/exp")
      #expect(gap.status == 1)
      let shard = try #require(gap.failure(containing: "s3://seed-gap/exp-0002.rdb is missing"))
      #expect((shard["command"] as? [String])?.last == "s3://seed-gap/exp-0002.rdb")

      // Opt-in region: the bucket policy, which must allow reading each object.
      let optIn = try check("--target-region", "ap-east-1", "s3://seed-optin-ok/dump.rdb")
      #expect(optIn.status == 0, "\(optIn.failures)")
      let oneObject = try check("s3://seed-optin-one-object/dump.rdb")
      #expect(oneObject.status == 1)
      let policy = try #require(
        oneObject.failure(
          containing: "does not allow ap-east-1.elasticache-snapshot.amazonaws.com s3:GetObject"))
      #expect(
        policy["command"] as? [String] == [
          "rdbtool", "s3", "policy", "--region", "ap-east-1", "seed-optin-one-object",
        ])
    }
  }

  /// Without `--json`: each `s3` finding a line, a failure's fix and command under it, the
  /// summary last, and the same exit status.
  @Test func textReportShowsTheS3FindingsAndTheirCommands() throws {
    try S3MotoServer.with(["--seed-scenarios", Self.rdb, "--enable-auth"]) { server in
      let admin = try server.environment(user: "admin")
      func text(_ url: String) throws -> (status: Int32, lines: [Substring]) {
        let run = try S3ToolRunner.rdbtool(
          ["seed-check", "-q"] + Self.target + [url], environment: admin)
        return (run.status, run.stdout.split(separator: "\n"))
      }
      let passing = try text("s3://seed-ok/dump.rdb")
      #expect(passing.status == 0, "\(passing.lines)")
      #expect(passing.lines.contains { $0.hasPrefix("PASS s3: 1 object, ") })
      #expect(
        passing.lines.contains {
          $0.hasPrefix("PASS s3: the ACL of every object of seed-ok grants the ElastiCache")
        }, "\(passing.lines)")
      #expect(passing.lines.last?.hasPrefix("seed would load: 0 failed") == true)

      let failing = try text("s3://seed-gap/exp")
      #expect(failing.status == 1, "\(failing.lines)")
      let line = try #require(
        failing.lines.firstIndex { $0.hasPrefix("FAIL s3: s3://seed-gap/exp-0002.rdb is missing") },
        "\(failing.lines)")
      #expect(failing.lines[line + 1].hasPrefix("  to fix: put the missing shard's file there"))
      #expect(failing.lines[line + 2] == "    aws s3 cp exp-0002.rdb s3://seed-gap/exp-0002.rdb")
      // The other failure is the cluster rule's: two files for a cluster-mode-disabled target.
      #expect(
        failing.lines.last?.hasPrefix("seed would NOT load: 2 failed") == true, "\(failing.lines)")
    }
  }
}
