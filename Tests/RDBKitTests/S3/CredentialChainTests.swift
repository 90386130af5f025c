import Foundation
import Testing

@testable import RDBKit
@testable import RDBS3

/// The credential chain's order and rules, from files and the environment only.
@Suite struct CredentialChainTests {
  func chain(_ environment: [String: String], profile: String? = nil) -> CredentialChain {
    CredentialChain(options: CredentialChain.Options(profile: profile, environment: environment))
  }

  @Test func environmentKeysComeFirst() throws {
    let home = try TemporaryDirectory()
    try home.write(
      "credentials", "[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = s\n")
    var environment = home.awsEnvironment
    environment["AWS_ACCESS_KEY_ID"] = "AKIAENV"
    environment["AWS_SECRET_ACCESS_KEY"] = "env-secret"
    environment["AWS_SESSION_TOKEN"] = "env-token"
    let found = try chain(environment).credentials()
    #expect(
      found
        == AWSCredentials(
          accessKeyID: "AKIAENV", secretAccessKey: "env-secret", sessionToken: "env-token"))
    #expect(try chain(environment).source() == .environment)
    // An explicit profile (--profile) skips the environment, as the AWS CLI does.
    #expect(try chain(environment, profile: "default").credentials().accessKeyID == "AKIAFILE")
  }

  @Test func keyWithoutSecretIsAnError() throws {
    let home = try TemporaryDirectory()
    var environment = home.awsEnvironment
    environment["AWS_ACCESS_KEY_ID"] = "AKIAENV"
    let error = #expect(throws: S3Error.self) { _ = try chain(environment).credentials() }
    #expect(error?.kind == .credentialSourceFailed)
  }

  @Test func profilesFromBothFiles() throws {
    let home = try TemporaryDirectory()
    try home.write(
      "config",
      """
      # comment
      [profile rdb]
      region = ap-east-1
      aws_access_key_id = AKIACONFIG
      aws_secret_access_key = config-secret
      s3 =
        addressing_style = path

      [rdb]
      aws_access_key_id = AKIANOTAPROFILE
      aws_secret_access_key = x
      """)
    var environment = home.awsEnvironment
    environment["AWS_PROFILE"] = "rdb"
    #expect(try chain(environment).credentials().accessKeyID == "AKIACONFIG")
    #expect(try chain(environment).source() == .configFile)
    let profile = AWSProfile.load(named: nil, environment: environment)
    #expect(profile["s3.addressing_style"] == "path")
    try home.write(
      "credentials", "[rdb]\naws_access_key_id=AKIACREDS\naws_secret_access_key=creds-secret\n")
    #expect(try chain(environment).credentials().accessKeyID == "AKIACREDS")
    #expect(try chain(environment).source() == .sharedCredentialsFile)
  }

  @Test func credentialProcessWithQuotedArguments() throws {
    let home = try TemporaryDirectory()
    let script = try home.write(
      "creds.sh",
      """
      #!/bin/sh
      [ "$1" = "two words" ] || { echo "bad argument: $1" >&2; exit 3; }
      echo '{"Version": 1, "AccessKeyId": "ASIAPROC", "SecretAccessKey": "proc-secret", "SessionToken": "proc-token", "Expiration": "2099-01-01T00:00:00Z"}'
      """, executable: true)
    try home.write("config", "[default]\ncredential_process = \(script) \"two words\"\n")
    let found = try chain(home.awsEnvironment).credentials()
    #expect(found.accessKeyID == "ASIAPROC")
    #expect(found.sessionToken == "proc-token")
    #expect(found.expiration == AMZTime.parseISO8601("2099-01-01T00:00:00Z"))

    try home.write("config", "[default]\ncredential_process = \(script) 'one'\n")
    let error = #expect(throws: S3Error.self) { _ = try chain(home.awsEnvironment).credentials() }
    #expect(error?.kind == .credentialSourceFailed)
    #expect(error?.description.contains("exited with status 3: bad argument: one") == true)
  }

  @Test func shellStyleSplitting() {
    #expect(
      CredentialProcess.split(#"a "b c" 'd "e"' f\ g "h\"i""#) == [
        "a", "b c", #"d "e""#, "f g", #"h"i"#,
      ])
    #expect(CredentialProcess.split("  ") == [])
    #expect(CredentialProcess.split(#"x """#) == ["x", ""])
  }

  @Test func nothingConfiguredIsNotFound() throws {
    let home = try TemporaryDirectory()
    let error = #expect(throws: S3Error.self) { _ = try chain(home.awsEnvironment).credentials() }
    #expect(error?.kind == .credentialsNotFound)
  }

  @Test func assumeRoleProfilesAreRefusedClearly() throws {
    let home = try TemporaryDirectory()
    try home.write("config", "[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n")
    let error = #expect(throws: S3Error.self) { _ = try chain(home.awsEnvironment).credentials() }
    #expect(error?.kind == .credentialSourceFailed)
  }

  @Test func containerDefaultsAndURIRules() throws {
    #expect(CredentialChain.Options(environment: [:]).containerBaseURL == "http://169.254.170.2")
    #expect(
      CredentialChain.Options(environment: [:]).instanceMetadataBaseURL == "http://169.254.169.254/"
    )
    #expect(ContainerCredentials.isAllowed("http://127.0.0.1:8080/creds"))
    #expect(ContainerCredentials.isAllowed("http://169.254.170.23/v1/credentials"))
    #expect(ContainerCredentials.isAllowed("https://creds.example.com/x"))
    #expect(!ContainerCredentials.isAllowed("http://creds.example.com/x"))
    let home = try TemporaryDirectory()
    var environment = home.awsEnvironment
    environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://example.com/creds"
    let error = #expect(throws: S3Error.self) { _ = try chain(environment).credentials() }
    #expect(error?.kind == .credentialSourceFailed)
  }

  @Test func credentialsNeverPrintTheirSecrets() {
    let credentials = AWSCredentials(
      accessKeyID: "AKIAVISIBLE", secretAccessKey: "TOPSECRETKEY", sessionToken: "TOPSECRETTOKEN")
    for text in [
      String(describing: credentials), String(reflecting: credentials), "\(credentials)",
    ] {
      #expect(text.contains("AKIAVISIBLE"))
      #expect(!text.contains("TOPSECRET"))
    }
    var dumped = ""
    dump(credentials, to: &dumped)
    dump(StaticCredentials(credentials), to: &dumped)
    dumped += String(reflecting: StaticCredentials(credentials))
    let options = CredentialChain.Options(
      environment: ["AWS_SECRET_ACCESS_KEY": "TOPSECRETKEY", "AWS_SESSION_TOKEN": "TOPSECRETTOKEN"])
    dump(options, to: &dumped)
    dumped += "\(options) \(String(reflecting: options))"
    let chain = CredentialChain(options: options)
    dump(chain, to: &dumped)
    #expect(dumped.contains("AKIAVISIBLE"))
    #expect(!dumped.contains("TOPSECRET"), "\(dumped)")
  }
}

/// Refreshing temporary credentials before they expire.
@Suite struct CredentialRefreshTests {
  func processChain(expiresIn seconds: Int, home: TemporaryDirectory) throws -> (
    CredentialChain, String
  ) {
    let counter = home.url.appendingPathComponent("runs").path
    let expiry = ISO8601DateFormatter().string(from: Date().addingTimeInterval(Double(seconds)))
    let script = try home.write(
      "creds.sh",
      """
      #!/bin/sh
      echo run >> '\(counter)'
      echo '{"Version": 1, "AccessKeyId": "ASIAPROC", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": "\(expiry)"}'
      """, executable: true)
    try home.write("config", "[default]\ncredential_process = \(script)\n")
    return (CredentialChain(options: .init(environment: home.awsEnvironment)), counter)
  }

  func runs(_ counter: String) -> Int {
    ((try? String(contentsOfFile: counter, encoding: .utf8)) ?? "").split(separator: "\n").count
  }

  @Test func longLivedCredentialsAreCached() throws {
    let home = try TemporaryDirectory()
    let (chain, counter) = try processChain(expiresIn: 7200, home: home)
    for _ in 0..<3 { _ = try chain.credentials() }
    #expect(runs(counter) == 1)
  }

  @Test func shortLivedCredentialsAreReusedForHalfTheirLife() throws {
    let home = try TemporaryDirectory()
    let (chain, counter) = try processChain(expiresIn: 4, home: home)
    for _ in 0..<3 { _ = try chain.credentials() }
    #expect(runs(counter) == 1, "credentials with seconds left must not be fetched on every call")
    Thread.sleep(forTimeInterval: 2.5)
    _ = try chain.credentials()
    #expect(runs(counter) == 2, "credentials past half their life must be fetched again")
  }

  @Test func refreshMargins() {
    let fetched = Date(timeIntervalSince1970: 1_000_000)
    func needs(lifetime: Double, elapsed: Double, mandatory: Bool = false) -> Bool {
      let credentials = AWSCredentials(
        accessKeyID: "ASIA", secretAccessKey: "s",
        expiration: fetched.addingTimeInterval(lifetime))
      return CredentialChain.needsRefresh(
        credentials, fetched: fetched, now: fetched.addingTimeInterval(elapsed),
        mandatory: mandatory)
    }
    // One hour: botocore's 15 minutes ahead (advisory) and 10 minutes (mandatory).
    #expect(!needs(lifetime: 3600, elapsed: 2699))
    #expect(needs(lifetime: 3600, elapsed: 2701))
    #expect(!needs(lifetime: 3600, elapsed: 2999, mandatory: true))
    #expect(needs(lifetime: 3600, elapsed: 3001, mandatory: true))
    // 15 minutes (AssumeRole's shortest): half and a quarter of the lifetime instead.
    #expect(!needs(lifetime: 900, elapsed: 449))
    #expect(needs(lifetime: 900, elapsed: 451))
    #expect(!needs(lifetime: 900, elapsed: 674, mandatory: true))
    #expect(needs(lifetime: 900, elapsed: 676, mandatory: true))
    // Long-term keys never expire.
    let keys = AWSCredentials(accessKeyID: "AKIA", secretAccessKey: "s")
    #expect(
      !CredentialChain.needsRefresh(keys, fetched: fetched, now: .distantFuture, mandatory: true))
  }
}
