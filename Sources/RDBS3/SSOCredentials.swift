import Foundation
import RDBKit

/// Role credentials from IAM Identity Center (SSO), as the AWS CLI gets them for a profile with
/// `sso_account_id` and `sso_role_name`.
///
/// The start URL and the SSO region come from the profile's `[sso-session NAME]` section
/// (`sso_session = NAME`) or, in legacy profiles, from the profile itself (`sso_start_url`,
/// `sso_region`). The access token is the one `aws sso login` cached (see ``SSOToken``); an
/// expired one is not refreshed here. The portal call is `GET /federation/credentials?
/// account_id=…&role_name=…` with the token in `x-amz-sso_bearer_token`, unsigned, on
/// `https://portal.sso.<region>.amazonaws.com` or the configured SSO endpoint
/// (`AWS_ENDPOINT_URL_SSO`, `AWS_ENDPOINT_URL`, the profile's).
enum SSOCredentials {
  /// The role's credentials; nil when the profile sets neither `sso_account_id` nor
  /// `sso_role_name`.
  /// - Throws: `.credentialSourceFailed` for a missing setting or `sso-session` section,
  ///   values that differ between the two, a missing or expired token (with the
  ///   `aws sso login` line to run), and portal refusals, each with the fix.
  static func load(
    profile: AWSProfile, environment: [String: String], transport: TransportOptions
  ) throws(S3Error) -> AWSCredentials? {
    guard profile["sso_account_id"] != nil || profile["sso_role_name"] != nil else { return nil }
    let name = profile.name
    let loginHint = "aws sso login --profile \(name)"
    var settings = profile.settings
    if let sessionName = profile["sso_session"] {
      guard let session = profile.ssoSession else {
        throw S3Error(
          .credentialSourceFailed,
          message: "profile '\(name)' names sso_session '\(sessionName)', but the config file "
            + "has no [sso-session \(sessionName)] section")
      }
      for (key, value) in session {
        if let own = settings[key], own != value {
          throw S3Error(
            .credentialSourceFailed,
            message: "profile '\(name)' sets \(key) = \(own) but its sso-session "
              + "'\(sessionName)' sets \(value): keep one")
        }
        settings[key] = value
      }
    }
    let required = ["sso_start_url", "sso_region", "sso_account_id", "sso_role_name"]
    let missing = required.filter { settings[$0]?.isEmpty ?? true }
    guard missing.isEmpty, let startURL = settings["sso_start_url"],
      let region = settings["sso_region"], let account = settings["sso_account_id"],
      let role = settings["sso_role_name"]
    else {
      throw S3Error(
        .credentialSourceFailed,
        message: "profile '\(name)' uses SSO but lacks "
          + missing.joined(separator: ", ") + ": run `aws configure sso --profile \(name)`")
    }
    let home = environment["HOME"] ?? NSHomeDirectory()
    let token = try SSOToken.load(
      key: profile["sso_session"] ?? startURL, home: home, loginHint: loginHint)
    let endpoint = AWSServiceEndpoint.url(
      service: "sso", defaultHost: "portal.sso.\(region).amazonaws.com", profile: profile,
      environment: environment)
    let query = SigV4Signer.canonicalQuery([("account_id", account), ("role_name", role)])
    let base = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
    var request = HTTPRequest(
      method: "GET", url: "\(base)/federation/credentials?\(query)",
      headers: [
        HTTPHeader("x-amz-sso_bearer_token", token.accessToken),
        HTTPHeader("Accept", "application/json"),
      ])
    request.transport = transport
    let response: HTTPResponse
    do {
      response = try CurlEasy().collect(request)
    } catch {
      throw S3Error(
        .credentialSourceFailed,
        message: "cannot reach the SSO portal at \(base) for profile '\(name)'"
          + (error.message.map { ": \($0)" } ?? ""),
        curlCode: error.curlCode)
    }
    let document = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
    guard response.status == 200 else {
      let code =
        response.header("x-amzn-errortype").map { String($0.prefix { $0 != ":" }) }
        ?? (document?["__type"] as? String)
      throw S3Error(
        .credentialSourceFailed, httpStatus: response.status, awsCode: code,
        message: advice(
          status: response.status, profile: name, account: account, role: role,
          loginHint: loginHint),
        requestID: response.header("x-amzn-requestid"))
    }
    guard let credentials = document?["roleCredentials"] as? [String: Any],
      let key = credentials["accessKeyId"] as? String,
      let secret = credentials["secretAccessKey"] as? String,
      let sessionToken = credentials["sessionToken"] as? String,
      let expiration = (credentials["expiration"] as? NSNumber)?.doubleValue
    else {
      throw S3Error(
        .credentialSourceFailed,
        message: "the SSO portal answered without roleCredentials (accessKeyId, "
          + "secretAccessKey, sessionToken, expiration) for profile '\(name)'")
    }
    return AWSCredentials(
      accessKeyID: key, secretAccessKey: secret, sessionToken: sessionToken,
      expiration: Date(timeIntervalSince1970: expiration / 1000))
  }

  /// Why the portal refused and what to do; never the token.
  private static func advice(
    status: Int, profile: String, account: String, role: String, loginHint: String
  ) -> String {
    switch status {
    case 401:
      return "the SSO session of profile '\(profile)' has expired or is invalid: run "
        + "`\(loginHint)`"
    case 403, 404:
      return "the SSO user of profile '\(profile)' cannot use role '\(role)' in account "
        + "\(account): check sso_account_id and sso_role_name (`aws sso list-account-roles`)"
    case 429: return "the SSO portal is throttling requests for profile '\(profile)': try again"
    default: return "the SSO portal refused role credentials for profile '\(profile)'"
    }
  }
}
