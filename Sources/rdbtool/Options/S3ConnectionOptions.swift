import ArgumentParser
import RDBKit
import RDBS3

/// How to reach S3, as the AWS CLI takes it: the endpoint, the profile and the addressing
/// style (the region is each command's own option).
struct S3ConnectionOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "S3-compatible endpoint (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL).", valueName: "URL"))
  var endpointURL: String?

  @Option(help: "Profile in ~/.aws/config and ~/.aws/credentials (default: AWS_PROFILE).")
  var profile: String?

  @Flag(help: "Address buckets by path (https://host/bucket/key) instead of by host name.")
  var pathStyle = false

  /// A client configured from these options, `region` and the environment.
  func client(region: String?) throws(RDBS3.S3Error) -> S3Client {
    try S3Client.configured(
      region: region, endpointURL: endpointURL, profile: profile,
      addressingStyle: pathStyle ? .path : nil, mfaCode: MFAPrompt.code(for:))
  }
}
