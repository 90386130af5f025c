import Foundation
import RDBKit

/// EC2 instance metadata (IMDSv2 token flow, IMDSv1 fallback where allowed).
enum InstanceMetadataCredentials {
  /// Fetches the instance role's credentials; nil when IMDS is disabled
  /// (`AWS_EC2_METADATA_DISABLED=true`), unreachable, or has no role.
  ///
  /// `PUT latest/api/token` (TTL 21600 s), then `GET latest/meta-data/iam/security-credentials/`
  /// for the role name and `GET …/<role>` for the credentials, both with the token. A PUT
  /// answered 403, 404 or 405, or timing out, falls back to tokenless GETs unless
  /// `AWS_EC2_METADATA_V1_DISABLED=true`; 400 gives up. The base URL is
  /// `AWS_EC2_METADATA_SERVICE_ENDPOINT`, `http://[fd00:ec2::254]/` when
  /// `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6`, else `defaultBaseURL`; timeout
  /// `AWS_METADATA_SERVICE_TIMEOUT` (1 s), attempts `AWS_METADATA_SERVICE_NUM_ATTEMPTS` (1).
  /// - Throws: `.credentialSourceFailed` when a role exists but its document is unusable, or
  ///   when v1 is disabled and no token can be had.
  static func load(environment: [String: String], defaultBaseURL: String) throws(S3Error)
    -> AWSCredentials?
  {
    if environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true" { return nil }
    var base =
      environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"]
      ?? (environment["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"]?.lowercased() == "ipv6"
        ? "http://[fd00:ec2::254]/" : defaultBaseURL)
    if !base.hasSuffix("/") { base += "/" }
    var transport = TransportOptions()
    let timeout = environment["AWS_METADATA_SERVICE_TIMEOUT"].flatMap(Double.init) ?? 1
    transport.connectTimeout = timeout
    transport.totalTimeout = timeout
    let attempts = max(1, environment["AWS_METADATA_SERVICE_NUM_ATTEMPTS"].flatMap(Int.init) ?? 1)
    let v1Disabled = environment["AWS_EC2_METADATA_V1_DISABLED"]?.lowercased() == "true"

    func fetch(_ method: String, _ path: String, _ headers: [HTTPHeader]) -> HTTPResponse? {
      for _ in 0..<attempts {
        var request = HTTPRequest(method: method, url: base + path, headers: headers)
        request.transport = transport
        if let response = try? CurlEasy().collect(request) { return response }
      }
      return nil
    }

    var tokenHeaders: [HTTPHeader] = []
    let tokenResponse = fetch(
      "PUT", "latest/api/token", [HTTPHeader("x-aws-ec2-metadata-token-ttl-seconds", "21600")])
    if let tokenResponse, tokenResponse.status == 200 {
      let token = String(decoding: tokenResponse.body, as: UTF8.self)
      tokenHeaders = [HTTPHeader("x-aws-ec2-metadata-token", token)]
    } else if tokenResponse?.status == 400 {
      return nil
    } else if v1Disabled {
      throw S3Error(
        .credentialSourceFailed,
        message: "no IMDSv2 token from instance metadata and AWS_EC2_METADATA_V1_DISABLED=true")
    } else if let status = tokenResponse?.status, ![403, 404, 405].contains(status) {
      return nil
    }
    let listPath = "latest/meta-data/iam/security-credentials/"
    guard let list = fetch("GET", listPath, tokenHeaders), list.status == 200,
      let role = String(decoding: list.body, as: UTF8.self).split(separator: "\n").first
    else { return nil }
    guard let document = fetch("GET", listPath + role, tokenHeaders), document.status == 200 else {
      throw S3Error(
        .credentialSourceFailed, message: "instance metadata lists role \(role) but not its keys")
    }
    return try ContainerCredentials.parse(document.body, source: "instance metadata service")
  }
}
