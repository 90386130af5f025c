import Foundation
import Testing

@testable import RDBKit
@testable import RDBS3

/// IAM Identity Center profiles: the AWS CLI's token cache, the portal's role-credentials call
/// (a stand-in, `sso_portal.py`, handing out a moto session) and S3 requests with the result.
@Suite struct SSOCredentialsTests {
  static let accessToken = "sso-access-token-do-not-print-0123456789"
  static let account = "123456789012"
  static let role = "RDBReader"

  /// A cache file as `aws sso login` writes it.
  static func cachedToken(_ token: String, expiresIn seconds: Double) -> String {
    let expires = ISO8601DateFormatter().string(from: Date().addingTimeInterval(seconds))
    return #"{"startUrl": "https://rdb.awsapps.com/start", "region": "eu-west-1", "#
      + #""accessToken": "\#(token)", "expiresAt": "\#(expires)"}"#
  }

  @Test func cacheFileNamesAreTheAWSCLIs() {
    // SHA-1 of the session name, or of the start URL for legacy profiles.
    #expect(
      SSOToken.cachePath(for: "my-sso", home: "/h")
        == "/h/.aws/sso/cache/\(Digest.hex(Digest.sha1(Array("my-sso".utf8)))).json")
    #expect(
      Digest.hex(Digest.sha1(Array("abc".utf8))) == "a9993e364706816aba3e25717850c26c9cd0d89d")
  }

  @Test func sessionAndLegacyProfilesAgainstThePortalStandIn() throws {
    try MotoServer.with(
      setupArguments: ExportFixtures.putArguments + ["--temp-credentials", "--enable-auth"]
    ) { server, setup in
      let session = try #require(setup.session)
      let sessionToken = try #require(session.session_token)
      let portal = try PortAnnouncingServer(
        script: "sso_portal.py",
        arguments: [
          "--access-key", session.access_key_id, "--secret-key", session.secret_access_key,
          "--session-token", sessionToken, "--token", Self.accessToken, "--account",
          Self.account, "--role", Self.role,
        ], directory: server.directory)
      defer { portal.stop() }
      let home = try TemporaryDirectory()
      try FileManager.default.createDirectory(
        at: home.url.appendingPathComponent(".aws/sso/cache"), withIntermediateDirectories: true)
      let startURL = "https://rdb.awsapps.com/start"
      try home.write(
        "config",
        """
        [profile sso]
        sso_session = my-sso
        sso_account_id = \(Self.account)
        sso_role_name = \(Self.role)

        [sso-session my-sso]
        sso_start_url = \(startURL)
        sso_region = eu-west-1
        sso_registration_scopes = sso:account:access

        [profile legacy]
        sso_start_url = \(startURL)
        sso_region = eu-west-1
        sso_account_id = \(Self.account)
        sso_role_name = \(Self.role)

        [profile other-role]
        sso_session = my-sso
        sso_account_id = \(Self.account)
        sso_role_name = Admin

        [profile incomplete]
        sso_session = my-sso
        sso_role_name = \(Self.role)
        """)
      func cache(_ key: String, _ text: String) throws {
        try text.write(
          toFile: SSOToken.cachePath(for: key, home: home.url.path), atomically: true,
          encoding: .utf8)
      }
      try cache("my-sso", Self.cachedToken(Self.accessToken, expiresIn: 3600))
      try cache(startURL, Self.cachedToken(Self.accessToken, expiresIn: 3600))
      var environment = home.awsEnvironment
      environment["AWS_ENDPOINT_URL_SSO"] = portal.endpoint
      let (logger, logs) = CapturingLogHandler.logger()
      func chain(_ profile: String) -> CredentialChain {
        CredentialChain(
          options: .init(profile: profile, environment: environment), logger: logger)
      }
      func head(_ chain: CredentialChain) throws -> Int64 {
        let client = S3Client(
          endpoint: S3Endpoint(region: "us-east-1", endpointURL: server.endpoint),
          credentials: chain)
        return try client.headObject(bucket: setup.bucket, key: "my-export-0001.rdb").size
      }
      let size = try #require(setup.objects["my-export-0001.rdb"]?.size)

      for profile in ["sso", "legacy"] {
        let found = chain(profile)
        #expect(try head(found) == size, "profile \(profile)")
        #expect(try found.source() == .sso)
        #expect(try found.credentials().accessKeyID == session.access_key_id)
      }
      let requests = portal.requests
      #expect(requests.count == 2)
      for request in requests {
        let headers = request["headers"] as? [String: String] ?? [:]
        #expect(headers["x-amz-sso_bearer_token"] == Self.accessToken)
        #expect(
          request["path"] as? String
            == "/federation/credentials?account_id=\(Self.account)&role_name=\(Self.role)")
      }

      // botocore, given the same files and endpoint, reads the same cache file and accepts
      // the stand-in's answer: the oracle for the file name and the call's shape.
      var pythonEnvironment = environment
      pythonEnvironment["PATH"] = ProcessInfo.processInfo.environment["PATH"]
      let botocore = try PythonTool.run(
        [
          "-c",
          "import boto3; c = boto3.Session(profile_name='sso').get_credentials()"
            + ".get_frozen_credentials(); print(c.access_key)",
        ], environment: pythonEnvironment)
      #expect(
        String(decoding: botocore, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
          == session.access_key_id)

      // The refusals, each with its fix, and none showing a secret.
      func refusal(_ profile: String) -> S3Error? {
        #expect(throws: S3Error.self) { _ = try chain(profile).credentials() }
      }
      let otherRole = refusal("other-role")
      #expect(otherRole?.httpStatus == 403)
      #expect(otherRole?.awsCode == "ForbiddenException")
      #expect(otherRole?.description.contains("cannot use role 'Admin' in account") == true)
      let incomplete = refusal("incomplete")
      #expect(incomplete?.description.contains("lacks sso_account_id") == true)

      try cache("my-sso", Self.cachedToken("a-token-the-portal-does-not-know", expiresIn: 3600))
      let unknown = refusal("sso")
      #expect(unknown?.httpStatus == 401)
      #expect(unknown?.description.contains("run `aws sso login --profile sso`") == true)

      let portalCalls = portal.requests.count
      try cache("my-sso", Self.cachedToken(Self.accessToken, expiresIn: -60))
      let expired = refusal("sso")
      #expect(expired?.description.contains("expired at") == true)
      #expect(expired?.description.contains("run `aws sso login --profile sso`") == true)
      #expect(portal.requests.count == portalCalls, "an expired token was sent to the portal")

      try FileManager.default.removeItem(
        atPath: SSOToken.cachePath(for: startURL, home: home.url.path))
      let missing = refusal("legacy")
      #expect(missing?.description.contains("no SSO token for '\(startURL)'") == true)
      #expect(missing?.description.contains("run `aws sso login --profile legacy`") == true)

      let texts =
        [otherRole, incomplete, unknown, expired, missing].map { String(describing: $0) }
        + logs.all
      for text in texts {
        for secret in [Self.accessToken, session.secret_access_key, sessionToken] {
          #expect(!text.contains(secret), "a secret in: \(text)")
        }
      }
    }
  }

  @Test func sessionSectionMustExistAndAgree() throws {
    let home = try TemporaryDirectory()
    try home.write(
      "config",
      """
      [profile missing]
      sso_session = nowhere
      sso_account_id = 1
      sso_role_name = R

      [profile clash]
      sso_session = s
      sso_region = us-east-1
      sso_account_id = 1
      sso_role_name = R

      [sso-session s]
      sso_start_url = https://x.awsapps.com/start
      sso_region = eu-west-1
      """)
    let environment = home.awsEnvironment
    for (profile, message) in [
      ("missing", "has no [sso-session nowhere] section"),
      ("clash", "sets sso_region = us-east-1 but its sso-session 's' sets eu-west-1"),
    ] {
      let error = #expect(throws: S3Error.self) {
        _ = try CredentialChain(options: .init(profile: profile, environment: environment))
          .credentials()
      }
      #expect(error?.description.contains(message) == true, "\(String(describing: error))")
    }
  }
}
