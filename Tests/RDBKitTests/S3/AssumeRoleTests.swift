import Foundation
import Synchronization
import Testing

@testable import RDBKit
@testable import RDBS3

/// Assume-role profiles against moto's STS (signature and IAM checks on): chains, parameters,
/// refusals, refresh.
@Suite struct AssumeRoleTests {
  static let key = "my-export-0001.rdb"

  /// A home with `base` (the admin's keys) in the credentials file and `config` as the config
  /// file, every endpoint pointing at `server`.
  func home(_ server: MotoServer, _ setup: MotoSetup, config: String) throws -> (
    TemporaryDirectory, [String: String]
  ) {
    let home = try TemporaryDirectory()
    let admin = try setup.user("admin")
    try home.write(
      "credentials",
      "[base]\naws_access_key_id = \(admin.accessKeyID)\n"
        + "aws_secret_access_key = \(admin.secretAccessKey)\n")
    try home.write("config", config)
    var environment = home.awsEnvironment
    environment["AWS_ENDPOINT_URL"] = server.endpoint
    return (home, environment)
  }

  func chain(_ environment: [String: String], profile: String) -> CredentialChain {
    CredentialChain(options: .init(profile: profile, environment: environment))
  }

  func head(_ chain: CredentialChain, _ server: MotoServer, _ setup: MotoSetup) throws -> Int64 {
    let client = S3Client(
      endpoint: S3Endpoint(region: "us-east-1", endpointURL: server.endpoint), credentials: chain)
    return try client.headObject(bucket: setup.bucket, key: Self.key).size
  }

  @Test func sourceProfileAndRoleToRoleChains() throws {
    try MotoServer.with(
      setupArguments: ExportFixtures.putArguments + ["--role-chain", "--enable-auth"]
    ) { server, setup in
      let roles = try #require(setup.chain_roles)
      let (home, environment) = try home(
        server, setup,
        config: """
          [profile external]
          role_arn = \(try #require(roles["external"]))
          source_profile = base
          external_id = ext-4711
          role_session_name = rdb-source-profile
          duration_seconds = 1800

          [profile hop]
          role_arn = \(try #require(roles["hop"]))
          source_profile = base
          role_session_name = rdb-hop

          [profile chained]
          role_arn = \(try #require(roles["chained"]))
          source_profile = hop
          role_session_name = rdb-chained
          """)
      let size = try #require(setup.objects[Self.key]?.size)

      // source profile -> role; moto's trust policy for this role demands sts:ExternalId
      // ext-4711, so the call succeeding shows the external id was sent.
      let external = chain(environment, profile: "external")
      let started = Date()
      let credentials = try external.credentials()
      #expect(try head(external, server, setup) == size)
      #expect(try external.source() == .assumeRole)
      #expect(credentials.accessKeyID.hasPrefix("ASIA"))
      let lifetime = try #require(credentials.expiration).timeIntervalSince(started)
      #expect(abs(lifetime - 1800) < 60, "duration_seconds 1800 gave \(lifetime) s")
      let session = try #require(try server.sessions(named: "rdb-source-profile").first)
      #expect(session["role_arn"] as? String == roles["external"])
      #expect(session["external_id"] as? String == "ext-4711")
      #expect(session["access_key_id"] as? String == credentials.accessKeyID)

      // role -> role: base assumes the hop role, whose session (and only it, by the chained
      // role's trust policy) assumes the chained role.
      let chained = chain(environment, profile: "chained")
      #expect(try head(chained, server, setup) == size)
      let hopSessions = try server.sessions(named: "rdb-hop")
      let chainedSessions = try server.sessions(named: "rdb-chained")
      #expect(hopSessions.count == 1)
      #expect(hopSessions.first?["role_arn"] as? String == roles["hop"])
      #expect(chainedSessions.count == 1)
      #expect(chainedSessions.first?["role_arn"] as? String == roles["chained"])
      #expect(
        chainedSessions.first?["access_key_id"] as? String
          == (try chained.credentials()).accessKeyID)
      withExtendedLifetime(home) {}
    }
  }

  @Test func credentialSourceEnvironmentAndDefaultSessionName() throws {
    try MotoServer.with(setupArguments: ExportFixtures.putArguments + ["--enable-auth"]) {
      server, setup in
      var (home, environment) = try home(
        server, setup,
        config:
          "[profile from-env]\nrole_arn = \(setup.role_arn)\ncredential_source = Environment\n")
      let admin = try setup.user("admin")
      environment["AWS_ACCESS_KEY_ID"] = admin.accessKeyID
      environment["AWS_SECRET_ACCESS_KEY"] = admin.secretAccessKey
      // --profile skips the environment as a source of its own, but the role may still take
      // its caller's keys from there.
      let fromEnvironment = chain(environment, profile: "from-env")
      let before = Int(Date().timeIntervalSince1970)
      #expect(try head(fromEnvironment, server, setup) > 0)
      #expect(try fromEnvironment.source() == .assumeRole)
      let names = try server.assumedRoles().compactMap { $0["session_name"] as? String }
      let defaults = names.filter { $0.hasPrefix("rdbtool-session-") }
      #expect(defaults.count == 1, "\(names)")
      let stamp = Int(defaults.first?.dropFirst("rdbtool-session-".count) ?? "") ?? 0
      #expect(stamp >= before && stamp <= before + 60)

      environment["AWS_ACCESS_KEY_ID"] = nil
      let error = #expect(throws: S3Error.self) {
        _ = try chain(environment, profile: "from-env").credentials()
      }
      #expect(error?.description.contains("credential_source Environment, which has none") == true)
      withExtendedLifetime(home) {}
    }
  }

  @Test(arguments: ["EcsContainer", "Ec2InstanceMetadata"])
  func credentialSourceFromContainerOrInstanceMetadata(source: String) throws {
    try MotoServer.with(
      setupArguments: ExportFixtures.putArguments + ["--role-chain", "--enable-auth"]
    ) { server, setup in
      let roles = try #require(setup.chain_roles)
      let (home, baseEnvironment) = try home(
        server, setup,
        config: """
          [profile hop]
          role_arn = \(try #require(roles["hop"]))
          source_profile = base
          role_session_name = rdb-hop

          [profile from-source]
          role_arn = \(try #require(roles["chained"]))
          credential_source = \(source)
          role_session_name = rdb-from-source
          """)
      // The container endpoint or IMDS hands out a session of the hop role, which the chained
      // role's trust policy names: moto accepts the AssumeRole only when signed with it.
      let hop = try chain(baseEnvironment, profile: "hop").credentials()
      let endpoint = try PortAnnouncingServer(
        script: "cred_server.py",
        arguments: [
          "--access-key", hop.accessKeyID, "--secret-key", hop.secretAccessKey,
          "--session-token", try #require(hop.sessionToken),
        ], directory: server.directory)
      defer { endpoint.stop() }
      var environment = baseEnvironment
      if source == "EcsContainer" {
        environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = endpoint.endpoint + "/v1/credentials"
      } else {
        environment["AWS_EC2_METADATA_DISABLED"] = nil
        environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = endpoint.endpoint + "/"
      }
      let fromSource = chain(environment, profile: "from-source")
      #expect(try head(fromSource, server, setup) == setup.objects[Self.key]?.size)
      #expect(try fromSource.source() == .assumeRole)
      let sessions = try server.sessions(named: "rdb-from-source")
      #expect(sessions.count == 1)
      #expect(sessions.first?["role_arn"] as? String == roles["chained"])
      #expect(!endpoint.requests.isEmpty, "the \(source) endpoint was not asked")
      withExtendedLifetime(home) {}
    }
  }

  @Test func mfaCodeAskedOnTheTerminalOrRefusedWithout() throws {
    try MotoServer.with(setupArguments: ExportFixtures.putArguments + ["--enable-auth"]) {
      server, setup in
      let serial = "arn:aws:iam::123456789012:mfa/rdb-user"
      let (home, environment) = try home(
        server, setup,
        config: """
          [profile mfa]
          role_arn = \(setup.role_arn)
          source_profile = base
          mfa_serial = \(serial)
          role_session_name = rdb-mfa
          """)
      // The library asks the chain's mfaCode after the source credentials resolved.
      let asked = Mutex<[String]>([])
      var options = CredentialChain.Options(profile: "mfa", environment: environment)
      options.mfaCode = { device in
        asked.withLock { $0.append(device) }
        return "123456"
      }
      #expect(try head(CredentialChain(options: options), server, setup) > 0)
      #expect(asked.withLock { $0 } == [serial])
      options.mfaCode = { _ in nil }
      let unanswered = #expect(throws: S3Error.self) {
        _ = try CredentialChain(options: options).credentials()
      }
      #expect(unanswered?.description.contains("no terminal to ask for it on") == true)

      // rdbtool asks on the controlling terminal (a pseudo-terminal here) without echo, and
      // refuses at once without one.
      var processEnvironment = environment
      processEnvironment["PATH"] = ProcessInfo.processInfo.environment["PATH"]
      let arguments = [
        RDBToolBinary.url.path, "info", "--endpoint-url", server.endpoint, "--profile", "mfa",
        "s3://\(setup.bucket)/\(Self.key)",
      ]
      let run = try PythonTool.run(
        ["-c", Self.terminalRunner] + arguments, environment: processEnvironment)
      let result = try #require(
        try JSONSerialization.jsonObject(with: run) as? [String: Any])
      let output = result["output"] as? String ?? ""
      #expect(result["status"] as? Int == 0, "\(output)")
      #expect(output.contains("Enter MFA code for \(serial): "))
      #expect(!output.contains("654321"), "the code was echoed")
      #expect(output.contains("RDB version"), "\(output)")
      #expect(try server.sessions(named: "rdb-mfa").count == 2)

      let detached = try PythonTool.run(
        ["-c", Self.detachedRunner] + arguments, environment: processEnvironment)
      let refused = try #require(
        try JSONSerialization.jsonObject(with: detached) as? [String: Any])
      #expect(refused["status"] as? Int == 1)
      let message = refused["stderr"] as? String ?? ""
      #expect(message.contains("no terminal to ask for it on"), "\(message)")
      #expect(!message.contains("Enter MFA code"))
      withExtendedLifetime(home) {}
    }
  }

  /// Runs argv[1:] on a new pseudo-terminal, types 654321 at the MFA prompt, and prints
  /// {"status", "output"}; gives up after 60 s.
  static let terminalRunner = """
    import json, os, pty, select, signal, sys
    signal.alarm(60)
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(sys.argv[1], sys.argv[1:])
    output, sent = b"", False
    while True:
        ready, _, _ = select.select([fd], [], [], 30)
        if not ready:
            break
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        output += data
        if not sent and b"Enter MFA code" in output:
            os.write(fd, b"654321\\n")
            sent = True
    _, status = os.waitpid(pid, 0)
    print(json.dumps({"status": os.waitstatus_to_exitcode(status),
                      "output": output.decode(errors="replace")}))
    """

  /// Runs argv[1:] in a new session without a controlling terminal, standard input empty, and
  /// prints {"status", "stderr"}.
  static let detachedRunner = """
    import json, subprocess, sys
    done = subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, capture_output=True,
                          start_new_session=True, timeout=60)
    print(json.dumps({"status": done.returncode, "stderr": done.stderr.decode(errors="replace")}))
    """

  @Test func shortLivedRoleCredentialsAreCachedThenRefreshedAhead() throws {
    try MotoServer.with(setupArguments: ExportFixtures.putArguments + ["--enable-auth"]) {
      server, setup in
      let (home, environment) = try home(
        server, setup,
        config: """
          [profile brief]
          role_arn = \(setup.role_arn)
          source_profile = base
          role_session_name = rdb-brief
          duration_seconds = 4
          """)
      let brief = chain(environment, profile: "brief")
      let first = try brief.credentials()
      for _ in 0..<5 { #expect(try brief.credentials() == first) }
      #expect(try head(brief, server, setup) > 0)
      #expect(
        try server.sessions(named: "rdb-brief").count == 1, "cached credentials were fetched again")
      // Half of the 4-second lifetime later they are fetched again, before they expire.
      Thread.sleep(forTimeInterval: 2.5)
      let second = try brief.credentials()
      #expect(second.accessKeyID != first.accessKeyID)
      #expect(try #require(first.expiration) > Date(), "the refresh came after the expiry")
      #expect(try server.sessions(named: "rdb-brief").count == 2)
      withExtendedLifetime(home) {}
    }
  }

  @Test func stsRefusalsAreTypedAndSayWhatToChange() throws {
    try MotoServer.with(
      setupArguments: ExportFixtures.putArguments + ["--role-chain", "--enable-auth"]
    ) { server, setup in
      let roles = try #require(setup.chain_roles)
      let reader = try setup.user("reader")
      let admin = try setup.user("admin")
      let (home, environment) = try home(
        server, setup,
        config: """
          [profile reader-role]
          role_arn = \(setup.role_arn)
          source_profile = base

          [profile denied]
          role_arn = \(try #require(roles["chained"]))
          source_profile = reader-role

          [profile reader-user]
          role_arn = \(setup.role_arn)
          source_profile = plain-reader

          [profile wrong-external]
          role_arn = \(try #require(roles["external"]))
          source_profile = base
          external_id = ext-0000

          [profile long-name]
          role_arn = \(setup.role_arn)
          source_profile = base
          role_session_name = \(String(repeating: "n", count: 70))

          [profile unknown-key]
          role_arn = \(setup.role_arn)
          source_profile = bogus
          """)
      try home.write(
        "credentials",
        """
        [base]
        aws_access_key_id = \(admin.accessKeyID)
        aws_secret_access_key = \(admin.secretAccessKey)
        [plain-reader]
        aws_access_key_id = \(reader.accessKeyID)
        aws_secret_access_key = \(reader.secretAccessKey)
        [bogus]
        aws_access_key_id = AKIANOTKNOWNTOMOTO00
        aws_secret_access_key = not-a-real-secret-key
        """)
      let roleSession = try chain(environment, profile: "reader-role").credentials()
      let secrets = [
        admin.secretAccessKey, reader.secretAccessKey, "not-a-real-secret-key",
        roleSession.secretAccessKey, try #require(roleSession.sessionToken),
      ]
      let (logger, logs) = CapturingLogHandler.logger()

      func refusal(_ profile: String) -> S3Error? {
        let chain = CredentialChain(
          options: .init(profile: profile, environment: environment), logger: logger)
        return #expect(throws: S3Error.self) { _ = try chain.credentials() }
      }
      // A role session without sts:AssumeRole tries to assume another role (role -> role).
      let denied = refusal("denied")
      #expect(denied?.kind == .credentialSourceFailed)
      #expect(denied?.awsCode == "AccessDenied")
      #expect(denied?.httpStatus == 403)
      #expect(denied?.requestID != nil)
      #expect(
        denied?.description.contains("source_profile 'reader-role' need sts:AssumeRole") == true)
      // An IAM user without sts:AssumeRole.
      let user = refusal("reader-user")
      #expect(user?.awsCode == "AccessDenied")
      #expect(user?.description.contains("source_profile 'plain-reader'") == true)
      #expect(denied?.description.contains("set external_id if it requires") == true)
      // The trust policy's sts:ExternalId condition with a wrong external id. (moto lets a
      // call without any ExternalId through such a condition; AWS does not, so that case is
      // not asserted here.)
      let wrongExternal = refusal("wrong-external")
      #expect(wrongExternal?.awsCode == "AccessDenied")
      #expect(wrongExternal?.description.contains("expect the profile's external_id") == true)
      // A session name STS rejects as malformed.
      let malformed = refusal("long-name")
      #expect(malformed?.awsCode == "ValidationError")
      #expect(malformed?.httpStatus == 400)
      #expect(malformed?.description.contains("role_session_name (2–64 characters") == true)
      // Keys STS does not know.
      let unknown = refusal("unknown-key")
      #expect(unknown?.awsCode == "InvalidClientTokenId")
      #expect(
        unknown?.description.contains("does not know the access key of source_profile 'bogus'")
          == true, "\(String(describing: unknown))")

      let errors = [denied, user, wrongExternal, malformed, unknown]
      let texts = errors.map { String(describing: $0) } + logs.all
      for text in texts {
        for secret in secrets { #expect(!text.contains(secret), "a secret in: \(text)") }
      }
    }
  }

  @Test(arguments: [
    (
      "[profile r]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = base\n"
        + "credential_source = Environment\n",
      "has both source_profile and credential_source"
    ),
    (
      "[profile r]\nrole_arn = arn:aws:iam::123456789012:role/x\n",
      "neither source_profile nor credential_source"
    ),
    (
      "[profile r]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = nowhere\n",
      "names source_profile 'nowhere', which does not exist"
    ),
    (
      "[profile r]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = s\n"
        + "[profile s]\nrole_arn = arn:aws:iam::123456789012:role/y\nsource_profile = r\n",
      "the source_profile chain loops: r -> s -> r"
    ),
    (
      "[profile r]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = r\n",
      "the source_profile chain loops: r -> r"
    ),
    (
      "[profile r]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = base\n"
        + "mfa_serial = arn:aws:iam::123456789012:mfa/me\n",
      "there is no terminal to ask for it on: run rdbtool in a terminal, or run "
        + "`aws configure export-credentials --profile r"
    ),
    (
      "[profile r]\nrole_arn = my-role\nsource_profile = base\n",
      "has role_arn 'my-role', which is not an IAM role ARN"
    ),
    (
      "[profile r]\nrole_arn = arn:aws:iam::123456789012:role/x\ncredential_source = Lambda\n",
      "use Environment, Ec2InstanceMetadata or EcsContainer"
    ),
    (
      "[profile r]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = base\n"
        + "duration_seconds = 1h\n",
      "has duration_seconds '1h'"
    ),
    (
      "[profile r]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = empty\n"
        + "[profile empty]\nregion = us-east-1\n",
      "source_profile 'empty' of profile 'r' has no credentials"
    ),
  ])
  func configurationsTheAWSCLIAlsoRefuses(config: String, message: String) throws {
    let home = try TemporaryDirectory()
    try home.write("config", config)
    try home.write(
      "credentials",
      "[base]\naws_access_key_id = AKIAX\naws_secret_access_key = base-secret-never-shown\n"
        + "aws_session_token = base-token-never-shown\n")
    var environment = home.awsEnvironment
    // Nothing may be contacted: a request would fail differently.
    environment["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9"
    let error = #expect(throws: S3Error.self) {
      _ = try chain(environment, profile: "r").credentials()
    }
    #expect(error?.kind == .credentialSourceFailed)
    #expect(error?.description.contains(message) == true, "\(String(describing: error))")
    #expect(!String(describing: error).contains("never-shown"))
  }

  @Test func roleARNForm() {
    #expect(AssumeRoleCredentials.isRoleARN("arn:aws:iam::123456789012:role/a/b/name"))
    #expect(AssumeRoleCredentials.isRoleARN("arn:aws-us-gov:iam::123456789012:role/x"))
    #expect(!AssumeRoleCredentials.isRoleARN("arn:aws:iam::123456789012:user/x"))
    #expect(!AssumeRoleCredentials.isRoleARN("arn:aws:s3:::bucket"))
    #expect(!AssumeRoleCredentials.isRoleARN("arn:aws:iam::123456789012:role/"))
  }
}
