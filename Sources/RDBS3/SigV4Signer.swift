import Foundation
import RDBKit

/// Signs HTTP requests with AWS Signature Version 4, following the S3 rules.
///
/// S3 differs from other services in three ways, all followed here: the canonical URI is the
/// path exactly as sent (encoded once by the caller, never normalized, so `./`, `../` and `//`
/// stay), the payload hash also travels in `x-amz-content-sha256` (the hex SHA-256 of the body
/// or `UNSIGNED-PAYLOAD`), and a session token is sent and signed as `x-amz-security-token`.
///
///     let signer = SigV4Signer(credentials: credentials, region: "us-east-1")
///     let signed = signer.sign(
///       method: "GET", path: "/rdb-exports/my-export-0001.rdb",
///       headers: [("Host", "127.0.0.1:9000"), ("Range", "bytes=0-8388607")],
///       payloadHash: SigV4Signer.unsignedPayload, date: Date())
///     // send signed.headers
///
/// The signature covers every header passed in; pass only headers that reach the server
/// unchanged (never `User-Agent`, `Connection` or `Expect`).
public struct SigV4Signer: Sendable {
  /// The payload hash S3 accepts in place of the body's SHA-256.
  public static let unsignedPayload = "UNSIGNED-PAYLOAD"
  /// The SHA-256 of the empty string, the payload hash of a request without a body.
  public static let emptyPayloadHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

  /// The keys that sign.
  public var credentials: AWSCredentials
  /// The region of the credential scope (the bucket's region for S3).
  public var region: String
  /// The service of the credential scope: `s3`, or `sts` for STS calls.
  public var service: String

  /// Creates a signer for `service` in `region`.
  public init(credentials: AWSCredentials, region: String, service: String = "s3") {
    self.credentials = credentials
    self.region = region
    self.service = service
  }

  /// A signed request: the headers to send and the intermediate strings, for comparison with
  /// other signers in tests.
  public struct SignedRequest: Sendable, Equatable {
    /// Every header to send: the caller's, then `X-Amz-Date`, `X-Amz-Content-SHA256`,
    /// `X-Amz-Security-Token` when there is a token, and `Authorization`.
    public var headers: [HTTPHeader]
    /// The canonical request that was hashed.
    public var canonicalRequest: String
    /// The string that was signed.
    public var stringToSign: String
    /// The hex signature.
    public var signature: String
    /// The `Authorization` header value.
    public var authorization: String
  }

  /// Signs one request.
  ///
  /// - Parameters:
  ///   - method: The HTTP method, upper case.
  ///   - path: The path exactly as it goes on the wire (already percent-encoded once, see
  ///     ``uriEncode(_:encodeSlash:)``); empty means `/`.
  ///   - query: Decoded query parameters; a parameter without a value has an empty value.
  ///   - headers: The headers to sign and send, `Host` included.
  ///   - payloadHash: Hex SHA-256 of the body, or ``unsignedPayload``.
  ///   - addsPayloadHashHeader: Whether to send and sign `x-amz-content-sha256` (S3 needs it).
  ///   - date: The signing time.
  /// - Returns: The headers to send and the signing strings.
  /// - Complexity: O(n log n) in the number of headers and query parameters.
  public func sign(
    method: String, path: String, query: [(name: String, value: String)] = [],
    headers: [HTTPHeader], payloadHash: String, addsPayloadHashHeader: Bool = true, date: Date
  ) -> SignedRequest {
    let amzDate = AMZTime.amzDate(date)
    let day = String(amzDate.prefix(8))
    var allHeaders = headers
    allHeaders.append(HTTPHeader("X-Amz-Date", amzDate))
    if addsPayloadHashHeader { allHeaders.append(HTTPHeader("X-Amz-Content-SHA256", payloadHash)) }
    if let token = credentials.sessionToken {
      allHeaders.append(HTTPHeader("X-Amz-Security-Token", token))
    }

    var grouped: [String: [String]] = [:]
    for header in allHeaders {
      grouped[header.name.lowercased(), default: []].append(Self.trimmed(header.value))
    }
    let names = grouped.keys.sorted()
    let canonicalHeaders = names.map {
      "\($0):\(grouped[$0, default: []].joined(separator: ","))\n"
    }
    .joined()
    let signedHeaders = names.joined(separator: ";")
    let canonicalRequest = [
      method, path.isEmpty ? "/" : path, Self.canonicalQuery(query), canonicalHeaders,
      signedHeaders, payloadHash,
    ].joined(separator: "\n")

    let scope = "\(day)/\(region)/\(service)/aws4_request"
    let stringToSign = [
      "AWS4-HMAC-SHA256", amzDate, scope, Digest.sha256Hex(Array(canonicalRequest.utf8)),
    ].joined(separator: "\n")
    let signature = Digest.hex(
      Digest.hmacSHA256(key: signingKey(day: day), Array(stringToSign.utf8)))
    let authorization =
      "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), "
      + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
    allHeaders.append(HTTPHeader("Authorization", authorization))
    return SignedRequest(
      headers: allHeaders, canonicalRequest: canonicalRequest, stringToSign: stringToSign,
      signature: signature, authorization: authorization)
  }

  /// The derived key: HMAC chain over the day, region, service and `aws4_request`.
  private func signingKey(day: String) -> [UInt8] {
    var key = Array(("AWS4" + credentials.secretAccessKey).utf8)
    for part in [day, region, service, "aws4_request"] {
      key = Digest.hmacSHA256(key: key, Array(part.utf8))
    }
    return key
  }

  /// Percent-encodes `text` as SigV4 and S3 want: every UTF-8 byte except `A–Z a–z 0–9 - . _ ~`
  /// becomes `%XX` (upper-case hex); `/` is kept unless `encodeSlash` is true.
  ///
  /// Object keys go into paths with `encodeSlash: false`, query names and values with `true`.
  public static func uriEncode(_ text: String, encodeSlash: Bool) -> String {
    let hexDigits = Array("0123456789ABCDEF".utf8)
    var output = [UInt8]()
    output.reserveCapacity(text.utf8.count)
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
        UInt8(ascii: "_"), UInt8(ascii: "~"):
        output.append(byte)
      case UInt8(ascii: "/") where !encodeSlash:
        output.append(byte)
      default:
        output.append(UInt8(ascii: "%"))
        output.append(hexDigits[Int(byte >> 4)])
        output.append(hexDigits[Int(byte & 0x0f)])
      }
    }
    return String(decoding: output, as: UTF8.self)
  }

  /// The canonical query string: names and values encoded, sorted by name then value, each as
  /// `name=value`, joined with `&`. The same string is the wire query.
  public static func canonicalQuery(_ items: [(name: String, value: String)]) -> String {
    let encoded: [(String, String)] = items.map { item in
      (uriEncode(item.name, encodeSlash: true), uriEncode(item.value, encodeSlash: true))
    }
    let sorted = encoded.sorted { left, right in
      left.0 == right.0 ? left.1 < right.1 : left.0 < right.0
    }
    return sorted.map { name, value in name + "=" + value }.joined(separator: "&")
  }

  /// A header value with outer spaces removed and inner runs of spaces collapsed to one.
  private static func trimmed(_ value: String) -> String {
    value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
      .trimmingCharacters(in: .whitespaces)
  }
}
