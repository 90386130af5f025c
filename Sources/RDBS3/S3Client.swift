import Foundation
import Logging
import RDBKit
import Synchronization

/// A blocking S3 client for the calls rdbtool needs, on libcurl with SigV4.
///
/// Every call blocks the calling thread until the response is complete; call it from a thread
/// of your own (or a detached task), not from many tasks on Swift's cooperative pool at once.
/// Requests are signed with fresh credentials from the provider, addressed by ``endpoint``,
/// retried per ``retryPolicy``, and follow one wrong-region answer (301 `PermanentRedirect`,
/// 400 `AuthorizationHeaderMalformed`) to the region S3 names, remembering it per bucket.
///
///     let client = S3Client(endpoint: endpoint, credentials: try CredentialChain(environment: env))
///     let info = try client.headObject(bucket: "rdb-exports", key: "cache-0001.rdb")
public final class S3Client: Sendable {
  /// Where requests go.
  public let endpoint: S3Endpoint
  /// Where credentials come from.
  public let credentialProvider: any CredentialProvider
  /// Timeouts, CA bundle, connect-to overrides.
  public let transport: TransportOptions
  /// How failed requests are retried.
  public let retryPolicy: RetryPolicy
  /// Where retries, redirects and downloads are logged, at `.debug` (never credentials,
  /// signatures or `Authorization` values).
  public let logger: Logger
  /// Bucket regions learnt from wrong-region answers.
  private let regions = Mutex<[String: String]>([:])

  /// Creates a client.
  public init(
    endpoint: S3Endpoint, credentials: any CredentialProvider,
    transport: TransportOptions = TransportOptions(), retryPolicy: RetryPolicy = RetryPolicy(),
    logger: Logger = Logger(label: "rdbkit.s3")
  ) {
    self.endpoint = endpoint
    self.credentialProvider = credentials
    self.transport = transport
    self.retryPolicy = retryPolicy
    self.logger = logger
  }

  /// The region requests for `bucket` are signed for: learnt from a redirect, else the
  /// endpoint's.
  public func region(for bucket: String) -> String {
    regions.withLock { $0[bucket] } ?? endpoint.region
  }

  /// Sends `request` once (plus one wrong-region follow) on `easy`, appending a successful
  /// body to `body` (see ``CurlEasy/perform(_:into:limit:isCancelled:)``).
  /// - Returns: The response of a status below 300.
  /// - Throws: ``S3Error`` for transport failures and error statuses.
  func send(
    _ request: S3Request, using easy: CurlEasy, into body: inout [UInt8], limit: Int = .max,
    isCancelled: () -> Bool = { false }
  ) throws(S3Error) -> HTTPResponse {
    var region = region(for: request.bucket)
    var followedRedirect = false
    while true {
      let credentials = try credentialProvider.credentials()
      let query = SigV4Signer.canonicalQuery(request.query)
      let location = endpoint.location(
        bucket: request.bucket, key: request.key, query: query, region: region)
      let signer = SigV4Signer(credentials: credentials, region: region)
      let signed = signer.sign(
        method: request.method, path: location.path, query: request.query,
        headers: [HTTPHeader("Host", location.host)] + request.headers,
        payloadHash: request.payloadHash, date: Date())
      let http = HTTPRequest(
        method: request.method, url: location.url, headers: signed.headers, body: request.body,
        transport: transport)
      let response: HTTPResponse
      do {
        response = try easy.perform(
          http, into: &body, limit: limit, isCancelled: isCancelled)
      } catch {
        var located = error
        located.operation = request.operation
        located.bucket = request.bucket
        located.key = request.key
        throw located
      }
      if response.status < 300 { return response }
      let error = S3Error(
        response: response, operation: request.operation, bucket: request.bucket,
        key: request.key)
      if error.kind == .wrongRegion, !followedRedirect, let newRegion = error.region,
        newRegion != region
      {
        logger.debug(
          "following a wrong-region answer",
          metadata: [
            "operation": "\(request.operation)", "bucket": "\(request.bucket)",
            "from": "\(region)", "region": "\(newRegion)",
          ])
        regions.withLock { $0[request.bucket] = newRegion }
        region = newRegion
        followedRedirect = true
        continue
      }
      throw error
    }
  }

  /// Sends `request` with retries, collecting the whole body, on `easy` (whose connection
  /// is kept for the next request) or on a new handle.
  func sendCollecting(_ request: S3Request, using handle: CurlEasy? = nil) throws(S3Error)
    -> HTTPResponse
  {
    let easy: CurlEasy
    if let handle { easy = handle } else { easy = try CurlEasy() }
    var attempt = 1
    while true {
      var body: [UInt8] = []
      do {
        var response = try send(request, using: easy, into: &body)
        response.body = body
        return response
      } catch {
        guard error.isRetryable, attempt < retryPolicy.maxAttempts else {
          var final = error
          final.attempts = attempt
          throw final
        }
        logRetry(request, attempt: attempt, error: error, offset: nil)
        retryPolicy.pause(afterAttempt: attempt, for: error)
        attempt += 1
      }
    }
  }

  /// Logs one retry at `.debug`: operation, bucket, key, attempt, and the error's kind and code.
  func logRetry(_ request: S3Request, attempt: Int, error: S3Error, offset: Int64?) {
    var metadata: Logger.Metadata = [
      "operation": "\(request.operation)", "bucket": "\(request.bucket)",
      "attempt": "\(attempt)", "error": "\(error.kind)",
    ]
    if let key = request.key { metadata["key"] = "\(key)" }
    if let code = error.awsCode ?? error.curlCode.map({ "curl \($0)" }) {
      metadata["code"] = "\(code)"
    }
    if let offset { metadata["offset"] = "\(offset)" }
    logger.debug("retrying S3 request", metadata: metadata)
  }
}
