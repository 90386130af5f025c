import Foundation
import RDBKit

/// One call to an AWS Query API (STS, ElastiCache, IAM): a form-encoded `POST /` with `Action`,
/// `Version` and the action's parameters, signed with SigV4 for the service, answered in XML.
///
///     let call = QueryAPIRequest(
///       endpoint: "https://sts.us-east-1.amazonaws.com", service: "sts", region: "us-east-1",
///       action: "AssumeRole", version: "2011-06-15",
///       parameters: [("RoleArn", roleARN), ("RoleSessionName", "rdbtool-session-1")])
///     let response = try call.send(credentials: source, transport: transport)
///     let result = response.result  // <AssumeRoleResult>
///
/// Unlike S3, Query APIs sign a normalized path (`/`), take the payload hash from the body and
/// need no `x-amz-content-sha256` header. Errors come back as
/// `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`;
/// ``QueryAPIResponse`` exposes the code, message and request id and leaves the meaning to the
/// caller.
struct QueryAPIRequest: Sendable {
  /// The service endpoint, `https://sts.us-east-1.amazonaws.com` or an override; a trailing
  /// `/` is optional.
  var endpoint: String
  /// The SigV4 service name (`sts`, `elasticache`).
  var service: String
  /// The SigV4 region.
  var region: String
  /// The `Action` parameter.
  var action: String
  /// The API version (`2011-06-15` for STS, `2015-02-02` for ElastiCache).
  var version: String
  /// The action's parameters in the order given (the encoding sorts nothing; the signature
  /// covers the body's hash).
  var parameters: [(name: String, value: String)] = []

  /// The form body: `Action`, `Version`, then the parameters, each value percent-encoded with
  /// the SigV4 unreserved set (so `/`, `+`, `=` and `:` are encoded).
  var body: [UInt8] {
    let items = [("Action", action), ("Version", version)] + parameters.map { ($0.name, $0.value) }
    let form = items.map {
      SigV4Signer.uriEncode($0.0, encodeSlash: true) + "="
        + SigV4Signer.uriEncode($0.1, encodeSlash: true)
    }
    return Array(form.joined(separator: "&").utf8)
  }

  /// The full URL to POST to (the endpoint with a `/` path).
  var url: String {
    guard let components = URLComponents(string: endpoint), components.path.isEmpty else {
      return endpoint
    }
    return endpoint + "/"
  }

  /// Sends the call, signed with `credentials` (unsigned when nil, as
  /// AssumeRoleWithWebIdentity is), and returns the answer whatever its status.
  /// - Parameters:
  ///   - credentials: The caller's keys, or nil for an unsigned call.
  ///   - transport: Timeouts and TLS settings (the CA bundle).
  ///   - date: The signing time.
  /// - Returns: The status and parsed document, errors included.
  /// - Throws: ``S3Error`` `.transport` when no answer arrives, `.invalidConfiguration` for an
  ///   endpoint that is not an http(s) URL.
  func send(
    credentials: AWSCredentials?, transport: TransportOptions, date: Date = Date()
  ) throws(S3Error) -> QueryAPIResponse {
    guard let components = URLComponents(string: url), let host = components.host,
      components.scheme == "http" || components.scheme == "https"
    else {
      throw S3Error(
        .invalidConfiguration,
        message: "the \(service) endpoint '\(endpoint)' is not an http(s) URL")
    }
    let body = body
    var headers = [
      HTTPHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
      HTTPHeader("Accept", "application/xml"),
    ]
    if let credentials {
      let hostHeader = components.port.map { "\(host):\($0)" } ?? host
      let signer = SigV4Signer(credentials: credentials, region: region, service: service)
      headers =
        signer.sign(
          method: "POST", path: components.path.isEmpty ? "/" : components.percentEncodedPath,
          headers: [HTTPHeader("Host", hostHeader)] + headers,
          payloadHash: Digest.sha256Hex(body), addsPayloadHashHeader: false, date: date
        ).headers
    }
    var request = HTTPRequest(method: "POST", url: url, headers: headers, body: body)
    request.transport = transport
    return QueryAPIResponse(try CurlEasy().collect(request))
  }
}

/// The answer to a ``QueryAPIRequest``: the status and the parsed XML document.
struct QueryAPIResponse: Sendable {
  /// The HTTP status.
  var status: Int
  /// The root element (`<ActionResponse>` or `<ErrorResponse>`), nil when the body is not XML.
  var document: XMLNode?
  /// `x-amzn-RequestId`, else the document's `<RequestId>`.
  var requestID: String?

  /// Parses `response`'s body.
  init(_ response: HTTPResponse) {
    status = response.status
    document = response.body.isEmpty ? nil : XMLNode.parse(response.body)
    requestID =
      response.header("x-amzn-requestid") ?? document?.text(of: "RequestId")
      ?? document?.child("ResponseMetadata")?.text(of: "RequestId")
  }

  /// The `<ActionResult>` element of a 200 answer (`<AssumeRoleResult>`), nil otherwise.
  var result: XMLNode? {
    guard status == 200, let document else { return nil }
    return document.children.first { $0.name.hasSuffix("Result") }
  }

  /// The `<Error>` element of an error answer: `<ErrorResponse><Error>` as STS and
  /// ElastiCache document it, or `<ErrorResponse><Errors><Error>` as moto and EC2 write it.
  private var error: XMLNode? {
    document?.name == "Error"
      ? document : document?.child("Error") ?? document?.child("Errors")?.child("Error")
  }

  /// The error `<Code>` (`AccessDenied`, `ValidationError`), if the answer carries one.
  var errorCode: String? { error?.text(of: "Code") }

  /// The error `<Message>`, if any.
  var errorMessage: String? { error?.text(of: "Message") }
}
