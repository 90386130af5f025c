import Foundation
import RDBKit

/// STS AssumeRoleWithWebIdentity with a token file, as EKS (IRSA) and other OIDC setups use.
enum WebIdentityCredentials {
  /// Exchanges the web identity token for temporary credentials; nil when no token file is
  /// configured (`AWS_WEB_IDENTITY_TOKEN_FILE`, else the profile's `web_identity_token_file`).
  ///
  /// The STS endpoint is `AWS_ENDPOINT_URL_STS`, else `AWS_ENDPOINT_URL`, else
  /// `https://sts.REGION.amazonaws.com`. The call is unsigned; the token file is read on every
  /// refresh.
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
    let region =
      environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"] ?? profile["region"]
      ?? "us-east-1"
    let endpoint =
      environment["AWS_ENDPOINT_URL_STS"] ?? environment["AWS_ENDPOINT_URL"]
      ?? "https://sts.\(region).amazonaws.com"
    let form = [
      ("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15"), ("RoleArn", roleARN),
      ("RoleSessionName", sessionName), ("WebIdentityToken", token),
    ].map { "\($0.0)=\(SigV4Signer.uriEncode($0.1, encodeSlash: true))" }.joined(separator: "&")
    var request = HTTPRequest(
      method: "POST", url: endpoint.hasSuffix("/") ? endpoint : endpoint + "/",
      headers: [
        HTTPHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
        HTTPHeader("Accept", "application/xml"),
      ], body: Array(form.utf8))
    request.transport = transport
    let response = try CurlEasy().collect(request)
    let document = XMLNode.parse(response.body)
    guard response.status == 200,
      let credentials = document?.child("AssumeRoleWithWebIdentityResult")?.child("Credentials"),
      let key = credentials.text(of: "AccessKeyId"),
      let secret = credentials.text(of: "SecretAccessKey")
    else {
      let error = document?.child("Error")
      throw S3Error(
        .credentialSourceFailed, httpStatus: response.status, awsCode: error?.text(of: "Code"),
        message: "STS AssumeRoleWithWebIdentity for \(roleARN) failed"
          + (error?.text(of: "Message").map { ": \($0)" } ?? ""),
        requestID: document?.text(of: "RequestId") ?? response.header("x-amzn-requestid"))
    }
    return AWSCredentials(
      accessKeyID: key, secretAccessKey: secret, sessionToken: credentials.text(of: "SessionToken"),
      expiration: credentials.text(of: "Expiration").flatMap(AMZTime.parseISO8601))
  }
}
