import RDBKit

/// Where calls to an AWS service other than S3 go (STS, the SSO portal, ElastiCache), resolved
/// as the AWS CLI resolves configured endpoints.
enum AWSServiceEndpoint {
  /// The endpoint for `service`: `AWS_ENDPOINT_URL_<ID>` (`AWS_ENDPOINT_URL_STS`), else
  /// `AWS_ENDPOINT_URL`, else the profile's `[services]` `<service>.endpoint_url`, else the
  /// profile's `endpoint_url` (none of them when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`),
  /// else `https://<defaultHost>`.
  ///
  /// - Parameters:
  ///   - service: The service's configuration key (`sts`, `sso`, `elasticache`); upper-cased
  ///     for the environment variable.
  ///   - defaultHost: The AWS host, `sts.us-east-1.amazonaws.com`.
  ///   - profile: The loaded profile.
  ///   - environment: The process environment.
  /// - Returns: The endpoint URL, without a path.
  static func url(
    service: String, defaultHost: String, profile: AWSProfile, environment: [String: String]
  ) -> String {
    func nonEmpty(_ value: String?) -> String? { value?.isEmpty == false ? value : nil }
    if environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() != "true",
      let configured = nonEmpty(environment["AWS_ENDPOINT_URL_\(service.uppercased())"])
        ?? nonEmpty(environment["AWS_ENDPOINT_URL"])
        ?? nonEmpty(profile.services["\(service).endpoint_url"]) ?? profile["endpoint_url"]
    {
      return configured
    }
    return "https://\(defaultHost)"
  }

  /// The region AWS calls are made in when nothing else names one: `AWS_REGION`, else
  /// `AWS_DEFAULT_REGION`, else the profile's `region`, else `us-east-1`.
  static func region(profile: AWSProfile, environment: [String: String]) -> String {
    [environment["AWS_REGION"], environment["AWS_DEFAULT_REGION"], profile["region"]]
      .compactMap { $0 }.first { !$0.isEmpty } ?? "us-east-1"
  }
}
