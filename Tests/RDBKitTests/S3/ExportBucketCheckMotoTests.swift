import Foundation
import Testing

@testable import RDBKit
@testable import RDBS3

/// check-bucket against real buckets in moto, one per rule outcome.
@Suite struct ExportBucketCheckMotoTests {
  @Test func scenarios() throws {
    try MotoServer.with(setupArguments: ["--scenarios", "--enable-auth"]) { server, setup in
      #expect(setup.scenarios.count == 10)
      let check = ExportBucketCheck(client: server.client(try setup.user("admin")))
      func verdict(_ bucket: String) -> (passed: Bool, warnings: Int, text: String) {
        let report = check.run(bucket: bucket)
        return (
          report.passed, report.findings.filter { $0.severity == .warning }.count,
          report.findings.map(\.description).joined(separator: "\n")
        )
      }
      let expectations: [(String, Bool, Int, String?)] = [
        ("ec-acl-ok", true, 0, nil),
        ("ec-acl-no-write", false, 0, "Write objects (WRITE)"),
        (
          "ec-acl-missing", false, 0,
          "List objects (READ), Write objects (WRITE), Read bucket permissions (READ_ACP)"
        ),
        ("ec-acl-public", true, 1, "AllUsers"),
        ("ec-acl-authenticated", true, 1, "AuthenticatedUsers"),
        ("ec-optin-ok", true, 0, nil),
        ("ec-optin-missing-action", false, 0, "s3:ListMultipartUploadParts on"),
        ("ec-optin-wrong-region", false, 0, "me-south-1.elasticache-snapshot.amazonaws.com"),
        ("ec-optin-no-policy", false, 0, "has no policy"),
        ("ec-optin-star", true, 1, "any principal"),
      ]
      for (bucket, passes, warnings, phrase) in expectations {
        let result = verdict(bucket)
        #expect(result.passed == passes, "\(bucket):\n\(result.text)")
        #expect(result.warnings == warnings, "\(bucket):\n\(result.text)")
        if let phrase { #expect(result.text.contains(phrase), "\(bucket):\n\(result.text)") }
      }
      #expect(check.run(bucket: "ec-optin-ok").region == "ap-east-1")
    }
  }

  @Test func missingPermissionsBecomeFindings() throws {
    try MotoServer.with { server, setup in
      let check = ExportBucketCheck(client: server.client(try setup.user("reader")))
      let report = check.run(bucket: setup.bucket)
      #expect(!report.passed)
      let acl = try #require(report.findings.first { $0.rule == .aclGrants })
      #expect(acl.message.contains("the caller needs s3:GetBucketAcl on arn:aws:s3:::rdb-exports"))
    }
  }
}
