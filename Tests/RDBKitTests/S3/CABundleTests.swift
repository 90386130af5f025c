import Foundation
import Testing

@testable import RDBKit
@testable import RDBS3

/// `AWS_CA_BUNDLE` and the profile's `ca_bundle` trust a private CA for every call rdbtool
/// makes: S3 and the STS call of an assume-role profile, both on moto over https.
@Suite struct CABundleTests {
  @Test func bundleFromEnvironmentOrProfileTrustsSTSAndS3() throws {
    let certificates = try TemporaryDirectory()
    let otherCA = try TemporaryDirectory()
    for directory in [certificates, otherCA] {
      _ = try PythonTool.run([
        PythonTool.script("s3_helper.py"), "make-certificates", directory.url.path, "127.0.0.1",
      ])
    }
    try MotoServer.with(
      setupArguments: ExportFixtures.putArguments + ["--enable-auth"],
      certificates: certificates.url
    ) { server, setup in
      let caBundle = try #require(server.caBundle)
      let admin = try setup.user("admin")
      let home = try TemporaryDirectory()
      try home.write(
        "credentials",
        "[base]\naws_access_key_id = \(admin.accessKeyID)\n"
          + "aws_secret_access_key = \(admin.secretAccessKey)\n")
      try home.write(
        "config",
        """
        [profile role]
        role_arn = \(setup.role_arn)
        source_profile = base
        ca_bundle = \(caBundle)

        [profile role-no-ca]
        role_arn = \(setup.role_arn)
        source_profile = base
        """)
      var environment = home.awsEnvironment
      environment["AWS_ENDPOINT_URL"] = server.endpoint
      #expect(server.endpoint.hasPrefix("https://"))
      func head(_ profile: String, caBundle: String?) throws(S3Error) -> Int64 {
        var configured = environment
        configured["AWS_CA_BUNDLE"] = caBundle
        let client = try S3Client.configured(
          profile: profile, environment: configured,
          retryPolicy: RetryPolicy(maxAttempts: 2, baseDelay: 0.01))
        return try client.headObject(bucket: setup.bucket, key: "my-export-0001.rdb").size
      }
      let size = try #require(setup.objects["my-export-0001.rdb"]?.size)

      #expect(try head("role-no-ca", caBundle: caBundle) == size)
      #expect(try head("role", caBundle: nil) == size)

      // Without the CA, the STS call (the first request) fails certificate verification.
      let refused = #expect(throws: S3Error.self) { try head("role-no-ca", caBundle: nil) }
      #expect(refused?.kind == .credentialSourceFailed)
      #expect(refused?.curlCode == 60, "\(String(describing: refused))")
      #expect(refused?.description.contains("cannot reach STS") == true)
      // AWS_CA_BUNDLE wins over the profile's ca_bundle, as in the AWS CLI.
      let overridden = #expect(throws: S3Error.self) {
        try head("role", caBundle: otherCA.url.appendingPathComponent("ca.pem").path)
      }
      // The other CA has the same name as the server's issuer, so OpenSSL fails the issuer's
      // signature (curl 35) instead of finding no issuer (60): refused either way.
      #expect(
        [35, 60].contains(overridden?.curlCode ?? 0), "\(String(describing: overridden))")
      #expect(overridden?.kind == .credentialSourceFailed)
      // S3 itself uses the bundle too: static keys, no STS call.
      let client = try S3Client.configured(
        profile: "base", environment: environment,
        retryPolicy: RetryPolicy(maxAttempts: 2, baseDelay: 0.01))
      let s3Refused = #expect(throws: S3Error.self) {
        _ = try client.headObject(bucket: setup.bucket, key: "my-export-0001.rdb")
      }
      #expect(s3Refused?.kind == .transport)
      #expect(s3Refused?.curlCode == 60)
      for error in [refused, overridden, s3Refused] {
        #expect(!String(describing: error).contains(admin.secretAccessKey))
      }
    }
  }
}
