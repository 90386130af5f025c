import Foundation
import Logging
import RDBKit

/// A blocking client for the two ElastiCache Query API actions an export needs, CopySnapshot
/// and DescribeSnapshots (API version 2015-02-02), signed with SigV4 for service
/// `elasticache`.
///
/// Each call is a POST of a form body (`Action=…&Version=2015-02-02&…`) to
/// `https://elasticache.REGION.amazonaws.com/`, or to the endpoint set by
/// `AWS_ENDPOINT_URL_ELASTICACHE` (then `AWS_ENDPOINT_URL`), as the AWS SDKs take it.
/// Throttling, server errors and connection failures are retried per ``retryPolicy``.
///
///     let client = ElastiCacheClient(region: "eu-west-1", credentials: chain)
///     let copy = try client.copySnapshot(source: "nightly", target: "nightly-export", bucket: "b")
public struct ElastiCacheClient: Sendable {
  /// The API version every request names.
  public static let apiVersion = "2015-02-02"

  /// The region requests are signed for and sent to.
  public let region: String
  /// A custom endpoint (`scheme://host[:port]`), or nil for AWS's.
  public let endpointURL: String?
  /// Where credentials come from.
  public let credentialProvider: any CredentialProvider
  /// Timeouts and CA bundle.
  public let transport: TransportOptions
  /// How throttled and failed requests are retried.
  public let retryPolicy: RetryPolicy

  /// Creates a client.
  public init(
    region: String, endpointURL: String? = nil, credentials: any CredentialProvider,
    transport: TransportOptions = TransportOptions(), retryPolicy: RetryPolicy = RetryPolicy()
  ) {
    self.region = region
    self.endpointURL = endpointURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    self.credentialProvider = credentials
    self.transport = transport
    self.retryPolicy = retryPolicy
  }

  /// The endpoint from `--elasticache-endpoint-url`, else `AWS_ENDPOINT_URL_ELASTICACHE`,
  /// else `AWS_ENDPOINT_URL` (none when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`).
  public static func endpoint(option: String?, environment: [String: String]) -> String? {
    if let option, !option.isEmpty { return option }
    guard environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() != "true" else {
      return nil
    }
    return [environment["AWS_ENDPOINT_URL_ELASTICACHE"], environment["AWS_ENDPOINT_URL"]]
      .compactMap { $0 }.first { !$0.isEmpty }
  }

  /// The URL requests go to.
  public var url: String { (endpointURL ?? "https://elasticache.\(region).amazonaws.com") + "/" }

  /// The form body of `action` with `parameters` (in order, after Action and Version).
  public static func body(action: String, _ parameters: [(String, String)]) -> String {
    ([("Action", action), ("Version", apiVersion)] + parameters).map { name, value in
      SigV4Signer.uriEncode(name, encodeSlash: true) + "="
        + SigV4Signer.uriEncode(value, encodeSlash: true)
    }.joined(separator: "&")
  }

  /// The body of the CopySnapshot request that exports `source` to `bucket` as `target`.
  public static func copySnapshotBody(source: String, target: String, bucket: String) -> String {
    body(
      action: "CopySnapshot",
      [("SourceSnapshotName", source), ("TargetSnapshotName", target), ("TargetBucket", bucket)])
  }

  /// CopySnapshot to S3: ElastiCache starts writing `<target>-NNNN.rdb` objects into
  /// `bucket` and answers at once.
  /// - Returns: The snapshot as ElastiCache describes the copy.
  public func copySnapshot(source: String, target: String, bucket: String)
    throws(ElastiCacheError) -> ElastiCacheSnapshot
  {
    try snapshot(
      action: "CopySnapshot",
      body: Self.copySnapshotBody(source: source, target: target, bucket: bucket))
  }

  /// DescribeSnapshots for one snapshot name.
  public func describeSnapshot(named name: String) throws(ElastiCacheError) -> ElastiCacheSnapshot {
    try snapshot(
      action: "DescribeSnapshots",
      body: Self.body(action: "DescribeSnapshots", [("SnapshotName", name)]))
  }

  private func snapshot(action: String, body: String) throws(ElastiCacheError)
    -> ElastiCacheSnapshot
  {
    let response = try send(action: action, body: body)
    guard let root = XMLNode.parse(response.body), let snapshot = ElastiCacheSnapshot(in: root)
    else {
      throw ElastiCacheError(
        .other, action: action, message: "the answer holds no Snapshot",
        httpStatus: response.status)
    }
    return snapshot
  }

  /// Signs and sends one action, retrying throttling, 5xx and connection failures.
  func send(action: String, body: String) throws(ElastiCacheError) -> HTTPResponse {
    let bytes = Array(body.utf8)
    let easy: CurlEasy
    do { easy = try CurlEasy() } catch {
      throw ElastiCacheError(.transport, action: action, message: "\(error)")
    }
    var attempt = 1
    while true {
      let failure: ElastiCacheError
      do {
        let response = try easy.collect(try signed(bytes))
        if response.status < 300 { return response }
        failure = Self.error(response, action: action)
      } catch let error as ElastiCacheError {
        failure = error
      } catch {
        failure = ElastiCacheError(.transport, action: action, message: "\(error)")
      }
      let retryable =
        failure.kind == .throttled || failure.kind == .transport || (failure.httpStatus ?? 0) >= 500
      guard retryable, attempt < retryPolicy.maxAttempts else { throw failure }
      let seconds = retryPolicy.delay(afterAttempt: attempt, throttled: failure.kind == .throttled)
      if seconds > 0 { Thread.sleep(forTimeInterval: seconds) }
      attempt += 1
    }
  }

  private func signed(_ body: [UInt8]) throws -> HTTPRequest {
    let credentials = try credentialProvider.credentials()
    let components = URLComponents(string: url)
    let host = (components?.host ?? "") + (components?.port.map { ":\($0)" } ?? "")
    let signer = SigV4Signer(credentials: credentials, region: region, service: "elasticache")
    let result = signer.sign(
      method: "POST", path: "/",
      headers: [
        HTTPHeader("Host", host),
        HTTPHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
      ], payloadHash: Digest.sha256Hex(body), addsPayloadHashHeader: false, date: Date())
    return HTTPRequest(
      method: "POST", url: url, headers: result.headers, body: body, transport: transport)
  }

  /// The error an `ErrorResponse` stands for.
  static func error(_ response: HTTPResponse, action: String) -> ElastiCacheError {
    let root = XMLNode.parse(response.body)
    let node = root?.child("Error") ?? root
    let code = node?.text(of: "Code")
    let message = node?.text(of: "Message") ?? "HTTP \(response.status)"
    return ElastiCacheError(
      ElastiCacheError.kind(code: code, message: message),
      action: action, code: code, message: message, httpStatus: response.status,
      requestID: root?.text(of: "RequestId") ?? response.header("x-amzn-requestid"))
  }
}
