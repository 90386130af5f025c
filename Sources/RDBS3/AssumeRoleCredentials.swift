import Foundation
import RDBKit

/// STS `AssumeRole` for a profile with `role_arn`, as the AWS CLI does it.
///
/// The profile names where the caller's credentials come from: `source_profile` (another
/// profile, which may itself assume a role: role chaining) or `credential_source`
/// (`Environment`, `Ec2InstanceMetadata`, `EcsContainer`), never both. `external_id`,
/// `role_session_name` (default `rdbtool-session-<unix time>`) and `duration_seconds` become
/// the call's parameters. For a profile with `mfa_serial`, the chain's
/// ``CredentialChain/Options/mfaCode`` is asked for the code (again at each refresh); without
/// one the profile is refused.
enum AssumeRoleCredentials {
  /// The STS API version of `AssumeRole`.
  static let version = "2011-06-15"

  /// Assumes the profile's role; nil when the profile has no `role_arn` (or also has
  /// `web_identity_token_file`, which makes it a web identity profile).
  ///
  /// - Parameters:
  ///   - profile: The profile whose role to assume.
  ///   - chain: The chain, for its environment, endpoints, TLS settings and the providers a
  ///     source profile is read with.
  ///   - visited: The profiles already on this chain of roles, to refuse loops.
  /// - Returns: The role session's credentials, with their expiry.
  /// - Throws: `.credentialSourceFailed` for a configuration the AWS CLI also refuses (both or
  ///   neither of `source_profile` and `credential_source`, a missing or looping source
  ///   profile, a source without credentials, `mfa_serial` with no code), and for STS
  ///   refusals, each with the fix.
  static func load(profile: AWSProfile, chain: CredentialChain, visited: [String])
    throws(S3Error) -> AWSCredentials?
  {
    guard let roleARN = profile["role_arn"], profile["web_identity_token_file"] == nil else {
      return nil
    }
    let name = profile.name
    func refuse(_ why: String) -> S3Error {
      S3Error(.credentialSourceFailed, message: "profile '\(name)' \(why)")
    }
    guard isRoleARN(roleARN) else {
      throw refuse(
        "has role_arn '\(roleARN)', which is not an IAM role ARN "
          + "(arn:aws:iam::123456789012:role/NAME)")
    }
    var parameters: [(name: String, value: String)] = [
      ("RoleArn", roleARN),
      (
        "RoleSessionName",
        profile["role_session_name"] ?? "rdbtool-session-\(Int(Date().timeIntervalSince1970))"
      ),
    ]
    if let externalID = profile["external_id"] { parameters.append(("ExternalId", externalID)) }
    if let duration = profile["duration_seconds"] {
      guard let seconds = Int(duration), seconds > 0 else {
        throw refuse("has duration_seconds '\(duration)': give a whole number of seconds")
      }
      parameters.append(("DurationSeconds", String(seconds)))
    }
    let (source, describedSource) = try sourceCredentials(
      of: profile, chain: chain, visited: visited)
    if let serial = profile["mfa_serial"] {
      // Asked after the source credentials, as the AWS CLI does, so that a configuration
      // error is reported before anyone types a code.
      guard let ask = chain.options.mfaCode,
        let code = ask(serial)?.trimmingCharacters(in: .whitespacesAndNewlines), !code.isEmpty
      else {
        throw refuse(
          "needs an MFA code (mfa_serial \(serial)) and there is no terminal to ask for it on: "
            + "run rdbtool in a terminal, or run `aws configure export-credentials --profile "
            + "\(name) --format env` and run rdbtool with the variables it prints")
      }
      parameters += [("SerialNumber", serial), ("TokenCode", code)]
    }
    let environment = chain.options.environment
    let region = AWSServiceEndpoint.region(profile: profile, environment: environment)
    let call = QueryAPIRequest(
      endpoint: AWSServiceEndpoint.url(
        service: "sts", defaultHost: "sts.\(region).amazonaws.com", profile: profile,
        environment: environment),
      service: "sts", region: region, action: "AssumeRole", version: version,
      parameters: parameters)
    let response: QueryAPIResponse
    do {
      response = try call.send(credentials: source, transport: chain.options.transport)
    } catch {
      throw S3Error(
        .credentialSourceFailed,
        message: "cannot reach STS at \(call.endpoint) to assume \(roleARN) for profile "
          + "'\(name)'" + (error.message.map { ": \($0)" } ?? ""),
        curlCode: error.curlCode)
    }
    guard let credentials = response.result?.child("Credentials"),
      let key = credentials.text(of: "AccessKeyId"),
      let secret = credentials.text(of: "SecretAccessKey"),
      let token = credentials.text(of: "SessionToken")
    else {
      throw S3Error(
        .credentialSourceFailed, httpStatus: response.status, awsCode: response.errorCode,
        message: advice(
          for: response, role: roleARN, profile: profile, source: describedSource),
        requestID: response.requestID)
    }
    return AWSCredentials(
      accessKeyID: key, secretAccessKey: secret, sessionToken: token,
      expiration: credentials.text(of: "Expiration").flatMap(AMZTime.parseISO8601))
  }

  /// Whether `text` has the form `arn:PARTITION:iam::ACCOUNT:role/PATH/NAME`.
  static func isRoleARN(_ text: String) -> Bool {
    let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
    return parts.count == 6 && parts[0] == "arn" && !parts[1].isEmpty && parts[2] == "iam"
      && parts[3].isEmpty && !parts[4].isEmpty && parts[5].hasPrefix("role/")
      && parts[5].count > 5
  }

  /// The credentials that call AssumeRole, and how to name them in an error.
  private static func sourceCredentials(
    of profile: AWSProfile, chain: CredentialChain, visited: [String]
  ) throws(S3Error) -> (AWSCredentials, String) {
    let name = profile.name
    let sourceProfile = profile["source_profile"]
    let credentialSource = profile["credential_source"]
    switch (sourceProfile, credentialSource) {
    case (.some, .some):
      throw S3Error(
        .credentialSourceFailed,
        message: "profile '\(name)' has both source_profile and credential_source: keep one")
    case (nil, nil):
      throw S3Error(
        .credentialSourceFailed,
        message: "profile '\(name)' has role_arn but neither source_profile nor "
          + "credential_source: name where the credentials that assume the role come from")
    case (nil, .some(let source)):
      let described = "credential_source \(source)"
      let options = chain.options
      let found: AWSCredentials?
      switch source {
      case "Environment": found = try StaticCredentialSources.environment(options.environment)
      case "Ec2InstanceMetadata":
        found = try InstanceMetadataCredentials.load(
          environment: options.environment, defaultBaseURL: options.instanceMetadataBaseURL)
      case "EcsContainer":
        found = try ContainerCredentials.load(
          environment: options.environment, baseURL: options.containerBaseURL,
          transport: options.transport)
      default:
        throw S3Error(
          .credentialSourceFailed,
          message: "profile '\(name)' has credential_source '\(source)': use Environment, "
            + "Ec2InstanceMetadata or EcsContainer")
      }
      guard let found else {
        throw S3Error(
          .credentialSourceFailed,
          message: "profile '\(name)' takes its credentials from \(described), which has none")
      }
      return (found, described)
    case (.some(let sourceName), nil):
      let described = "source_profile '\(sourceName)'"
      let source = AWSProfile.load(named: sourceName, environment: chain.options.environment)
      guard source.isDefined else {
        throw S3Error(
          .credentialSourceFailed,
          message: "profile '\(name)' names source_profile '\(sourceName)', which does not exist")
      }
      let hasKeys =
        source.settings["aws_access_key_id"] != nil
        || source.settings["aws_secret_access_key"] != nil
      // A profile may name itself to take its own keys; any other repeat is a loop.
      if visited.contains(sourceName), !(sourceName == name && hasKeys) {
        throw S3Error(
          .credentialSourceFailed,
          message: "the source_profile chain loops: "
            + (visited + [sourceName]).joined(separator: " -> "))
      }
      if !hasKeys,
        let assumed = try load(profile: source, chain: chain, visited: visited + [sourceName])
      {
        return (assumed, described)
      }
      guard let found = try chain.profileCredentials(source, readsEnvironment: false) else {
        throw S3Error(
          .credentialSourceFailed,
          message: "source_profile '\(sourceName)' of profile '\(name)' has no credentials")
      }
      return (found.credentials, described)
    }
  }

  /// One line saying why STS refused and what to change; never the keys.
  private static func advice(
    for response: QueryAPIResponse, role: String, profile: AWSProfile, source: String
  ) -> String {
    let head = "STS refused to let profile '\(profile.name)' assume \(role)"
    let detail = response.errorMessage.map { " (\($0))" } ?? ""
    switch response.errorCode {
    case "AccessDenied":
      return head + detail + ": the credentials of \(source) need sts:AssumeRole on \(role), "
        + "and the role's trust policy must name their principal"
        + (profile["external_id"] == nil
          ? " (set external_id if it requires an external ID)"
          : " and expect the profile's external_id")
    case "InvalidClientTokenId":
      return head + detail + ": STS does not know the access key of \(source); check its keys "
        + "(temporary ASIA… keys need their session token)"
    case "SignatureDoesNotMatch":
      return head + detail + ": the secret key of \(source) does not match its access key id"
    case "ExpiredToken":
      return head + detail + ": the session token of \(source) has expired; refresh it"
    case "ValidationError":
      return head + detail + ": check role_arn, role_session_name (2–64 characters of "
        + "letters, digits and +=,.@_-), duration_seconds (900 up to the role's maximum "
        + "session duration) and external_id (2–1224 characters)"
    case "RegionDisabledException":
      return head + detail + ": STS is not activated in this region; activate it in IAM's "
        + "account settings or set region in the profile"
    case .some:
      return head + detail
    case nil:
      return head + ": STS answered HTTP \(response.status) without an AssumeRoleResult"
    }
  }
}
