import Foundation
import Testing

@testable import RDBKit
@testable import RDBS3

/// Container, IMDS and web identity credentials from loopback servers, used against moto.
@Suite struct CredentialEndpointTests {
  static let key = "my-export-0001.rdb"

  /// Runs `body` with moto (session credentials made, auth on) and a credential server handing
  /// out that session, started with `arguments`.
  func withCredentialServer(
    _ arguments: [String], _ body: (MotoServer, MotoSetup, PortAnnouncingServer) throws -> Void
  ) throws {
    try MotoServer.with(
      setupArguments: ExportFixtures.putArguments + ["--temp-credentials", "--enable-auth"]
    ) { server, setup in
      let session = try #require(setup.session)
      let credentialServer = try PortAnnouncingServer(
        script: "cred_server.py",
        arguments: [
          "--access-key", session.access_key_id, "--secret-key", session.secret_access_key,
          "--session-token", try #require(session.session_token),
        ] + arguments, directory: server.directory)
      defer { credentialServer.stop() }
      try body(server, setup, credentialServer)
    }
  }

  /// Reads the export's first shard's size through `chain` against moto.
  func headThrough(_ chain: CredentialChain, _ server: MotoServer, _ setup: MotoSetup) throws
    -> Int64
  {
    let client = S3Client(
      endpoint: S3Endpoint(region: "us-east-1", endpointURL: server.endpoint), credentials: chain)
    return try client.headObject(bucket: setup.bucket, key: Self.key).size
  }

  @Test func containerFullURIWithAuthorizationToken() throws {
    try withCredentialServer(["--auth-token", "Bearer t0k"]) { server, setup, credentials in
      let home = try TemporaryDirectory()
      var environment = home.awsEnvironment
      environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = credentials.endpoint + "/v1/credentials"
      environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "Bearer t0k"
      let chain = CredentialChain(options: .init(environment: environment))
      #expect(try headThrough(chain, server, setup) == setup.objects[Self.key]?.size)
      #expect(try chain.source() == .container)
      let sent = credentials.requests.compactMap {
        ($0["headers"] as? [String: String])?["Authorization"]
      }
      #expect(sent == ["Bearer t0k"])
    }
  }

  @Test func containerRelativeURIAndTokenFile() throws {
    try withCredentialServer(["--auth-token", "Bearer from-file"]) { server, setup, credentials in
      let home = try TemporaryDirectory()
      var environment = home.awsEnvironment
      environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = "/v2/credentials/abc"
      environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = try home.write(
        "token", "Bearer from-file")
      var options = CredentialChain.Options(environment: environment)
      options.containerBaseURL = credentials.endpoint
      #expect(try headThrough(CredentialChain(options: options), server, setup) > 0)

      environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = try home.write(
        "token", "Bearer wrong")
      options.environment = environment
      let error = #expect(throws: S3Error.self) {
        _ = try CredentialChain(options: options).credentials()
      }
      #expect(error?.kind == .credentialSourceFailed)
      #expect(error?.httpStatus == 401)
      #expect(error?.description.contains("Bearer wrong") == false)
    }
  }

  @Test func instanceMetadataV2TokenFlow() throws {
    try withCredentialServer([]) { server, setup, credentials in
      let home = try TemporaryDirectory()
      var environment = home.awsEnvironment
      environment["AWS_EC2_METADATA_DISABLED"] = nil
      environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = credentials.endpoint + "/"
      let chain = CredentialChain(options: .init(environment: environment))
      #expect(try headThrough(chain, server, setup) > 0)
      #expect(try chain.source() == .instanceMetadata)
      let log = credentials.requests
      #expect(log.map { $0["method"] as? String ?? "" } == ["PUT", "GET", "GET"])
      let headers = log.compactMap { entry in
        (entry["headers"] as? [String: String]).map { sent in
          Dictionary(uniqueKeysWithValues: sent.map { ($0.key.lowercased(), $0.value) })
        }
      }
      #expect(headers.first?["x-aws-ec2-metadata-token-ttl-seconds"] == "21600")
      #expect(headers.count == 3)
      #expect(headers.dropFirst().allSatisfy { $0["x-aws-ec2-metadata-token"] != nil })
    }
  }

  @Test func instanceMetadataFallsBackToV1UnlessDisabled() throws {
    try withCredentialServer(["--imds-v1-only"]) { server, setup, credentials in
      let home = try TemporaryDirectory()
      var environment = home.awsEnvironment
      environment["AWS_EC2_METADATA_DISABLED"] = nil
      environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = credentials.endpoint
      #expect(
        try headThrough(CredentialChain(options: .init(environment: environment)), server, setup)
          > 0)
      environment["AWS_EC2_METADATA_V1_DISABLED"] = "true"
      let error = #expect(throws: S3Error.self) {
        _ = try CredentialChain(options: .init(environment: environment)).credentials()
      }
      #expect(error?.kind == .credentialSourceFailed)
    }
  }

  @Test func webIdentityThroughSTS() throws {
    try MotoServer.with(setupArguments: ExportFixtures.putArguments + ["--enable-auth"]) {
      server, setup in
      let home = try TemporaryDirectory()
      var environment = home.awsEnvironment
      environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = try home.write("token", "eyJ.test-token.sig\n")
      environment["AWS_ROLE_ARN"] = setup.role_arn
      environment["AWS_ROLE_SESSION_NAME"] = "rdbtool-test"
      environment["AWS_ENDPOINT_URL_STS"] = server.endpoint
      let chain = CredentialChain(options: .init(environment: environment))
      // moto crashes on unsigned non-S3 calls with auth on: let exactly the STS call through.
      try server.resetAuth(1)
      let credentials = try chain.credentials()
      #expect(credentials.accessKeyID.hasPrefix("ASIA"))
      #expect(credentials.sessionToken != nil)
      #expect(credentials.expiration != nil)
      #expect(try headThrough(chain, server, setup) == setup.objects[Self.key]?.size)
      #expect(try chain.source() == .webIdentity)

      environment["AWS_ROLE_ARN"] = nil
      let error = #expect(throws: S3Error.self) {
        _ = try CredentialChain(options: .init(environment: environment)).credentials()
      }
      #expect(error?.kind == .credentialSourceFailed)
    }
  }
}
