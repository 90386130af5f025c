import Foundation
import Logging
import RDBKit

extension S3Client {
  /// A client configured the way the AWS CLI v2 configures itself: profile, region, endpoint,
  /// addressing style, CA bundle and the default credential chain.
  ///
  ///     let client = try S3Client.configured(region: options.region, profile: options.profile)
  ///     let input = try client.objectInput(try S3URL(parsing: "s3://b/cache-0001.rdb"))
  ///
  /// - Parameters:
  ///   - region: `--region`, if given.
  ///   - endpointURL: `--endpoint-url`, if given.
  ///   - profile: `--profile`, if given (it also skips environment keys, as the CLI does).
  ///   - addressingStyle: An explicit addressing style, if given.
  ///   - environment: The process environment.
  ///   - retryPolicy: How failed requests are retried.
  ///   - mfaCode: Asks for an MFA code for assume-role profiles with `mfa_serial` (see
  ///     ``CredentialChain/Options/mfaCode``); nil refuses them.
  ///   - logger: Where debug messages go.
  /// - Returns: A client; nothing is sent and no credentials are loaded yet.
  /// - Throws: ``S3Error`` `.invalidConfiguration` for a malformed endpoint.
  public static func configured(
    region: String? = nil, endpointURL: String? = nil, profile: String? = nil,
    addressingStyle: S3Endpoint.AddressingStyle? = nil,
    environment: [String: String] = ProcessInfo.processInfo.environment,
    retryPolicy: RetryPolicy = RetryPolicy(),
    mfaCode: (@Sendable (_ serial: String) -> String?)? = nil,
    logger: Logger = Logger(label: "rdbkit.s3")
  ) throws(S3Error) -> S3Client {
    let loaded = AWSProfile.load(named: profile, environment: environment)
    let endpoint = try S3Endpoint.resolve(
      region: region, endpointURL: endpointURL, addressingStyle: addressingStyle,
      profile: loaded, environment: environment)
    var transport = TransportOptions()
    transport.caBundlePath = environment["AWS_CA_BUNDLE"] ?? loaded["ca_bundle"]
    var chainOptions = CredentialChain.Options(profile: profile, environment: environment)
    chainOptions.transport = transport
    chainOptions.mfaCode = mfaCode
    return S3Client(
      endpoint: endpoint, credentials: CredentialChain(options: chainOptions, logger: logger),
      transport: transport, retryPolicy: retryPolicy, logger: logger)
  }

  /// A streaming reader of the object at `url` (see ``objectInput(bucket:key:options:)``).
  public func objectInput(
    _ url: S3URL, options: S3ObjectInput.Options = S3ObjectInput.Options()
  ) throws(S3Error) -> S3ObjectInput {
    try objectInput(bucket: url.bucket, key: url.key, options: options)
  }
}
