import Foundation
import RDBKit

/// Where S3 requests go: the region, an optional custom endpoint, and the addressing style.
///
/// ``resolve(region:endpointURL:addressingStyle:profile:environment:)`` follows the AWS CLI v2:
/// region from `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, else
/// `us-east-1`; endpoint from `--endpoint-url`, `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`, the
/// profile's `[services]` `s3.endpoint_url`, the profile's `endpoint_url` (the configured ones
/// ignored when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`). Addressing is virtual-hosted for
/// AWS endpoints and DNS-compatible bucket names without dots, path-style otherwise, unless
/// set explicitly (or by the profile's `s3.addressing_style`).
public struct S3Endpoint: Sendable, Equatable {
  /// How the bucket is placed in the URL.
  public enum AddressingStyle: String, Sendable, Equatable {
    /// Virtual-hosted on AWS endpoints when the bucket name allows it, else path-style.
    case automatic = "auto"
    /// `https://host/bucket/key`.
    case path
    /// `https://bucket.host/key`.
    case virtual
  }

  /// The region requests are signed for and, on AWS endpoints, sent to.
  public var region: String
  /// A custom endpoint (`scheme://host[:port]`), or nil for AWS's own.
  public var endpointURL: String?
  /// The addressing style.
  public var addressingStyle: AddressingStyle

  /// Creates an endpoint from explicit settings.
  public init(
    region: String, endpointURL: String? = nil, addressingStyle: AddressingStyle = .automatic
  ) {
    self.region = region
    self.endpointURL = endpointURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    self.addressingStyle = addressingStyle
  }

  /// Resolves the endpoint as the AWS CLI v2 does (see the type's documentation).
  ///
  /// - Parameters:
  ///   - region: `--region`, if given.
  ///   - endpointURL: `--endpoint-url`, if given.
  ///   - addressingStyle: An explicit style, if given; beats the profile's.
  ///   - profile: The loaded profile (see ``AWSProfile/load(named:environment:)``).
  ///   - environment: The process environment.
  /// - Returns: The resolved endpoint.
  /// - Throws: ``S3Error`` `.invalidConfiguration` for an endpoint that is not http(s).
  public static func resolve(
    region: String? = nil, endpointURL: String? = nil, addressingStyle: AddressingStyle? = nil,
    profile: AWSProfile, environment: [String: String]
  ) throws(S3Error) -> S3Endpoint {
    func nonEmpty(_ value: String?) -> String? { value?.isEmpty == false ? value : nil }
    let resolvedRegion =
      nonEmpty(region) ?? nonEmpty(environment["AWS_REGION"])
      ?? nonEmpty(environment["AWS_DEFAULT_REGION"]) ?? profile["region"] ?? "us-east-1"
    let ignoreConfigured =
      environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() == "true"
    var endpoint = nonEmpty(endpointURL)
    if endpoint == nil, !ignoreConfigured {
      endpoint =
        nonEmpty(environment["AWS_ENDPOINT_URL_S3"]) ?? nonEmpty(environment["AWS_ENDPOINT_URL"])
        ?? nonEmpty(profile.services["s3.endpoint_url"]) ?? profile["endpoint_url"]
    }
    if let endpoint, !(endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://")) {
      throw S3Error(
        .invalidConfiguration, message: "endpoint URL '\(endpoint)' must start with http(s)://")
    }
    let style =
      addressingStyle ?? profile["s3.addressing_style"].flatMap(AddressingStyle.init(rawValue:))
      ?? .automatic
    return S3Endpoint(region: resolvedRegion, endpointURL: endpoint, addressingStyle: style)
  }

  /// Whether requests go to AWS's own S3 endpoints.
  public var isAWSEndpoint: Bool { endpointURL == nil }

  /// The AWS host name for `region`: `s3.REGION.amazonaws.com` (`.com.cn` in China).
  public static func awsHost(region: String) -> String {
    "s3.\(region).amazonaws.com" + (region.hasPrefix("cn-") ? ".cn" : "")
  }

  /// Whether `bucket` goes into the host name for this endpoint.
  public func usesVirtualHost(for bucket: String) -> Bool {
    switch addressingStyle {
    case .path: return false
    case .virtual: return true
    case .automatic:
      // Dots break TLS wildcard matching, so the CLI uses path style for them too.
      return isAWSEndpoint && S3URL.isDNSCompatible(bucket: bucket) && !bucket.contains(".")
    }
  }

  /// The URL, `Host` value and signed path of a request for `bucket` and `key` in `region`.
  ///
  /// `key` nil addresses the bucket itself; `query` is the already-canonical query string.
  func location(bucket: String, key: String?, query: String, region: String) -> (
    url: String, host: String, path: String
  ) {
    var scheme = "https"
    var host = Self.awsHost(region: region)
    var basePath = ""
    if let endpointURL, let parsed = URLComponents(string: endpointURL) {
      scheme = parsed.scheme ?? "https"
      host = (parsed.host ?? "") + (parsed.port.map { ":\($0)" } ?? "")
      basePath = parsed.percentEncodedPath
      if basePath.hasSuffix("/") { basePath.removeLast() }
    }
    let encodedKey = key.map { "/" + SigV4Signer.uriEncode($0, encodeSlash: false) } ?? "/"
    let path: String
    if usesVirtualHost(for: bucket) {
      host = "\(bucket).\(host)"
      path = basePath + encodedKey
    } else {
      let bucketPath = "/" + SigV4Signer.uriEncode(bucket, encodeSlash: true)
      path = basePath + bucketPath + (key == nil ? "" : encodedKey)
    }
    let url = "\(scheme)://\(host)\(path)" + (query.isEmpty ? "" : "?\(query)")
    return (url, host, path)
  }
}
