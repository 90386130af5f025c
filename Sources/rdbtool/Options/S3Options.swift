import ArgumentParser
import RDBKit
import RDBS3

/// How to reach S3 for `s3://` inputs, as the AWS CLI takes it: options first, then
/// `AWS_REGION`/`AWS_DEFAULT_REGION`, `AWS_ENDPOINT_URL_S3`/`AWS_ENDPOINT_URL`, `AWS_PROFILE`
/// and the shared config and credentials files.
struct S3Options: ParsableArguments {
  @Option(help: "AWS region of the bucket (default: AWS_REGION, AWS_DEFAULT_REGION, the profile).")
  var region: String?

  @OptionGroup var connection: S3ConnectionOptions

  @Option(
    help: ArgumentHelp(
      "Bytes per ranged GET, and per uploaded part of an -o s3:// output (default 8 MiB; S3 takes parts of at least 5 MiB).",
      valueName: "SIZE"),
    transform: ByteSize.parse)
  var partSize: Int = 8 << 20

  @Option(
    help: ArgumentHelp(
      "Ranged GETs in flight per object, and parts uploaded at once per -o s3:// output.",
      valueName: "N"))
  var maxInFlight: Int = 10

  func validate() throws {
    guard partSize >= 1 << 16 else {
      throw ValidationError("--part-size must be at least 64 KiB.")
    }
    guard (1...64).contains(maxInFlight) else {
      throw ValidationError("--max-in-flight must be 1 to 64.")
    }
  }

  /// A client configured from these options and the environment.
  func client() throws(S3Error) -> S3Client {
    try connection.client(region: region)
  }

  /// Part size and parallelism of an `-o s3://` upload.
  var uploadOptions: S3Upload.Options {
    S3Upload.Options(partSize: partSize, maxInFlight: maxInFlight)
  }

  var objectOptions: S3ObjectInput.Options {
    S3ObjectInput.Options(partSize: partSize, maxInFlight: maxInFlight)
  }
}
