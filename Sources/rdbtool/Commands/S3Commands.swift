import ArgumentParser
import Foundation
import RDBKit
import RDBS3

extension RDBTool {
  /// `rdbtool s3`: commands about S3 buckets for ElastiCache exports.
  struct S3: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "s3",
      abstract: "Check and prepare S3 buckets for ElastiCache snapshot exports.",
      discussion: """
        Examples:
          rdbtool s3 check-bucket --region eu-west-1 my-backups
          rdbtool s3 prepare-bucket --region eu-west-1 --allow-acl-change my-backups
          rdbtool s3 policy --region ap-east-1 my-backups > policy.json
        """,
      subcommands: [CheckBucket.self, PrepareBucket.self, Policy.self])
  }
}

extension RDBTool.S3 {
  /// `rdbtool s3 check-bucket`: can ElastiCache export snapshots to this bucket?
  struct CheckBucket: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "check-bucket",
      abstract: "Check that ElastiCache can export snapshots to an S3 bucket.",
      usage: "rdbtool s3 check-bucket [<options>] <bucket>",
      discussion: """
        Reads the bucket's region, ACL, policy, Object Ownership and Block Public Access \
        settings (this needs s3:GetBucketLocation, s3:GetBucketAcl, s3:GetBucketPolicy, \
        s3:GetBucketOwnershipControls and s3:GetBucketPublicAccessBlock) and checks what \
        ElastiCache requires: a DNS-compliant name; the bucket in the cache's region (when \
        --region is given); in regions enabled by default, Object Ownership that leaves ACLs \
        enabled (BucketOwnerEnforced, the default of new buckets since 2023, disables them) \
        and an ACL granting the ElastiCache canonical user READ, WRITE and READ_ACP; in \
        opt-in regions, a bucket policy granting the regional service principal \
        REGION.elasticache-snapshot.amazonaws.com the export actions. Public ACL grants and \
        "*" principals are reported as warnings. Block Public Access never stops \
        ElastiCache (its grant is not public); it is reported, with a warning when it would \
        stop 'rdbtool s3 prepare-bucket' from rewriting an ACL or policy that holds a \
        public grant.

        One finding per line on standard output, 'pass|warning|failure RULE: message', each \
        failure saying what to change, then a verdict line. When the bucket policy is what \
        fails, the policy to apply follows (as 'rdbtool s3 policy' prints it). --json \
        prints one JSON object instead: bucket, region, passed, findings, and \
        suggested_policy when there is one.

        --region is the region of the cache that will export; it is also the region \
        requests are signed for (default: AWS_REGION, AWS_DEFAULT_REGION, the profile), \
        and without it the bucket's region is not compared with anything.

        Exits 0 when the export would work (warnings allowed), 1 when it would not or the \
        bucket could not be read, 2 for usage errors.

        Examples:
          rdbtool s3 check-bucket my-backups
          rdbtool s3 check-bucket --region ap-east-1 --json my-backups | jq .findings
        """)

    @Argument(help: "The bucket name (no s3:// needed).", transform: BucketName.parse)
    var bucket: String

    @Option(help: "Region of the cache that will export to the bucket.")
    var region: String?

    @Flag(help: "Print the report as one JSON object.")
    var json = false

    @OptionGroup(title: "S3") var connection: S3ConnectionOptions

    @OptionGroup var destination: OutputOptions

    func run() throws {
      let client: S3Client
      do {
        client = try connection.client(region: region)
      } catch {
        StandardError.report(bucket, error.description)
        throw ExitCode.failure
      }
      let report = ExportBucketCheck(client: client).run(bucket: bucket, cacheRegion: region)
      let policyFailed = report.findings.contains {
        $0.rule == .bucketPolicy && $0.severity == .failure
      }
      let policy =
        policyFailed ? report.region.map { ExportBucketPolicy(bucket: bucket, region: $0) } : nil
      var lines: [String] = []
      if json {
        lines.append(try BucketCheckJSON(report: report, policy: policy).text())
      } else {
        for finding in report.findings { lines.append(finding.description) }
        let failures = report.findings.filter { $0.severity == .failure }.count
        let warnings = report.findings.filter { $0.severity == .warning }.count
        let place = report.region.map { " (\($0))" } ?? ""
        if report.passed {
          lines.append(
            "\(bucket)\(place): ElastiCache can export here, \(warnings) warning\(warnings == 1 ? "" : "s")"
          )
        } else {
          lines.append(
            "\(bucket)\(place): exports would fail, \(failures) problem\(failures == 1 ? "" : "s") to fix"
          )
        }
        if let policy {
          lines.append(
            "Bucket policy to apply (aws s3api put-bucket-policy --bucket \(bucket) --policy file://policy.json):"
          )
          lines.append(policy.json)
        }
      }
      try destination.write(
        text: lines.map { $0 + "\n" }.joined(), connection: connection, region: region)
      if !report.passed { throw ExitCode.failure }
    }
  }

  /// `rdbtool s3 policy`: the bucket policy ElastiCache needs in an opt-in region.
  struct Policy: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "policy",
      abstract: "Print the bucket policy ElastiCache exports need in an opt-in region.",
      discussion: """
        In regions launched after 2019-03-20 (opt-in regions such as ap-east-1, me-south-1, \
        af-south-1), ElastiCache writes exports as the service principal \
        REGION.elasticache-snapshot.amazonaws.com, allowed by a bucket policy. This prints \
        that policy as JSON on standard output (or to -o FILE), ready for 'aws s3api \
        put-bucket-policy'. \
        Nothing is sent to S3. If the bucket already has a policy, merge the statement \
        into it instead of replacing it.

        In the other regions ElastiCache uses the bucket ACL instead, so asking for a \
        policy there is a usage error: the command exits 2 and says which ACL grants to \
        add.

        Exits 0 when the policy was printed, 2 for usage errors (no --region, a region \
        that is not opt-in, an invalid bucket name).

        Examples:
          rdbtool s3 policy --region ap-east-1 my-backups -o policy.json
          aws s3api put-bucket-policy --bucket my-backups --policy file://policy.json
        """)

    @Argument(help: "The bucket name (no s3:// needed).", transform: BucketName.parse)
    var bucket: String

    @Option(help: "The bucket's and the cache's region; must be an opt-in region.")
    var region: String

    @OptionGroup var destination: OutputOptions

    func validate() throws {
      guard ExportBucketCheck.isOptInRegion(region) else {
        throw ValidationError(
          "'\(region)' is not an opt-in region, so ElastiCache does not use a bucket policy "
            + "there: grant the canonical user \(Self.canonicalUser(region: region)) READ, "
            + "WRITE and READ_ACP in the bucket ACL instead ('rdbtool s3 check-bucket' "
            + "checks it). Opt-in regions: "
            + ExportBucketCheck.optInRegions.sorted().joined(separator: ", ") + ".")
      }
    }

    func run() throws {
      try destination.write(
        text: ExportBucketPolicy(bucket: bucket, region: region).json + "\n", connection: nil,
        region: region)
    }

    private static func canonicalUser(region: String) -> String {
      region.hasPrefix("us-gov-")
        ? ExportBucketCheck.govCloudCanonicalUserID : ExportBucketCheck.elastiCacheCanonicalUserID
    }
  }
}

/// A bucket argument: a bare name, or `s3://name` with nothing after it.
enum BucketName {
  /// Accepts `name` or `s3://name[/]`; a malformed name exits 2.
  static func parse(_ text: String) throws -> String {
    var name = text
    if name.hasPrefix("s3://") {
      name = String(name.dropFirst(5))
      if name.hasSuffix("/") { name = String(name.dropLast()) }
    }
    guard S3URL.isValidBucketName(name) else {
      throw ValidationError(
        "'\(text)' is not a bucket name: use 3-63 characters of a-z, 0-9, '.' and '-'.")
    }
    return name
  }
}

/// The JSON form of a check-bucket report.
struct BucketCheckJSON: Encodable {
  struct Finding: Encodable {
    var rule: String
    var severity: String
    var message: String
  }

  var bucket: String
  var region: String?
  var passed: Bool
  var findings: [Finding]
  var suggestedPolicy: String?

  init(report: ExportBucketCheck.Report, policy: ExportBucketPolicy?) {
    bucket = report.bucket
    region = report.region
    passed = report.passed
    findings = report.findings.map {
      Finding(rule: $0.rule.rawValue, severity: $0.severity.rawValue, message: $0.message)
    }
    suggestedPolicy = policy?.json
  }

  enum CodingKeys: String, CodingKey {
    case bucket, region, passed, findings
    case suggestedPolicy = "suggested_policy"
  }

  /// Pretty-printed JSON with sorted keys; the suggested policy is embedded as an object.
  func text() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    var object =
      try JSONSerialization.jsonObject(with: try encoder.encode(self)) as? [String: Any] ?? [:]
    if let suggestedPolicy,
      let policyObject = try? JSONSerialization.jsonObject(with: Data(suggestedPolicy.utf8))
    {
      object["suggested_policy"] = policyObject
    }
    let data = try JSONSerialization.data(
      withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    return String(decoding: data, as: UTF8.self)
  }
}
