import Foundation
import RDBKit

/// The ECS/EKS container credentials endpoint.
enum ContainerCredentials {
  /// Hosts that may be reached over plain http, as botocore allows: loopback, the ECS and EKS
  /// link-local addresses.
  static let plainHTTPHosts: Set<String> = [
    "localhost", "169.254.170.2", "169.254.170.23", "fd00:ec2::23", "[fd00:ec2::23]", "::1",
    "[::1]",
  ]

  /// Fetches credentials; nil when neither `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` nor
  /// `AWS_CONTAINER_CREDENTIALS_FULL_URI` is set.
  ///
  /// A relative URI is appended to `baseURL` (`http://169.254.170.2`). The `Authorization`
  /// header is the contents of `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`, else
  /// `AWS_CONTAINER_AUTHORIZATION_TOKEN`, sent verbatim (CR or LF in it is refused). GET with
  /// `Accept: application/json`, 2 s timeout, 3 attempts 1 s apart.
  /// - Throws: `.credentialSourceFailed` for a disallowed full URI, a bad token, a non-200
  ///   answer or a document without the four fields.
  static func load(environment: [String: String], baseURL: String, transport: TransportOptions)
    throws(S3Error) -> AWSCredentials?
  {
    let url: String
    if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"], !relative.isEmpty {
      url = baseURL + relative
    } else if let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"], !full.isEmpty {
      guard isAllowed(full) else {
        throw S3Error(
          .credentialSourceFailed,
          message: "AWS_CONTAINER_CREDENTIALS_FULL_URI must be https or http to a loopback or "
            + "container link-local address")
      }
      url = full
    } else {
      return nil
    }
    var headers = [HTTPHeader("Accept", "application/json")]
    if let token = try authorizationToken(environment) {
      headers.append(HTTPHeader("Authorization", token))
    }
    var request = HTTPRequest(method: "GET", url: url, headers: headers)
    request.transport = transport
    request.transport.connectTimeout = 2
    request.transport.totalTimeout = 2
    var lastFailure = S3Error(.credentialSourceFailed)
    for attempt in 1...3 {
      if attempt > 1 { Thread.sleep(forTimeInterval: 1) }
      do throws(S3Error) {
        let response = try CurlEasy().collect(request)
        guard response.status == 200 else {
          lastFailure = S3Error(
            .credentialSourceFailed, httpStatus: response.status,
            message: "the container credentials endpoint answered \(response.status)")
          continue
        }
        return try parse(response.body, source: "container credentials endpoint")
      } catch  where error.kind == .transport {
        lastFailure = S3Error(
          .credentialSourceFailed, message: "cannot reach the container credentials endpoint",
          curlCode: error.curlCode)
      }
    }
    throw lastFailure
  }

  /// Whether a full URI may be used: any https, or http to an allowed host or 127.0.0.0/8.
  static func isAllowed(_ uri: String) -> Bool {
    guard let components = URLComponents(string: uri), let host = components.host else {
      return false
    }
    if components.scheme == "https" { return true }
    guard components.scheme == "http" else { return false }
    return plainHTTPHosts.contains(host) || host.hasPrefix("127.")
  }

  private static func authorizationToken(_ environment: [String: String]) throws(S3Error) -> String?
  {
    var token = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"]
    if let path = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"], !path.isEmpty {
      guard let data = FileManager.default.contents(atPath: path) else {
        throw S3Error(
          .credentialSourceFailed, message: "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
      }
      token = String(decoding: data, as: UTF8.self)
    }
    if let token, token.contains("\n") || token.contains("\r") {
      throw S3Error(
        .credentialSourceFailed,
        message: "the container authorization token contains a line break")
    }
    return token
  }

  /// Parses `{"AccessKeyId","SecretAccessKey","Token","Expiration"}`, the shape both the
  /// container endpoint and IMDS use.
  static func parse(_ body: [UInt8], source: String) throws(S3Error) -> AWSCredentials {
    guard let document = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
      let key = document["AccessKeyId"] as? String,
      let secret = document["SecretAccessKey"] as? String,
      let token = document["Token"] as? String,
      let expiration = (document["Expiration"] as? String).flatMap(AMZTime.parseISO8601)
    else {
      throw S3Error(
        .credentialSourceFailed,
        message: "the \(source) answered without AccessKeyId, SecretAccessKey, Token and "
          + "Expiration")
    }
    return AWSCredentials(
      accessKeyID: key, secretAccessKey: secret, sessionToken: token, expiration: expiration)
  }
}
