import Foundation
import Logging
import RDBKit
import Synchronization

/// The AWS CLI's default credential chain, cached and refreshed before expiry.
///
/// Sources, in the AWS CLI's order: the environment (skipped when a profile is named
/// explicitly, as with `--profile`); an assume-role profile (`role_arn` with `source_profile` or
/// `credential_source`, see ``AssumeRoleCredentials``); web identity
/// (`AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`, or the profile's `web_identity_token_file` +
/// `role_arn`); IAM Identity Center (`sso_session` or legacy `sso_start_url` profiles, with the
/// token `aws sso login` cached); keys in the shared credentials file; the profile's
/// `credential_process`; keys in the config file; the container endpoint
/// (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` / `_FULL_URI`); EC2 instance metadata (unless
/// `AWS_EC2_METADATA_DISABLED=true`). The first configured source wins; a configured source
/// that fails is an error, not a fall-through.
///
/// Temporary credentials are kept in memory and fetched again ahead of their expiry: when less
/// than 15 minutes, or half of the lifetime they had when fetched, remain (whichever is
/// shorter, so that one-hour and 15-minute sessions alike are reused for most of their life).
/// If that refresh fails while more than 10 minutes (or a quarter of the lifetime) remain, the
/// old credentials are used.
public final class CredentialChain: CredentialProvider {
  /// Inputs of the chain; tests point the endpoints at loopback.
  ///
  /// Its description and mirror leave out the environment, which may hold secret keys.
  public struct Options: Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
  {
    /// An explicitly chosen profile (`--profile`); nil uses `AWS_PROFILE` or `default`.
    public var profile: String?
    /// The environment to read (`AWS_*`, `HOME`).
    public var environment: [String: String]
    /// The base of `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (`http://169.254.170.2`).
    public var containerBaseURL: String = "http://169.254.170.2"
    /// The IMDS base when `AWS_EC2_METADATA_SERVICE_ENDPOINT` is not set.
    public var instanceMetadataBaseURL: String = "http://169.254.169.254/"
    /// TLS settings for STS and https container endpoints.
    public var transport = TransportOptions()
    /// Asks for the current code of the MFA device whose ARN or serial number it is given,
    /// when an assume-role profile has `mfa_serial`; returns nil when it cannot ask. Nil (the
    /// default) refuses such profiles. rdbtool asks on the terminal.
    public var mfaCode: (@Sendable (_ serial: String) -> String?)?

    /// The profile and endpoints; never the environment.
    public var description: String {
      "CredentialChain.Options(profile: \(profile ?? "nil"), containerBaseURL: "
        + "\(containerBaseURL), instanceMetadataBaseURL: \(instanceMetadataBaseURL))"
    }

    /// Same as `description`.
    public var debugDescription: String { description }

    /// A mirror without the environment.
    public var customMirror: Mirror {
      Mirror(
        self,
        children: [
          "profile": profile as Any, "containerBaseURL": containerBaseURL,
          "instanceMetadataBaseURL": instanceMetadataBaseURL,
        ])
    }

    /// Options reading `environment`, with the real AWS link-local endpoints.
    public init(
      profile: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
      self.profile = profile
      self.environment = environment
    }
  }

  /// The chain's inputs.
  public let options: Options
  /// Where the chosen source and refreshes are logged, at `.debug` (never the keys).
  public let logger: Logger
  private let cache = Mutex<
    (credentials: AWSCredentials, source: CredentialSource, fetched: Date)?
  >(nil)

  /// Creates a chain; nothing is read until ``credentials()``.
  public init(options: Options = Options(), logger: Logger = Logger(label: "rdbkit.credentials")) {
    self.options = options
    self.logger = logger
  }

  /// Credentials from the first configured source, cached until shortly before they expire
  /// (see the type's documentation).
  /// - Throws: ``S3Error`` `.credentialsNotFound` when no source is configured,
  ///   `.credentialSourceFailed` when the configured one fails.
  public func credentials() throws(S3Error) -> AWSCredentials {
    try cache.withLock { cached throws(S3Error) -> AWSCredentials in
      let now = Date()
      if let current = cached,
        !Self.needsRefresh(
          current.credentials, fetched: current.fetched, now: now, mandatory: false)
      {
        return current.credentials
      }
      do throws(S3Error) {
        let resolved = try resolve()
        let fresh = (credentials: resolved.credentials, source: resolved.source, fetched: now)
        logger.debug(
          cached == nil ? "loaded AWS credentials" : "refreshed AWS credentials",
          metadata: [
            "source": "\(fresh.source.rawValue)",
            "expires": "\(fresh.credentials.expiration.map { "\($0)" } ?? "never")",
          ])
        cached = fresh
        return fresh.credentials
      } catch {
        if let current = cached,
          !Self.needsRefresh(
            current.credentials, fetched: current.fetched, now: now, mandatory: true)
        {
          return current.credentials
        }
        throw error
      }
    }
  }

  /// Whether `credentials`, fetched at `fetched`, should be fetched again at `now`: within
  /// min(15 min, half their lifetime) of expiry, or with `mandatory` min(10 min, a quarter).
  static func needsRefresh(
    _ credentials: AWSCredentials, fetched: Date, now: Date, mandatory: Bool
  ) -> Bool {
    guard let expiration = credentials.expiration else { return false }
    let lifetime = expiration.timeIntervalSince(fetched)
    let margin = mandatory ? min(10 * 60, lifetime / 4) : min(15 * 60, lifetime / 2)
    return expiration.timeIntervalSince(now) < margin
  }

  /// The source of the cached credentials, resolving them first if needed.
  public func source() throws(S3Error) -> CredentialSource {
    _ = try credentials()
    return cache.withLock { $0?.source } ?? .environment
  }

  /// Walks the chain once, without the cache.
  func resolve() throws(S3Error) -> (credentials: AWSCredentials, source: CredentialSource) {
    let environment = options.environment
    let profile = AWSProfile.load(named: options.profile, environment: environment)
    if options.profile == nil, let found = try StaticCredentialSources.environment(environment) {
      return (found, .environment)
    }
    if let found = try AssumeRoleCredentials.load(
      profile: profile, chain: self, visited: [profile.name])
    {
      return (found, .assumeRole)
    }
    if let found = try profileCredentials(profile, readsEnvironment: true) { return found }
    if let found = try ContainerCredentials.load(
      environment: environment, baseURL: options.containerBaseURL, transport: options.transport)
    {
      return (found, .container)
    }
    if let found = try InstanceMetadataCredentials.load(
      environment: environment, defaultBaseURL: options.instanceMetadataBaseURL)
    {
      return (found, .instanceMetadata)
    }
    throw S3Error(.credentialsNotFound)
  }

  /// The sources that read one profile, in the AWS CLI's order: web identity, SSO, keys in the
  /// credentials file, `credential_process`, keys in the config file. A role's
  /// `source_profile` is read with these, without the web identity environment variables
  /// (`readsEnvironment: false`), as the AWS CLI reads it.
  /// - Returns: The credentials and their source; nil when the profile configures none.
  func profileCredentials(_ profile: AWSProfile, readsEnvironment: Bool) throws(S3Error) -> (
    credentials: AWSCredentials, source: CredentialSource
  )? {
    let environment =
      readsEnvironment
      ? options.environment
      : options.environment.filter {
        !["AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME"].contains($0.key)
      }
    if let found = try WebIdentityCredentials.load(
      environment: environment, profile: profile, transport: options.transport)
    {
      return (found, .webIdentity)
    }
    if let found = try SSOCredentials.load(
      profile: profile, environment: environment, transport: options.transport)
    {
      return (found, .sso)
    }
    if let found = try StaticCredentialSources.profileKeys(
      profile.credentialsFileSettings, profile: profile.name, file: "credentials file")
    {
      return (found, .sharedCredentialsFile)
    }
    if let command = profile["credential_process"] {
      return (try CredentialProcess.run(command, profile: profile.name), .credentialProcess)
    }
    if let found = try StaticCredentialSources.profileKeys(
      profile.settings, profile: profile.name, file: "config file")
    {
      return (found, .configFile)
    }
    return nil
  }
}
