import Foundation
import Testing

/// `rdbtool` against a real moto S3 server with signature checks and IAM on: the s3:// inputs
/// of the reading commands, `fetch`, S3 errors as users see them, and `s3 check-bucket`.
/// Each test starts its own server (the suites run in parallel), so no state is shared.
@Suite struct S3CommandTests {
  /// The export's shards read through S3 print what the same local files print.
  @Test func readingCommandsWorkOnS3Inputs() throws {
    try S3MotoServer.with(S3MotoServer.putShards + ["--enable-auth"]) { server in
      let environment = try server.environment()
      let bucket = server.setup.bucket
      let verify = try S3ToolRunner.rdbtool(
        ["verify", "s3://\(bucket)/my-export"], environment: environment)
      #expect(verify.status == 0, "\(verify.stderr)")
      for shard in S3MotoServer.shards {
        #expect(verify.stdout.contains("s3://\(bucket)/\(shard.key): OK, "), "\(verify.stdout)")
      }
      #expect(verify.stdout.contains("3 files: 3 OK, 0 failed"))
      #expect(verify.stdout.split(separator: "\n").count == 4)

      let (key, local) = S3MotoServer.shards[1]
      let url = "s3://\(bucket)/\(key)"
      for command in [
        ["info"], ["stats", "--json"], ["memory", "--top", "3"], ["dump", "--format", "jsonl"],
      ] {
        let remote = try S3ToolRunner.rdbtool(command + [url], environment: environment)
        let expected = try S3ToolRunner.rdbtool(command + [local], environment: environment)
        #expect(remote.status == 0, "\(command): \(remote.stderr)")
        #expect(!remote.stdout.isEmpty, "\(command)")
        // The same report, with the input named by its URL instead of its path.
        func normalized(_ text: String) -> String {
          text.replacingOccurrences(of: "\\/", with: "/").replacingOccurrences(of: local, with: url)
        }
        if command[0] == "stats" {
          // Prefixes of equal size come in no fixed order: compare them as sets.
          #expect(
            try Self.statsJSON(normalized(remote.stdout))
              == Self.statsJSON(normalized(expected.stdout)))
        } else {
          #expect(normalized(remote.stdout) == normalized(expected.stdout), "\(command)")
        }
      }
    }
  }

  /// `stats --json` output with each array of objects sorted by its text, for comparison.
  static func statsJSON(_ text: String) throws -> NSDictionary {
    func canonical(_ value: Any) -> String {
      let data = try? JSONSerialization.data(withJSONObject: [value], options: [.sortedKeys])
      return String(decoding: data ?? Data(), as: UTF8.self)
    }
    func sorted(_ value: Any) -> Any {
      if let dictionary = value as? [String: Any] { return dictionary.mapValues(sorted) }
      if let array = value as? [Any] {
        return array.map(sorted).sorted { canonical($0) < canonical($1) }
      }
      return value
    }
    let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
    return try #require(sorted(object) as? [String: Any]) as NSDictionary
  }

  /// fetch saves byte-identical files, and never writes outside its directory.
  @Test func fetchSavesVerifiedFilesInsideTheDirectory() throws {
    let hostile = "evil/../../escape.rdb"
    let local = S3MotoServer.shards[0].file
    // The hostile key is uploaded before signature checks are turned on.
    let arguments = S3MotoServer.putShards + ["--put", "\(hostile)=\(local)", "--enable-auth"]
    try S3MotoServer.with(arguments) { server in
      let environment = try server.environment()
      let bucket = server.setup.bucket
      #expect(
        server.setup.objects[hostile] != nil,
        "moto normalized the key: \(server.setup.objects.keys)")
      let root = try RDBToolProcess.temporaryDirectory()
      defer { try? FileManager.default.removeItem(at: root) }
      let directory = root.appendingPathComponent("inner/out")

      let fetch = try S3ToolRunner.rdbtool(
        ["fetch", "s3://\(bucket)/my-export", "-o", directory.path, "--part-size", "65536"],
        environment: environment)
      #expect(fetch.status == 0, "\(fetch.stderr)")
      for shard in S3MotoServer.shards {
        let saved = directory.appendingPathComponent(shard.key)
        #expect(try Data(contentsOf: saved) == Data(contentsOf: URL(fileURLWithPath: shard.file)))
        #expect(
          fetch.stdout.contains("s3://\(bucket)/\(shard.key) -> \(saved.path): "), "\(fetch.stdout)"
        )
      }
      #expect(fetch.stdout.contains(", OK, REDIS0012, 123 keys"), "\(fetch.stdout)")
      #expect(fetch.stdout.contains("3 objects: 3 OK, 0 failed"))
      #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).count == 3)

      let unparsed = try S3ToolRunner.rdbtool(
        ["fetch", "--no-verify", "s3://\(bucket)/my-export-0002.rdb", "-o", directory.path],
        environment: environment)
      #expect(unparsed.status == 0, "\(unparsed.stderr)")
      #expect(unparsed.stdout.hasSuffix("OK (size checked, not parsed)\n"), "\(unparsed.stdout)")

      // A listed key is refused at run time (1), a key given directly before anything runs
      // (2). The listing is of the whole bucket: moto mis-checks signatures of `prefix=evil%2F`.
      for (source, status) in [("s3://\(bucket)/", Int32(1)), ("s3://\(bucket)/\(hostile)", 2)] {
        let refused = try S3ToolRunner.rdbtool(
          ["fetch", source, "-o", directory.path], environment: environment)
        #expect(refused.status == status, "\(source): \(refused.stdout)")
        #expect(
          refused.stderr.contains("refusing to save: the key '\(hostile)' has a '..' segment"),
          "\(refused.stderr)")
      }
      let bucketWide = try S3ToolRunner.rdbtool(
        ["fetch", "s3://\(bucket)/", "-o", directory.path], environment: environment)
      #expect(bucketWide.stdout.contains("4 objects: 3 OK, 1 failed"), "\(bucketWide.stdout)")
      let everything =
        FileManager.default.enumerator(atPath: root.path)?.allObjects as? [String] ?? []
      #expect(!everything.contains { $0.hasSuffix("escape.rdb") }, "\(everything)")
      #expect(
        !FileManager.default.fileExists(atPath: root.appendingPathComponent("escape.rdb").path))
      #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).count == 3)
    }
  }

  /// Credentials, permissions and names that are wrong end in exit 1 and S3's advice.
  @Test func s3FailuresExitOneWithAdvice() throws {
    try S3MotoServer.with(S3MotoServer.putShards + ["--enable-auth"]) { server in
      let bucket = server.setup.bucket
      let object = "s3://\(bucket)/my-export-0001.rdb"
      let directory = try RDBToolProcess.temporaryDirectory()
      defer { try? FileManager.default.removeItem(at: directory) }

      let wrongSecret = "wrongSecretValue0123456789abcdefghijklmn"
      let realSecret = try #require(server.setup.users["reader"]).secret_access_key
      // A listing, not a HEAD: S3 answers HEAD errors with a status and no error code.
      let signature = try S3ToolRunner.rdbtool(
        ["verify", "s3://\(bucket)/my-export"],
        environment: try server.environment(secret: wrongSecret))
      #expect(signature.status == 1)
      #expect(signature.stderr.contains("S3 rejected the signature"), "\(signature.stderr)")
      #expect(signature.stderr.contains("SignatureDoesNotMatch"), "\(signature.stderr)")
      for output in [signature.stderr, signature.stdout] {
        #expect(!output.contains(wrongSecret))
        #expect(!output.contains(realSecret))
      }
      // One object (a HEAD first): the answer has no code, so rdbtool asks again to learn it.
      let single = try S3ToolRunner.rdbtool(
        ["verify", object], environment: try server.environment(secret: wrongSecret))
      #expect(single.status == 1)
      #expect(single.stderr.contains("SignatureDoesNotMatch"), "\(single.stderr)")
      let singleMissingBucket = try S3ToolRunner.rdbtool(
        ["verify", "s3://no-such-bucket-here/x.rdb"],
        environment: try server.environment(user: "admin"))
      #expect(
        singleMissingBucket.stderr.contains("no such bucket 'no-such-bucket-here'"),
        "\(singleMissingBucket.stderr)")

      let reader = try server.environment()
      let missingKey = try S3ToolRunner.rdbtool(
        ["verify", "s3://\(bucket)/nothing-here.rdb"], environment: reader)
      #expect(missingKey.status == 1)
      #expect(
        missingKey.stderr.contains("no such object s3://\(bucket)/nothing-here.rdb"),
        "\(missingKey.stderr)")
      let missingExport = try S3ToolRunner.rdbtool(
        ["fetch", "s3://\(bucket)/no-export", "-o", directory.path], environment: reader)
      #expect(missingExport.status == 1)
      #expect(
        missingExport.stderr.contains("no such object s3://\(bucket)/no-export"),
        "\(missingExport.stderr)")

      let missingBucket = try S3ToolRunner.rdbtool(
        ["verify", "s3://no-such-bucket-here/export"],
        environment: try server.environment(user: "admin"))
      #expect(missingBucket.status == 1)
      #expect(
        missingBucket.stderr.contains("no such bucket 'no-such-bucket-here'"),
        "\(missingBucket.stderr)")

      // no-get may list the bucket but not read objects.
      let denied = try S3ToolRunner.rdbtool(
        ["fetch", object, "-o", directory.path], environment: try server.environment(user: "no-get")
      )
      #expect(denied.status == 1)
      #expect(
        denied.stderr.contains("the caller needs s3:GetObject on arn:aws:s3:::\(bucket)/*"),
        "\(denied.stderr)")
      #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }
  }

  /// check-bucket on the helper's scenario buckets: passing exits 0, failing exits 1.
  @Test func checkBucketScenarios() throws {
    try S3MotoServer.with(["--scenarios", "--enable-auth"]) { server in
      let admin = try server.environment(user: "admin")
      func check(_ arguments: [String]) throws -> RDBToolProcess.Result {
        try S3ToolRunner.rdbtool(["s3", "check-bucket"] + arguments, environment: admin)
      }
      let ok = try check(["ec-acl-ok"])
      #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
      #expect(ok.stdout.contains("pass acl-grants: the ACL grants the ElastiCache canonical user"))
      #expect(ok.stdout.contains("ec-acl-ok (us-east-1): ElastiCache can export here, 0 warnings"))

      let noWrite = try check(["ec-acl-no-write"])
      #expect(noWrite.status == 1)
      #expect(noWrite.stdout.contains("failure acl-grants:"), "\(noWrite.stdout)")
      #expect(noWrite.stdout.contains("Write objects (WRITE)"))
      #expect(noWrite.stdout.contains("exports would fail, 1 problem to fix"))

      let wrongRegion = try check(["--region", "eu-west-1", "ec-acl-ok"])
      #expect(wrongRegion.status == 1)
      #expect(
        wrongRegion.stdout.contains("the bucket is in us-east-1 but the cache is in eu-west-1"))

      let publicACL = try check(["ec-acl-public"])
      #expect(publicACL.status == 0)
      #expect(publicACL.stdout.contains("warning public-access:"))

      let optIn = try check(["--region", "ap-east-1", "ec-optin-ok"])
      #expect(optIn.status == 0, "\(optIn.stdout)")

      let noPolicy = try check(["--json", "--region", "ap-east-1", "ec-optin-no-policy"])
      #expect(noPolicy.status == 1)
      let report = try #require(
        try JSONSerialization.jsonObject(with: Data(noPolicy.stdout.utf8)) as? [String: Any])
      #expect(report["passed"] as? Bool == false)
      #expect(report["region"] as? String == "ap-east-1")
      let findings = try #require(report["findings"] as? [[String: Any]])
      #expect(
        findings.contains {
          $0["rule"] as? String == "bucket-policy" && $0["severity"] as? String == "failure"
        })
      let policy = try #require(report["suggested_policy"] as? [String: Any])
      #expect("\(policy)".contains("ap-east-1.elasticache-snapshot.amazonaws.com"))

      // -o FILE holds what standard output would, and standard output stays empty.
      let directory = try RDBToolProcess.temporaryDirectory()
      defer { try? FileManager.default.removeItem(at: directory) }
      let file = directory.appendingPathComponent("check.json")
      let saved = try check([
        "--json", "--region", "ap-east-1", "ec-optin-no-policy", "-o", file.path,
      ])
      #expect(saved.status == 1 && saved.stdout.isEmpty, "\(saved.stderr)")
      #expect(try String(contentsOf: file, encoding: .utf8) == noPolicy.stdout)
    }
  }

  /// `s3 policy` needs no server; a region without policies is a usage error.
  @Test func policyForOptInRegions() throws {
    let result = try RDBToolProcess.run([
      "s3", "policy", "--region", "me-south-1", "s3://my-backups",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let document = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let statement = try #require((document["Statement"] as? [[String: Any]])?.first)
    #expect(
      statement["Principal"] as? [String: String] == [
        "Service": "me-south-1.elasticache-snapshot.amazonaws.com"
      ])
    #expect(
      statement["Resource"] as? [String] == [
        "arn:aws:s3:::my-backups", "arn:aws:s3:::my-backups/*",
      ])

    let directory = try RDBToolProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("policy.json")
    let saved = try RDBToolProcess.run([
      "s3", "policy", "--region", "me-south-1", "s3://my-backups", "-o", file.path,
    ])
    #expect(saved.status == 0 && saved.stdout.isEmpty, "\(saved.stderr)")
    #expect(try String(contentsOf: file, encoding: .utf8) == result.stdout)

    let notOptIn = try RDBToolProcess.run(["s3", "policy", "--region", "eu-west-1", "my-backups"])
    #expect(notOptIn.status == 2)
    #expect(notOptIn.stderr.contains("'eu-west-1' is not an opt-in region"))
    #expect(notOptIn.stdout.isEmpty)
  }

  @Test(arguments: [
    ["fetch", "s3://bucket/a.rdb"], ["fetch", "local.rdb", "-o", "/tmp"], ["fetch", "-o", "/tmp"],
    ["fetch", "s3://bad_bucket!/a.rdb", "-o", "/tmp"], ["s3", "policy", "my-backups"],
    ["s3", "check-bucket", "Not A Bucket"], ["s3", "check-bucket"],
  ])
  func usageErrorsExitTwo(_ arguments: [String]) throws {
    let result = try RDBToolProcess.run(arguments)
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stdout.isEmpty)
  }

  @Test func helpHasExamples() throws {
    for command in [["fetch"], ["s3", "check-bucket"], ["s3", "policy"]] {
      let result = try RDBToolProcess.run(command + ["--help"])
      #expect(result.status == 0)
      #expect(
        result.stdout.contains("Examples:\n  rdbtool \(command.joined(separator: " "))"),
        "\(command)")
    }
  }
}
