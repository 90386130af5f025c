import Foundation
import RDBKit

/// STS AssumeRoleWithWebIdentity with a token file, as EKS (IRSA) and other OIDC setups use.
enum WebIdentityCredentials {
  /// Exchanges the web identity token for temporary credentials; nil when no token file is
  /// configured (`AWS_WEB_IDENTITY_TOKEN_FILE`, else the profile's `web_identity_token_file`).
  ///
  /// The STS endpoint is `AWS_ENDPOINT_URL_STS`, else `AWS_ENDPOINT_URL`, else the profile's
  /// configured one, else `https://sts.REGION.amazonaws.com` (see ``AWSServiceEndpoint``). The
  /// call is unsigned; the token file is read on every refresh.
  /// - Throws: `.credentialSourceFailed` without a role ARN, with an unreadable token file, or
  ///   when STS refuses (its code and request id are kept).
  static func load(environment: [String: String], profile: AWSProfile, transport: TransportOptions)
    throws(S3Error) -> AWSCredentials?
  {
    guard
      let tokenFile = environment["AWS_WEB_IDENTITY_TOKEN_FILE"]
        ?? profile["web_identity_token_file"],
      !tokenFile.isEmpty
    else { return nil }
    guard let roleARN = environment["AWS_ROLE_ARN"] ?? profile["role_arn"], !roleARN.isEmpty else {
      throw S3Error(
        .credentialSourceFailed,
        message: "a web identity token file is set but no role ARN (AWS_ROLE_ARN or role_arn)")
    }
    guard let tokenData = FileManager.default.contents(atPath: tokenFile) else {
      throw S3Error(
        .credentialSourceFailed, message: "cannot read the web identity token file \(tokenFile)")
    }
    let token = String(decoding: tokenData, as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let sessionName =
      environment["AWS_ROLE_SESSION_NAME"] ?? profile["role_session_name"]
      ?? "rdbtool-session-\(Int(Date().timeIntervalSince1970))"
    let region = AWSServiceEndpoint.region(profile: profile, environment: environment)
    let call = QueryAPIRequest(
      endpoint: AWSServiceEndpoint.url(
        service: "sts", defaultHost: "sts.\(region).amazonaws.com", profile: profile,
        environment: environment),
      service: "sts", region: region, action: "AssumeRoleWithWebIdentity",
      version: AssumeRoleCredentials.version,
      parameters: [
        ("RoleArn", roleARN), ("RoleSessionName", sessionName), ("WebIdentityToken", token),
      ])
    let response = try call.send(credentials: nil, transport: transport)
    guard let credentials = response.result?.child("Credentials"),
      let key = credentials.text(of: "AccessKeyId"),
      let secret = credentials.text(of: "SecretAccessKey")
    else {
      throw S3Error(
        .credentialSourceFailed, httpStatus: response.status, awsCode: response.errorCode,
        message: "STS AssumeRoleWithWebIdentity for \(roleARN) failed"
          + (response.errorMessage.map { ": \($0)" } ?? ""),
        requestID: response.requestID)
    }
    return AWSCredentials(
      accessKeyID: key, secretAccessKey: secret, sessionToken: credentials.text(of: "SessionToken"),
      expiration: credentials.text(of: "Expiration").flatMap(AMZTime.parseISO8601))
  }
}
